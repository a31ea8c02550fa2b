// Pure checks and canonical forms of filter values. The request schemas use them to refuse bad
// entries (naming the entry), the service to store the canonical form.

export { normaliseCidr } from '../net/ip.js';

/** The canonical IANA name of a time zone ("europe/berlin" → "Europe/Berlin"), or undefined. */
export function canonicalTimeZone(name: string): string | undefined {
  if (!name || name.length > 64) return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** Distinct values in first-seen order; `key` decides what counts as the same. */
export function unique<T>(values: readonly T[], key: (v: T) => unknown = (v) => v): T[] {
  const seen = new Set<unknown>();
  return values.filter((v) => {
    const k = key(v);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
