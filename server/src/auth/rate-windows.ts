import { sql, type QueryCreator } from 'kysely';
import { asyncCommit } from '../db/async-commit.js';
import type { Database, Db } from '../db/index.js';

// Fixed-window counters for actions that are not guesses but cost something: sending a code
// (e-mail/SMS/bot spam, targeted lockout), starting a widget transaction (rows). One atomic
// upsert counts and refuses, so concurrent callers cannot all slip under the limit.

export interface RateLimit {
  bucket: string;
  max: number;
  windowSeconds: number;
}

/** The limits, in one place so README and code agree. */
export const LIMITS = {
  /** Codes sent to one user's token per resource. */
  sendPerLogin: { bucket: 'send-login', max: 5, windowSeconds: 900 },
  /** Codes sent on behalf of one client IP (/64) per resource. */
  sendPerIp: { bucket: 'send-ip', max: 20, windowSeconds: 900 },
  /** Widget transactions started by one client IP (/64) per resource. */
  startPerIp: { bucket: 'start-ip', max: 60, windowSeconds: 600 },
  /** Authenticator app server backups created, replaced or deleted by one client IP (/64). */
  appBackupWritePerIp: { bucket: 'app-backup-write', max: 30, windowSeconds: 3600 },
  /** Authenticator app server backups read by one client IP (/64). */
  appBackupReadPerIp: { bucket: 'app-backup-read', max: 60, windowSeconds: 600 },
} as const satisfies Record<string, RateLimit>;

/** Counts one action; the seconds to wait when the window is full (then nothing is counted). */
export async function hitRateLimit(db: Db, limit: RateLimit, key: string, now: Date): Promise<{ ok: true } | { ok: false; retryAfter: number }> {
  const row = await rateHit(db, { ...limit, key, now })
    // Not waited for on disk (db/async-commit.ts): the action it counts writes synchronously next.
    .returning(asyncCommit.as('asyncCommit'))
    .executeTakeFirst();
  return row ? { ok: true } : { ok: false, retryAfter: await rateLimitWait(db, limit, key, now) };
}

export type RateHitParams = RateLimit & { key: string; now: Date };

/**
 * The count: one upsert that counts the action in its window, or starts a new window, and does
 * nothing (returns no row) when the window is full. A statement of its own (hitRateLimit) or a
 * CTE of a statement that does the action only when counted (the widget's start).
 */
export function rateHit(db: QueryCreator<Database>, p: RateHitParams) {
  const open = sql<boolean>`rate_windows.window_start > ${p.now}::timestamptz - (${p.windowSeconds} * interval '1 second')`;
  return db
    .insertInto('rate_windows')
    .values({ bucket: p.bucket, key: p.key, windowStart: p.now, count: 1 })
    .onConflict((oc) =>
      oc
        .columns(['bucket', 'key'])
        .doUpdateSet({
          count: sql<number>`case when ${open} then rate_windows.count + 1 else 1 end`,
          windowStart: sql<Date>`case when ${open} then rate_windows.window_start else ${p.now}::timestamptz end`,
        })
        .where(sql<boolean>`not ${open} or rate_windows.count < ${p.max}`),
    )
    .returning('count');
}

/** Seconds until a full window ends (at least 1), after a hit that was refused. */
export async function rateLimitWait(db: Db, limit: RateLimit, key: string, now: Date): Promise<number> {
  const current = await db.selectFrom('rate_windows').select('windowStart').where('bucket', '=', limit.bucket).where('key', '=', key).executeTakeFirst();
  const ends = (current?.windowStart.getTime() ?? now.getTime()) + limit.windowSeconds * 1000;
  return Math.max(1, Math.ceil((ends - now.getTime()) / 1000));
}

/** Deletes windows that ended over a day ago (maintenance). */
export async function purgeRateWindows(db: Db, now: Date): Promise<number> {
  const rows = await db
    .deleteFrom('rate_windows')
    .where('windowStart', '<', new Date(now.getTime() - 86_400_000))
    .returning('key')
    .execute();
  return rows.length;
}
