import { randomBytes } from 'node:crypto';

// The nonce a site mints for each login page view (data-nonce) and checks on the form post: it
// ties the widget's result token to this page view in this browser, so a token obtained
// elsewhere (or posted twice) is refused. Kept in memory: a demo restart just means reloading.

export type NonceProblem = 'missing' | 'unknown' | 'used' | 'expired' | 'other_session';

export interface NonceStore {
  /** A fresh nonce for one page view of the browser session `session`. */
  mint(session: string): string;
  /** Consumes `nonce` for `session`: ok once; afterwards (or for another session) the reason. */
  take(nonce: string, session: string): { ok: true } | { ok: false; reason: NonceProblem };
}

export const NONCE_TTL_MS = 10 * 60_000; // as long as the widget's own transaction lives
const CAPACITY = 10_000;

export const randomId = () => randomBytes(16).toString('base64url');

export function createNonceStore(now: () => number = Date.now): NonceStore {
  const live = new Map<string, { session: string; expires: number }>();
  // Remembered a while after use, to tell a replayed post from a made-up nonce.
  const used = new Map<string, number>();

  /** Maps keep insertion order: the oldest entries go first when a map is full or stale. */
  const prune = <V>(map: Map<string, V>, stale: (v: V) => boolean) => {
    for (const [key, value] of map) {
      if (map.size <= CAPACITY && !stale(value)) break;
      map.delete(key);
    }
  };

  return {
    mint(session) {
      const t = now();
      prune(live, (v) => v.expires <= t);
      prune(used, (at) => at + NONCE_TTL_MS <= t);
      const nonce = randomId();
      live.set(nonce, { session, expires: t + NONCE_TTL_MS });
      return nonce;
    },
    take(nonce, session) {
      if (!nonce) return { ok: false, reason: 'missing' };
      const entry = live.get(nonce);
      if (!entry) return { ok: false, reason: used.has(nonce) ? 'used' : 'unknown' };
      if (entry.session !== session) return { ok: false, reason: 'other_session' };
      live.delete(nonce);
      used.set(nonce, now());
      if (entry.expires <= now()) return { ok: false, reason: 'expired' };
      return { ok: true };
    },
  };
}

export const nonceProblems: Record<NonceProblem, string> = {
  missing: 'The form carried no nonce.',
  unknown: 'The nonce was not minted by this site (or the demo restarted since the page was loaded).',
  used: 'The nonce was used already: this form was posted before (a replay). Each page view allows one login.',
  expired: 'The page was loaded more than 10 minutes ago; its nonce expired.',
  other_session: 'The nonce was minted for another browser session (missing or different session cookie).',
};
