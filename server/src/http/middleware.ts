import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../logger.js';

// Path segments that are capabilities: whoever knows an authenticator backup's id can fetch its
// ciphertext, so the log shows the route instead.
const CAPABILITY_PATHS: [RegExp, string][] = [[/^\/app\/api\/backups\/[^/]+$/, '/app/api/backups/{id}']];

export const loggedPath = (path: string): string => CAPABILITY_PATHS.find(([pattern]) => pattern.test(path))?.[1] ?? path;

/** One log line per request: method, path (never the query, which may carry codes), status, time. */
export function requestLog(log: Logger): MiddlewareHandler {
  return async (c, next) => {
    const started = process.hrtime.bigint();
    const requestId =
      c.req
        .header('x-request-id')
        ?.slice(0, 64)
        .replace(/[^\w.-]/g, '') || randomUUID();
    c.header('X-Request-Id', requestId);
    await next();
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    log.info({ requestId, method: c.req.method, path: loggedPath(c.req.path), status: c.res.status, ms: Math.round(ms * 10) / 10 }, 'request');
  };
}

/**
 * Headers every response carries; the widget route sets its own stricter CSP later. Set on the
 * finished response's headers in place (as Hono's secureHeaders does): `c.header()` after the
 * response exists would copy it into a new web Response with a body stream, on every request.
 */
export const baseHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  const headers = c.res.headers;
  headers.set('X-Content-Type-Options', 'nosniff');
  if (!headers.has('Cache-Control')) headers.set('Cache-Control', 'no-store');
  if (!headers.has('Referrer-Policy')) headers.set('Referrer-Policy', 'no-referrer');
};
