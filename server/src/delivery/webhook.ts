import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import { DEFAULT_DELAYS_MS, realSleep, withRetries, type AttemptResult } from './retry.js';
import type { Message, Sender } from './types.js';

export const WEBHOOK_TIMEOUT_MS = 5_000;

export interface WebhookOptions {
  channel: 'sms' | 'bot';
  url: string;
  log: Logger;
  /** Per attempt. */
  timeoutMs?: number;
  delaysMs?: readonly number[];
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
}

/** The JSON body the SMS/bot gateway receives. */
export interface WebhookPayload {
  channel: 'sms' | 'bot';
  to: string;
  text: string;
  kind: Message['kind'];
  /** Same on every attempt of one message, and sent as `Idempotency-Key`. */
  id: string;
}

// 429 and 5xx say "not now"; any other 4xx says the request itself is wrong, and sending it
// again would only repeat the refusal (and delay the user's answer by the backoff).
const retryableStatus = (status: number) => status === 429 || status >= 500;

/**
 * POSTs each message as JSON to the channel's webhook. The URL is never logged nor put in an
 * error: gateway URLs often carry their credential (e.g. a bot token in the path).
 */
export function createWebhookSender(opts: WebhookOptions): Sender {
  const timeoutMs = opts.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  const fetchFn = opts.fetch ?? fetch;
  const log = opts.log.child({ channel: opts.channel });

  return async (m) => {
    const payload: WebhookPayload = { channel: opts.channel, to: m.to, text: m.text, kind: m.kind, id: randomUUID() };
    const body = JSON.stringify(payload);

    const attempt = async (): Promise<AttemptResult> => {
      try {
        const res = await fetchFn(opts.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': payload.id, 'user-agent': 'Veriframe' },
          body,
          signal: AbortSignal.timeout(timeoutMs),
          // A redirect would turn the POST into a GET or send the code to another host.
          redirect: 'manual',
        });
        // The answer's content is not used; releasing it frees the connection.
        await res.body?.cancel().catch(() => {});
        if (res.status >= 200 && res.status < 300) return { ok: true };
        return { ok: false, retry: retryableStatus(res.status), reason: `http ${res.status}` };
      } catch (err) {
        const name = (err as Error | undefined)?.name;
        return { ok: false, retry: true, reason: name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network error' };
      }
    };

    await withRetries(opts.channel, attempt, {
      delaysMs: opts.delaysMs ?? DEFAULT_DELAYS_MS,
      sleep: opts.sleep ?? realSleep,
      onFailedAttempt: (n, reason, willRetry) =>
        log.warn({ attempt: n, reason, willRetry, messageId: payload.id, kind: m.kind }, 'webhook delivery attempt failed'),
    });
  };
}
