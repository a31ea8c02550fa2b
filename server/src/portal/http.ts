import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { z } from 'zod';
import { safeEqual } from '../crypto/random.js';
import { appError, isAppError } from '../errors.js';

// The portal's HTTP rules (DESIGN §12, same as the console's §11): the session cookie `vf_ss`
// lives on the portal's own path, HttpOnly, SameSite=Strict, Secure when PUBLIC_URL is https;
// every state-changing call with the cookie also carries `X-Veriframe-CSRF` with the session's
// value (a cookie without it → 403 `csrf`), and calls from another origin are refused outright.

export const COOKIE = 'vf_ss';
export const CSRF_HEADER = 'x-veriframe-csrf';

export const cookiePath = (address: string) => `/self-service/${address}`;

export function setSessionCookie(c: Context, address: string, id: string, secure: boolean): void {
  setCookie(c, COOKIE, id, { path: cookiePath(address), httpOnly: true, sameSite: 'Strict', secure });
}

export function clearSessionCookie(c: Context, address: string, secure: boolean): void {
  deleteCookie(c, COOKIE, { path: cookiePath(address), httpOnly: true, sameSite: 'Strict', secure });
}

export const sessionCookie = (c: Context): string | undefined => getCookie(c, COOKIE);

/** 403 `csrf` unless the header carries the session's value (compared in constant time). */
export function checkCsrf(c: Context, expected: string): void {
  const got = c.req.header(CSRF_HEADER);
  if (!got || !safeEqual(got, expected)) throw appError('csrf');
}

/** Browsers send Origin with every POST: one that is not ours is another site's page calling. */
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

/** A JSON body checked against its schema; errors in the one error shape, the field named. */
export async function jsonBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  if (!/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? ''))
    throw appError('unsupported_media_type', { message: 'Send the body as application/json.' });
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
