import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { PUSH_EVENT } from '../../../shared/push.js';
import type { Db } from '../db/index.js';
import { challengeView, pendingChallenges, pushSignals } from '../tokens/push-challenges.js';

// The app's challenge stream (server-sent events). The database is the truth: each stream
// re-reads its device's pending challenges every POLL_MS, so a challenge opened on any instance
// reaches it; a challenge opened on this instance wakes it at once. A stream lives a few minutes
// and the app opens a new one with a fresh signature (its proof is only valid for minutes).

export const POLL_MS = 1_000;
export const STREAM_LIFETIME_MS = 4 * 60_000;
const KEEP_ALIVE_MS = 15_000;

/** Streams still open, ended at shutdown so the drain need not wait for them. */
const open = new Set<() => void>();

export function closePushStreams(): void {
  for (const end of open) end();
}

export function challengeStream(c: Context, db: Db, tokenId: string, now: () => Date) {
  return streamSSE(c, async (stream) => {
    let ended = false;
    let wake = () => {};
    const end = () => {
      ended = true;
      wake();
    };
    open.add(end);
    stream.onAbort(end);
    const onSignal = () => wake();
    pushSignals.on(tokenId, onSignal);
    const until = Date.now() + STREAM_LIFETIME_MS;
    let last = '';
    let lastWrite = Date.now();
    try {
      while (!ended && Date.now() < until) {
        const rows = await pendingChallenges(db, tokenId, now());
        const data = JSON.stringify({ challenges: rows.map(challengeView) });
        if (data !== last) {
          await stream.writeSSE({ event: PUSH_EVENT, data });
          last = data;
          lastWrite = Date.now();
        } else if (Date.now() - lastWrite > KEEP_ALIVE_MS) {
          await stream.write(': keep-alive\n\n');
          lastWrite = Date.now();
        }
        if (ended) break;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, POLL_MS);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    } finally {
      open.delete(end);
      pushSignals.off(tokenId, onSignal);
    }
  });
}
