import net from 'node:net';
import nodemailer from 'nodemailer';
import type { Logger } from '../logger.js';
import { textToHtml } from './html.js';
import { DEFAULT_DELAYS_MS, realSleep, withRetries, type AttemptResult } from './retry.js';
import type { Sender } from './types.js';

export const SMTP_CONNECTION_TIMEOUT_MS = 10_000;
export const SMTP_SOCKET_TIMEOUT_MS = 20_000;

export interface EmailOptions {
  /** SMTP_URL, e.g. smtp://user:pass@host:587 (query options such as ?ignoreTLS=true pass to nodemailer). */
  url: string;
  publicUrl: string;
  log: Logger;
  delaysMs?: readonly number[];
  sleep?: (ms: number) => Promise<void>;
}

/** `Veriframe <no-reply@host>` where host is PUBLIC_URL's host name. */
export function fromAddress(publicUrl: string): string {
  const host = new URL(publicUrl).hostname.replace(/^\[|\]$/g, '');
  // An IP address after the @ is refused by most mail servers, and such a server is a local
  // development one anyway.
  return `Veriframe <no-reply@${net.isIP(host) ? 'localhost' : host}>`;
}

interface SmtpError {
  code?: string;
  responseCode?: number;
}

// Worth another try: a dropped connection, a DNS hiccup, or a transient 4yz reply (greylisting,
// "try again later"). Not a 5yz refusal, a failed login, or a timeout: the timeouts already
// made the user wait up to 30 s, and repeating them would only make the wait longer.
function classify(err: unknown): AttemptResult {
  const { code, responseCode } = (err ?? {}) as SmtpError;
  if (typeof responseCode === 'number' && responseCode >= 400) {
    return { ok: false, retry: responseCode < 500, reason: `smtp ${responseCode}` };
  }
  const retry = code === 'ECONNECTION' || code === 'ESOCKET' || code === 'EDNS';
  return { ok: false, retry, reason: code === 'ETIMEDOUT' ? 'timeout' : (code ?? 'error') };
}

/**
 * E-mail over SMTP with nodemailer. Only error codes are logged: nodemailer's error messages can
 * echo server replies and connection details.
 */
export function createEmailSender(opts: EmailOptions): Sender {
  const transport = nodemailer.createTransport({
    url: opts.url,
    connectionTimeout: SMTP_CONNECTION_TIMEOUT_MS,
    greetingTimeout: SMTP_CONNECTION_TIMEOUT_MS,
    socketTimeout: SMTP_SOCKET_TIMEOUT_MS,
  });
  const from = fromAddress(opts.publicUrl);
  const log = opts.log.child({ channel: 'email' });

  return async (m) => {
    const mail = { from, to: m.to, subject: m.subject, text: m.text, html: m.html ?? textToHtml(m.text) };
    const attempt = async (): Promise<AttemptResult> => {
      try {
        await transport.sendMail(mail);
        return { ok: true };
      } catch (err) {
        return classify(err);
      }
    };
    await withRetries('email', attempt, {
      delaysMs: opts.delaysMs ?? DEFAULT_DELAYS_MS,
      sleep: opts.sleep ?? realSleep,
      onFailedAttempt: (n, reason, willRetry) => log.warn({ attempt: n, reason, willRetry, kind: m.kind }, 'e-mail delivery attempt failed'),
    });
  };
}
