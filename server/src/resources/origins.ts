import { appError } from '../errors.js';

// Allowed origins are compared with the browser's `event.origin` by string equality (DESIGN
// §7.2), so they are stored exactly as a browser serialises an origin: lower-case scheme and host,
// punycode for international names, no default port, nothing after the authority.

export type OriginResult = { ok: true; origin: string } | { ok: false; reason: string };

// scheme://authority with at most a single trailing slash. Checked on the raw text because the
// URL parser silently repairs what we want to refuse ("https:a.com", "https://a.com/./", "\").
const shape = /^[a-z][a-z0-9+.-]*:\/\/[^/?#\\\s]+\/?$/i;

export function normaliseOrigin(raw: string): OriginResult {
  if (raw.includes('*')) return { ok: false, reason: 'wildcards are not allowed: list every origin' };
  if (!shape.test(raw)) return { ok: false, reason: 'must be scheme://host[:port] without path, query or fragment' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'not a valid origin' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: 'only http and https origins can embed the widget' };
  if (url.username || url.password || raw.includes('@')) return { ok: false, reason: 'an origin has no user name or password' };
  if (!url.hostname) return { ok: false, reason: 'the host is missing' };
  return { ok: true, origin: url.origin };
}

/** Normalised and de-duplicated, in the order given (the request schema has refused bad entries already). */
export function normaliseOrigins(list: readonly string[]): string[] {
  const out = new Set<string>();
  for (const [i, raw] of list.entries()) {
    const r = normaliseOrigin(raw);
    if (!r.ok) throw appError('invalid_request', { message: `body.allowedOrigins.${i}: ${r.reason}`, field: `body.allowedOrigins.${i}` });
    out.add(r.origin);
  }
  return [...out];
}
