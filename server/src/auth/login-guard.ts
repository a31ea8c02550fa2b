import { sql, type QueryCreator } from 'kysely';
import { asyncCommit } from '../db/async-commit.js';
import type { Database, Db } from '../db/index.js';
import { progressiveDelaySql } from '../tokens/lockout.js';
import { releaseStatement, type ThrottleSlot } from './throttle.js';

// A failure counter per login and resource (DESIGN §10): the IP throttle cannot stop password
// guessing spread over many addresses, this can. After the resource's failed-attempt limit of
// wrong passwords the login waits 30 s, doubling per lock up to an hour (the token numbers,
// tokens/lockout.ts); a right password resets it. Unknown logins are counted like known ones,
// so the counter tells nothing about which logins exist. There is no hard cap: a login that
// only an administrator could free would hand anyone a way to lock a user out for good.
//
// Like the IP throttle, a guess is counted *before* the password is checked (one conditional
// upsert that refuses when the limit is reached or a delay runs), so parallel guesses cannot all
// pass a read-then-write check; settleLogin then keeps, resets or gives back the count.

export interface LoginSlot {
  resourceId: string;
  loginKey: string;
}

/** The key a login is counted under: what users.login is compared with (lower of NFC). */
const keyOf = (login: string) => sql<string>`lower(${login.normalize('NFC')})`;

/** Counts a password guess for `login`; `retryAfter` (seconds) while the login must wait. */
export async function reserveLogin(db: Db, resourceId: string, login: string, limit: number, now: Date): Promise<{ slot: LoginSlot } | { retryAfter: number }> {
  const free = sql<boolean>`(login_attempts.locked_until is null or login_attempts.locked_until <= ${now}) and login_attempts.failures < ${limit}`;
  const row = await db
    .insertInto('login_attempts')
    .values({ resourceId, loginKey: keyOf(login), failures: 1, updatedAt: now })
    .onConflict((oc) => oc.columns(['resourceId', 'loginKey']).doUpdateSet({ failures: sql<number>`login_attempts.failures + 1`, updatedAt: now }).where(free))
    // Not waited for on disk (db/async-commit.ts): settleLogin's synchronous write follows.
    .returning(['loginKey', asyncCommit.as('asyncCommit')])
    .executeTakeFirst();
  if (row) return { slot: { resourceId, loginKey: row.loginKey } };
  const current = await db
    .selectFrom('login_attempts')
    .select('lockedUntil')
    .where('resourceId', '=', resourceId)
    .where('loginKey', '=', keyOf(login))
    .executeTakeFirst();
  const until = current?.lockedUntil?.getTime() ?? 0;
  // No delay running yet: the limit is full of guesses still being checked; they settle soon.
  return { retryAfter: until > now.getTime() ? Math.ceil((until - now.getTime()) / 1000) : 1 };
}

/**
 * Settles a reserved guess: 'wrong' keeps it (and starts the delay when the limit is reached),
 * 'right' resets the login, 'void' gives it back (the attempt ended before the password counted).
 * `release`: the attempt's IP throttle slot, given back in the same statement (a right password
 * that ends the attempt as a success: throttle.ts releaseSlot, one round trip and commit fewer).
 */
export async function settleLogin(db: Db, slot: LoginSlot, how: 'wrong' | 'right' | 'void', limit: number, now: Date, release?: ThrottleSlot): Promise<void> {
  const full = sql<boolean>`failures >= ${limit}`;
  const delayMs = progressiveDelaySql;
  const set =
    how === 'right'
      ? { failures: 0, lockCount: 0, lockedUntil: null, updatedAt: now }
      : how === 'void'
        ? { failures: sql<number>`greatest(failures - 1, 0)` }
        : {
            lockedUntil: sql<Date>`case when ${full} then ${now}::timestamptz + (${delayMs} * interval '1 millisecond') else locked_until end`,
            lockCount: sql<number>`case when ${full} then lock_count + 1 else lock_count end`,
            failures: sql<number>`case when ${full} then 0 else failures end`,
            updatedAt: now,
          };
  // The CTE's name is not used by the update: typed as the plain creator.
  const qc = (release ? db.with('released', (w) => releaseStatement(w, release)) : db) as QueryCreator<Database>;
  await qc.updateTable('login_attempts').set(set).where('resourceId', '=', slot.resourceId).where('loginKey', '=', slot.loginKey).execute();
}

/** Deletes counters untouched for a day whose delay has ended (maintenance). */
export async function purgeLoginAttempts(db: Db, now: Date): Promise<number> {
  const dayAgo = new Date(now.getTime() - 86_400_000);
  const rows = await db
    .deleteFrom('login_attempts')
    .where('updatedAt', '<', dayAgo)
    .where((eb) => eb.or([eb('lockedUntil', 'is', null), eb('lockedUntil', '<', now)]))
    .returning('loginKey')
    .execute();
  return rows.length;
}
