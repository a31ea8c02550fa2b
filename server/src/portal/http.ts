import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { csrfMatches } from '../http/csrf.js';
import { appError } from '../errors.js';

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

/** 403 `csrf` unless the header carries the session's value (its hash compared in constant time). */
export function checkCsrf(c: Context, storedHash: Buffer): void {
  const got = c.req.header(CSRF_HEADER);
  if (!got || !csrfMatches(got, storedHash)) throw appError('csrf');
}
