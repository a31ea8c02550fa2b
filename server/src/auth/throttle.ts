import { sql, type QueryCreator } from 'kysely';
import { asyncCommit } from '../db/async-commit.js';
import type { Database, Db } from '../db/index.js';
import { precompiled } from '../db/precompiled.js';
import { parseAddress } from '../http/client-ip.js';

// Per-IP throttling per resource (DESIGN §5, §10): at most `maxFailures` failed attempts from one
// client within `windowSeconds`. A slot is *reserved* before any credential is checked (one
// atomic upsert that refuses when the window is full) and given back when the attempt turns out
// not to be a failed guess. Reading first and counting afterwards let a burst of parallel
// guesses all pass the check before any of them was counted.

export interface ThrottlePolicy {
  maxFailures: number;
  windowSeconds: number;
}

/** A reserved slot: released with its window, so a release never eats into a later window. */
export interface ThrottleSlot {
  resourceId: string;
  bucket: string;
  windowStart: Date;
}

/** Calls without a client IP share one bucket per resource: leaving `ip` out buys nothing. */
export const NO_IP_BUCKET = 'no-ip';

/**
 * The throttle bucket of a client: an IPv4 address itself, an IPv6 address by its /64 (one
 * customer line or host gets a whole /64, so per-address buckets would be free to multiply).
 */
export function ipBucket(ip: string | null): string {
  const addr = ip === null ? null : parseAddress(ip);
  if (!addr) return NO_IP_BUCKET;
  if (addr.kind() === 'ipv4') return addr.toString();
  const parts = (addr as { parts: number[] }).parts.slice(0, 4).concat([0, 0, 0, 0]);
  return `${parts.map((p) => p.toString(16)).join(':')}/64`;
}

export type ReserveParams = { resourceId: string; bucket: string; now: Date; windowSeconds: number; maxFailures: number };

/**
 * The reservation: one upsert that counts a failure in the client's window, or starts a new
 * window, and does nothing when the window is full. It returns the window's start when a slot
 * was taken. A statement of its own (reserveSlot) or the first part of the attempt's read
 * (auth/repository.ts), so that the hot path pays no extra round trip for it.
 */
export function reservation(db: QueryCreator<Database>, p: ReserveParams) {
  const open = sql<boolean>`auth_throttle.window_start > ${p.now}::timestamptz - (${p.windowSeconds} * interval '1 second')`;
  return (
    db
      .insertInto('auth_throttle')
      .values({ resourceId: p.resourceId, ip: p.bucket, windowStart: p.now, failures: 1 })
      .onConflict((oc) =>
        oc
          .columns(['resourceId', 'ip'])
          .doUpdateSet({
            failures: sql<number>`case when ${open} then auth_throttle.failures + 1 else 1 end`,
            windowStart: sql<Date>`case when ${open} then auth_throttle.window_start else ${p.now}::timestamptz end`,
          })
          .where(sql<boolean>`not ${open} or auth_throttle.failures < ${p.maxFailures}`),
      )
      // Not waited for on disk (db/async-commit.ts): every attempt ends with a synchronous write
      // (its outcome or event) that makes the count durable; until then other instances see it.
      .returning(['windowStart', asyncCommit.as('asyncCommit')])
  );
}

export const reserveParams = (resourceId: string, ip: string | null, policy: ThrottlePolicy, now: Date): ReserveParams => ({
  resourceId,
  bucket: ipBucket(ip),
  now,
  windowSeconds: policy.windowSeconds,
  maxFailures: policy.maxFailures,
});

/** Reserves one failure slot; `retryAfter` (seconds) when the client's window is full. */
export async function reserveSlot(
  db: Db,
  resourceId: string,
  ip: string | null,
  policy: ThrottlePolicy,
  now: Date,
): Promise<{ slot: ThrottleSlot } | { retryAfter: number }> {
  const p = reserveParams(resourceId, ip, policy, now);
  const row = (await reserveQuery(db, p)).rows[0];
  return reserved(db, p, row?.windowStart ?? null, policy);
}

/** The outcome of a reservation whose result (the window's start, or null) was read. */
export async function reserved(
  db: Db,
  p: ReserveParams,
  windowStart: Date | null,
  policy: ThrottlePolicy,
): Promise<{ slot: ThrottleSlot } | { retryAfter: number }> {
  if (windowStart) return { slot: { resourceId: p.resourceId, bucket: p.bucket, windowStart } };
  return { retryAfter: await throttleWait(db, p.resourceId, p.bucket, policy, p.now) };
}

/** Seconds until the client's window ends (at least 1 while it is full), or 0. */
export async function throttleWait(db: Db, resourceId: string, bucket: string, policy: ThrottlePolicy, now: Date): Promise<number> {
  return waitOf((await windowQuery(db, { resourceId, bucket })).rows[0], policy, now);
}

/** throttleWait on a window already read (none: 0), e.g. with the attempt's read (auth/repository.ts). */
export function waitOf(window: { windowStart: Date; failures: number } | undefined, policy: ThrottlePolicy, now: Date): number {
  if (!window || window.failures < policy.maxFailures) return 0;
  const ends = window.windowStart.getTime() + policy.windowSeconds * 1000;
  return Math.max(1, Math.ceil((ends - now.getTime()) / 1000));
}

// Precompiled (db/precompiled.ts): both are on the widget's path, once per step.
const reserveQuery = precompiled((db, p: ReserveParams) => reservation(db, p));
const windowQuery = precompiled((db, p: { resourceId: string; bucket: string }) =>
  db.selectFrom('auth_throttle').select(['windowStart', 'failures']).where('resourceId', '=', p.resourceId).where('ip', '=', p.bucket),
);

/** Gives a slot back: the attempt succeeded or failed for a reason that is not a guess. */
export async function releaseSlot(db: Db, slot: ThrottleSlot): Promise<void> {
  await releaseQuery(db, { ...slot });
}

/** The release as a statement of its own or as a CTE of another (login-guard.ts settleLogin). */
export const releaseStatement = (db: QueryCreator<Database>, slot: ThrottleSlot) =>
  db
    .updateTable('auth_throttle')
    .set({ failures: sql<number>`greatest(failures - 1, 0)` })
    .where('resourceId', '=', slot.resourceId)
    .where('ip', '=', slot.bucket)
    .where('windowStart', '=', slot.windowStart);

const releaseQuery = precompiled((db, slot: { resourceId: string; bucket: string; windowStart: Date }) => releaseStatement(db, slot));

/** The longest throttle window a resource may have (resources/schema.ts), plus an hour. */
const THROTTLE_KEEP_MS = 86_400_000 + 3_600_000;

/** Deletes windows older than any resource's window can be (database maintenance). */
export async function purgeThrottleWindows(db: Db, now: Date): Promise<number> {
  const rows = await db
    .deleteFrom('auth_throttle')
    .where('windowStart', '<', new Date(now.getTime() - THROTTLE_KEEP_MS))
    .execute();
  return Number(rows[0]?.numDeletedRows ?? 0n);
}
