import { createHmac, timingSafeEqual } from 'node:crypto';
import { sha256 } from '../crypto/random.js';

// The CSRF value of a cookie session (console, DESIGN §11; portal, §12). Each session has its
// own value, sent by the page in `X-Veriframe-CSRF`: a cross-site page can make the browser send
// the cookie but cannot read the value. It is an HMAC keyed with the cookie value, so a reloaded
// page can be handed it again without the database keeping it: the session row holds only its
// SHA-256, so a copy of the table gives neither the cookie nor the CSRF value.

/** The session's CSRF value for `purpose` (one per front-end): unguessable without the cookie. */
export const csrfOf = (cookie: string, purpose: string): string => createHmac('sha256', cookie).update(`veriframe ${purpose} csrf`).digest('base64url');

/** What a session row stores of its CSRF value. */
export const csrfHashOf = (cookie: string, purpose: string): Buffer => sha256(csrfOf(cookie, purpose));

/** Constant time: the header's SHA-256 against the stored one (equal lengths by construction). */
export const csrfMatches = (header: string, storedHash: Buffer): boolean => storedHash.length === 32 && timingSafeEqual(sha256(header), storedHash);
