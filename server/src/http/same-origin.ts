import type { Context, MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { appError, isAppError } from '../errors.js';

// The JSON APIs that pages of this server call from the browser (the widget's iframe, the
// self-service portal): same-origin only, JSON bodies checked against their schema.

/**
 * CSRF defence for the API: the iframe calls it same-origin, and browsers send `Origin` with
 * every POST, so an Origin that is not ours means another site's page is calling. (A request
 * without Origin is not from a browser page, and holds no ambient credential to abuse anyway.)
 */
export function sameOriginOnly(publicUrl: string): MiddlewareHandler {
  const ours = new URL(publicUrl).origin;
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (origin !== undefined && origin !== ours) throw appError('cross_site_request');
    const site = c.req.header('sec-fetch-site');
    if (site !== undefined && site !== 'same-origin' && site !== 'none') throw appError('cross_site_request');
    await next();
  };
}

/** A JSON body checked against its schema; errors in the one error shape. */
export async function jsonBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  if (!/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? '')) {
    throw appError('unsupported_media_type', { message: 'Send the body as application/json.' });
  }
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch (err) {
    if (isAppError(err)) throw err;
    throw appError('malformed_json');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = ['body', ...(issue?.path ?? [])].join('.');
    throw appError('invalid_request', { message: issue ? `${field}: ${issue.message}` : 'Invalid request.', field });
  }
  return parsed.data;
}
