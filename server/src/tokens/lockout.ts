import { sql } from 'kysely';
import type { KeyRing } from '../crypto/secretbox.js';
import type { Db } from '../db/index.js';
import { appendEvent } from '../events/repository.js';
import { countLockout } from '../metrics/index.js';
import type { TokenRow } from './repository.js';
import { failedCodeHash } from './secrets.js';
import type { EventBase, VerifyInput, VerifyPolicy, VerifyResult } from './verify-types.js';

// Lockout (DESIGN §3, §5), in one place: a wrong code counts towards the resource's limit and
// locks the token there; a lock may lift by itself after a progressive delay when the resource
// allows it; a hard cap of consecutive failures needs an administrator. The per-login password
// counter (auth/login-guard.ts) uses the same numbers.

/** Consecutive failures after which only an administrator can unlock (DESIGN §5). */
export const HARD_CAP = 100;
/**
 * The delay before a lock lifts by itself: 30 s for the first lock, doubling per lock, at most an
 * hour. In SQL, over the row's lock_count before this lock, so concurrent updates agree.
 */
export const progressiveDelaySql = sql<number>`least(30000 * power(2, lock_count), 3600000)`;

/** A lock in force (a progressive lock whose time has come lifts at the next verification). */
export const lockInForce = (t: Pick<TokenRow, 'locked' | 'unlockAt'>, now: Date) => t.locked && !(t.unlockAt && t.unlockAt.getTime() <= now.getTime());

/** Seconds until a progressive lock lifts; undefined when only an administrator can unlock. */
export const lockRetryAfter = (t: Pick<TokenRow, 'unlockAt'> | undefined, now: Date) =>
  t?.unlockAt ? Math.max(1, Math.ceil((t.unlockAt.getTime() - now.getTime()) / 1000)) : undefined;

/**
 * A lock that may lift by itself (progressive unlock) and whose time has come is lifted here,
 * with a conditional update so concurrent requests lift it once.
 */
export async function liftExpiredLock(db: Db, token: TokenRow, now: Date, event: EventBase): Promise<boolean> {
  if (!token.locked || !token.unlockAt || token.unlockAt.getTime() > now.getTime()) return false;
  const rows = await db
    .updateTable('tokens')
    .set({ locked: false, lockedAt: null, lockedReason: null, unlockAt: null, failedAttempts: 0 })
    .where('id', '=', token.id)
    .where('locked', '=', true)
    .where('unlockAt', '<=', now)
    .returning('id')
    .execute();
  if (rows.length) await appendEvent(db, { ...event, type: 'token.unlocked', reason: 'progressive_delay' });
  return true;
}

export async function recordFailure(
  db: Db,
  ring: KeyRing,
  token: TokenRow,
  input: VerifyInput,
  policy: VerifyPolicy,
  now: Date,
  event: EventBase,
): Promise<VerifyResult> {
  const hash = failedCodeHash(ring, token.id, input.otp);
  const since = new Date(now.getTime() - 60_000);
  // One statement decides "same wrong code within 60 s", increments and locks, so concurrent
  // failures can neither be lost nor push the counter past the lock unnoticed. The values in
  // SET expressions are those before the update.
  const repeat = sql<boolean>`(last_failed_code_hash = ${hash} and last_failed_at > ${since})`;
  const bump = (col: string) => sql<number>`(case when ${repeat} then ${sql.ref(col)} else ${sql.ref(col)} + 1 end)`;
  const hitsCap = sql<boolean>`${bump('consecutive_failures')} >= ${HARD_CAP}`;
  const hitsLimit = sql<boolean>`${bump('failed_attempts')} >= ${policy.failedAttemptsLimit}`;
  const locks = sql<boolean>`(not locked and (${hitsLimit} or ${hitsCap}))`;
  // The hard cap never lifts by itself; the resource limit does when the resource allows it.
  const delayMs = progressiveDelaySql;
  const unlockAt = policy.progressiveUnlock
    ? sql<Date | null>`case when ${locks} and not ${hitsCap} then ${now}::timestamptz + (${delayMs} * interval '1 millisecond') when ${locks} then null else unlock_at end`
    : sql<Date | null>`case when ${locks} then null else unlock_at end`;
  const row = await db
    .updateTable('tokens')
    .set({
      failedAttempts: bump('failed_attempts'),
      consecutiveFailures: bump('consecutive_failures'),
      locked: sql<boolean>`locked or ${hitsLimit} or ${hitsCap}`,
      lockedAt: sql<Date>`case when ${locks} then ${now} else locked_at end`,
      lockedReason: sql<string>`case when ${locks} and ${hitsCap} then 'hard_cap' when ${locks} then 'failed_attempts' else locked_reason end`,
      lockCount: sql<number>`case when ${locks} then lock_count + 1 else lock_count end`,
      unlockAt,
      lastFailedCodeHash: hash,
      lastFailedAt: now,
    })
    .where('id', '=', token.id)
    .returning(['failedAttempts', 'locked', 'lockedAt', 'lockedReason', 'unlockAt'])
    .executeTakeFirst();
  const justLocked = row?.locked === true && row.lockedAt?.getTime() === now.getTime() && !token.locked;
  await appendEvent(db, {
    ...event,
    type: 'token.verify',
    result: 'failure',
    reason: 'invalid_credentials',
    details: { failedAttempts: row?.failedAttempts ?? null },
  });
  if (justLocked) {
    countLockout(row.lockedReason);
    await appendEvent(db, {
      ...event,
      type: 'token.locked',
      reason: row.lockedReason,
      details: { limit: policy.failedAttemptsLimit, unlockAt: row.unlockAt ? row.unlockAt.toISOString() : null },
    });
  }
  return { ok: false, reason: 'invalid_credentials', locked: row?.locked ?? false, justLocked };
}
