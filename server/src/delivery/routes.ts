import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type Context } from 'hono';
import type { Config } from '../config.js';
import { clientIp, parseAddress } from '../http/client-ip.js';
import { notFound } from '../http/errors.js';
import { escapeHtml } from './html.js';
import type { Delivery, OutboxEntry } from './types.js';

// The page shows codes on purpose. No script at all, and a CSP that forbids any, so a message
// text that contains markup can neither run nor load anything; it may not be framed either.
const pageCsp = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function row(e: OutboxEntry): string {
  return `<tr><td>${escapeHtml(e.at)}</td><td>${escapeHtml(e.channel)}</td><td>${escapeHtml(e.kind)}</td><td>${escapeHtml(e.to)}</td><td>${escapeHtml(e.subject)}</td><td><pre>${escapeHtml(e.text)}</pre></td></tr>`;
}

export function renderOutboxPage(entries: OutboxEntry[], inUse: boolean): string {
  const body = !inUse
    ? '<p>Every channel is configured; nothing goes to the outbox.</p>'
    : entries.length === 0
      ? '<p>No messages yet.</p>'
      : `<table><thead><tr><th>time (UTC)</th><th>channel</th><th>kind</th><th>to</th><th>subject</th><th>text</th></tr></thead><tbody>\n${entries.map(row).join('\n')}\n</tbody></table>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="3"><meta name="robots" content="noindex">
<title>Veriframe dev outbox</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}pre{margin:0;white-space:pre-wrap}</style>
</head><body><h1>Dev outbox</h1><p>Messages for channels without configuration, newest first (last 50). Not available in production mode.</p>
${body}
</body></html>`;
}

/**
 * Whether the outbox may be shown to this request: only to the machine itself. A development
 * server bound to a public address (HOST=0.0.0.0 without NODE_ENV=production) must not hand every
 * user's codes to the network. In-process requests (`app.request`, no socket) come from this
 * process. Behind a trusted proxy the client it names must be loopback too.
 */
export function fromThisMachine(c: Context, trusted: Config['trustedProxies']): boolean {
  let remote: string | undefined;
  try {
    remote = getConnInfo(c).remote.address;
  } catch {
    return true;
  }
  const client = clientIp(remote, c.req.header('x-forwarded-for'), trusted);
  return client !== null && parseAddress(client)?.range() === 'loopback';
}

/**
 * Whether the request names this machine in its Host header. A page on any site can make the
 * browser of a developer send requests to 127.0.0.1 under the site's own name (DNS rebinding):
 * the peer is then loopback, but the Host is the attacker's. A same-host reverse proxy forwards
 * its public name. Only loopback names and addresses pass. (In-process requests carry the URL's
 * host, as @hono/node-server builds the URL from the Host header.)
 */
function loopbackHost(c: Context): boolean {
  let host: string;
  try {
    host = new URL(c.req.url).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  // parseAddress reads ::ffff:127.0.0.1 as the IPv4 address it is.
  return parseAddress(host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host)?.range() === 'loopback';
}

/**
 * GET /dev/outbox (HTML, refreshes itself) and /dev/outbox.json. Mounted only with
 * VERIFRAME_DEV_OUTBOX=1 (app.ts); even then they answer only loopback clients that name a
 * loopback host, and in production never: to anyone else both are 404 like any unknown path.
 */
export function outboxRoutes(delivery: Delivery, config: Pick<Config, 'production' | 'trustedProxies'>) {
  const app = new Hono();
  const allowed = (c: Context) => !config.production && fromThisMachine(c, config.trustedProxies) && loopbackHost(c);
  app.get('/dev/outbox', (c) => {
    if (!allowed(c)) return notFound(c);
    c.header('Content-Security-Policy', pageCsp);
    c.header('X-Frame-Options', 'DENY');
    return c.html(renderOutboxPage(delivery.outbox?.list() ?? [], delivery.outbox !== undefined));
  });
  app.get('/dev/outbox.json', (c) => {
    if (!allowed(c)) return notFound(c);
    const items = delivery.outbox?.list() ?? [];
    return c.json({ items, total: items.length });
  });
  return app;
}
