import { EventEmitter } from 'node:events';
import type { PushChallengeView, PushDecision } from '../../../shared/push.js';
import type { Db } from '../db/index.js';
import type { PushChallengeRow, PushPurpose } from '../db/types.js';
import { appError } from '../errors.js';

// Push challenges (DESIGN §13): a sign-in or transaction waiting for the device's answer. The
// row is the only state: any server instance can open one, stream it to the app, take the
// answer and let the waiting sign-in complete. An answer is taken once (pending → approved or
// denied, conditionally), and the decision is used once (used_at), so neither a replayed answer
// nor a replayed status call can complete a second sign-in.

export const PUSH_TTL_MS = 2 * 60_000;

/**
 * Wakes this instance's streams as soon as a challenge opens here; other instances' challenges
 * are found by the streams' periodic read.
 */
export const pushSignals = new EventEmitter();
pushSignals.setMaxListeners(0);

export interface ChallengeDetails {
  resource: string;
  login: string;
  ip: string | null;
  country: string | null;
  userAgent: string | null;
  data: string | null;
}

export async function openPushChallenge(
  db: Db,
  input: { tokenId: string; resourceId: string; purpose: PushPurpose; details: ChallengeDetails; dataHash?: Buffer; now: Date },
): Promise<{ id: string; expiresAt: Date }> {
  const expiresAt = new Date(input.now.getTime() + PUSH_TTL_MS);
  const row = await db
    .insertInto('push_challenges')
    .values({
      tokenId: input.tokenId,
      resourceId: input.resourceId,
      purpose: input.purpose,
      details: JSON.stringify(input.details),
      dataHash: input.dataHash ?? null,
      createdAt: input.now,
      expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  pushSignals.emit(input.tokenId);
  return { id: row.id, expiresAt };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function findPushChallenge(db: Db, id: string): Promise<PushChallengeRow | undefined> {
  if (!UUID.test(id)) return undefined;
  return db.selectFrom('push_challenges').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The challenges the device still has to answer, oldest first. */
export async function pendingChallenges(db: Db, tokenId: string, now: Date): Promise<PushChallengeRow[]> {
  return db
    .selectFrom('push_challenges')
    .selectAll()
    .where('tokenId', '=', tokenId)
    .where('status', '=', 'pending')
    .where('expiresAt', '>', now)
    .orderBy('createdAt')
    .orderBy('id')
    .limit(20)
    .execute();
}

export function challengeView(row: PushChallengeRow): PushChallengeView {
  const d = row.details as unknown as ChallengeDetails;
  return {
    id: row.id,
    purpose: row.purpose,
    resource: d.resource,
    login: d.login,
    ip: d.ip,
    country: d.country,
    userAgent: d.userAgent,
    data: d.data,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
  };
}

/**
 * Records the device's decision on a pending, live challenge of its own token. The signature
 * was checked by the caller; this decides the race between two answers.
 */
export async function decide(db: Db, row: PushChallengeRow, decision: PushDecision, now: Date): Promise<PushChallengeRow> {
  if (row.status !== 'pending') throw appError('push_challenge_answered');
  if (row.expiresAt.getTime() <= now.getTime()) throw appError('push_challenge_expired');
  const updated = await db
    .updateTable('push_challenges')
    .set({ status: decision === 'approve' ? 'approved' : 'denied', decidedAt: now })
    .where('id', '=', row.id)
    .where('status', '=', 'pending')
    .where('expiresAt', '>', now)
    .returningAll()
    .executeTakeFirst();
  if (!updated) throw appError('push_challenge_answered');
  return updated;
}

/** Marks a decided challenge as used by the sign-in waiting for it; false when it was used already. */
export async function useDecision(db: Db, id: string, now: Date): Promise<boolean> {
  const rows = await db
    .updateTable('push_challenges')
    .set({ usedAt: now })
    .where('id', '=', id)
    .where('status', '!=', 'pending')
    .where('usedAt', 'is', null)
    .returning('id')
    .execute();
  return rows.length === 1;
}

/** Deletes challenges that ended over an hour ago (database maintenance). */
export async function purgePushChallenges(db: Db, now: Date): Promise<number> {
  const rows = await db
    .deleteFrom('push_challenges')
    .where('expiresAt', '<', new Date(now.getTime() - 3_600_000))
    .execute();
  return Number(rows[0]?.numDeletedRows ?? 0n);
}
