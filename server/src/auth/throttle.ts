import { sql } from 'kysely';
import type { Db } from '../db/index.js';

// Per-IP throttling per resource (DESIGN §5): after `maxFailures` failed attempts from one IP
// within `windowSeconds`, that IP is refused with 429 until the window ends. A fixed window in
// one row per (resource, ip), changed with single atomic statements so several instances agree.

export interface ThrottlePolicy {
  maxFailures: number;
  windowSeconds: number;
}

/** The IP's current window, as stored (undefined: no failures recorded). */
export interface ThrottleState {
  windowStart: Date;
  failures: number;
}

/** Seconds to wait, or 0 when the IP may try. */
export async function throttleWait(db: Db, resourceId: string, ip: string | null, policy: ThrottlePolicy, now: Date): Promise<number> {
  if (!ip) return 0;
  const row = await db.selectFrom('auth_throttle').select(['windowStart', 'failures']).where('resourceId', '=', resourceId).where('ip', '=', ip).executeTakeFirst();
  return waitFor(row, policy, now);
}

/** throttleWait for a state read by the caller (in a query of its own). */
export function waitFor(state: ThrottleState | undefined, policy: ThrottlePolicy, now: Date): number {
  if (!state || state.failures < policy.maxFailures) return 0;
  const ends = state.windowStart.getTime() + policy.windowSeconds * 1000;
  return ends > now.getTime() ? Math.ceil((ends - now.getTime()) / 1000) : 0;
}

/** Counts one failure; a window that has ended starts again at this failure. */
export async function recordThrottleFailure(db: Db, resourceId: string, ip: string | null, policy: ThrottlePolicy, now: Date): Promise<void> {
  if (!ip) return;
  const windowOpen = sql<boolean>`auth_throttle.window_start > ${now}::timestamptz - (${policy.windowSeconds} * interval '1 second')`;
  await db
    .insertInto('auth_throttle')
    .values({ resourceId, ip, windowStart: now, failures: 1 })
    .onConflict((oc) =>
      oc.columns(['resourceId', 'ip']).doUpdateSet({
        failures: sql<number>`case when ${windowOpen} then auth_throttle.failures + 1 else 1 end`,
        windowStart: sql<Date>`case when ${windowOpen} then auth_throttle.window_start else ${now}::timestamptz end`,
      }),
    )
    .execute();
}

/** The longest throttle window a resource may have (resources/schema.ts), plus an hour. */
const THROTTLE_KEEP_MS = 86_400_000 + 3_600_000;

/** Deletes windows older than any resource's window can be (database maintenance). */
export async function purgeThrottleWindows(db: Db, now: Date): Promise<number> {
  const rows = await db.deleteFrom('auth_throttle').where('windowStart', '<', new Date(now.getTime() - THROTTLE_KEEP_MS)).execute();
  return Number(rows[0]?.numDeletedRows ?? 0n);
}
