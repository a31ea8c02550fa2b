import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { sha256 } from '../crypto/random.js';
import type { Db } from '../db/index.js';
import type { Amr, WidgetState, WidgetTransactionRow } from '../db/types.js';
import { appError } from '../errors.js';

// Widget transactions (DESIGN §7.2): the iframe's whole state lives here, keyed by the SHA-256
// of a random 128-bit id that only the iframe holds, so no cookie is needed and a database dump
// gives nobody a usable id. Every change is one conditional UPDATE on (id, state, expiry,
// attempts), so of two concurrent calls on one transaction at most one moves it on.

export const TRANSACTION_TTL_MS = 10 * 60_000;
export const MAX_ATTEMPTS = 5;

/** The answer for any transaction that cannot be used: unknown, forged, expired, used up or done. */
export const expired = () => appError('transaction_expired');

export interface NewTransaction {
  resourceId: string;
  origin: string;
  nonce: string;
  instance: string;
  clientIp: string | null;
  userAgent: string | null;
}

/** Creates a transaction; returns the id for the client (never stored) and its expiry. */
export async function createTransaction(db: Db, input: NewTransaction, now: Date): Promise<{ id: string; expiresAt: Date }> {
  const id = randomBytes(16).toString('base64url');
  const expiresAt = new Date(now.getTime() + TRANSACTION_TTL_MS);
  await db
    .insertInto('widget_transactions')
    .values({ idHash: sha256(id), ...input, expiresAt, maxAttempts: MAX_ATTEMPTS, createdAt: now })
    .execute();
  return { id, expiresAt };
}

// 128 bits in base64url are 22 characters; anything else was never issued, and is not worth a query.
const idHash = (id: string) => (/^[A-Za-z0-9_-]{22}$/.test(id) ? sha256(id) : undefined);

const live = (now: Date) => sql<boolean>`expires_at > ${now}`;

/**
 * A live transaction in `state`, without changing it (resend uses no attempt). `resourceId`,
 * when the client names one, must be the transaction's: a transaction never serves another
 * resource.
 */
export async function findLive(db: Db, id: string, state: WidgetState, now: Date, resourceId?: string): Promise<WidgetTransactionRow> {
  const hash = idHash(id);
  const row = hash
    ? await db
        .selectFrom('widget_transactions')
        .selectAll()
        .where('idHash', '=', hash)
        .where('state', '=', state)
        .where(live(now))
        .$if(resourceId !== undefined, (q) => q.where('resourceId', '=', resourceId!))
        .executeTakeFirst()
    : undefined;
  if (!row) throw expired();
  return row;
}

/**
 * Reserves one attempt of a live transaction in `state`. Reserving before checking anything
 * means N concurrent guesses cannot each see "attempts left" and together exceed the limit;
 * an attempt that succeeds or fails for a reason that is not a guess gives it back.
 */
export async function claimAttempt(db: Db, id: string, state: WidgetState, now: Date, resourceId?: string): Promise<WidgetTransactionRow> {
  const hash = idHash(id);
  const row = hash
    ? await db
        .updateTable('widget_transactions')
        .set({ attempts: sql<number>`attempts + 1` })
        .where('idHash', '=', hash)
        .where('state', '=', state)
        .where(live(now))
        .where(sql<boolean>`attempts < max_attempts`)
        .$if(resourceId !== undefined, (q) => q.where('resourceId', '=', resourceId!))
        .returningAll()
        .executeTakeFirst()
    : undefined;
  if (!row) throw expired();
  return row;
}

/** Gives a reserved attempt back (the failure was not a wrong guess). */
export async function refundAttempt(db: Db, tx: WidgetTransactionRow): Promise<void> {
  await db
    .updateTable('widget_transactions')
    .set({ attempts: sql<number>`greatest(attempts - 1, 0)` })
    .where('idHash', '=', tx.idHash)
    .where('state', '=', tx.state)
    .execute();
}

/**
 * Keeps a reserved attempt as a failure; the last one kills the transaction. Returns the
 * attempts left.
 */
export async function spendAttempt(db: Db, tx: WidgetTransactionRow): Promise<number> {
  const left = tx.maxAttempts - tx.attempts;
  if (left <= 0) await db.updateTable('widget_transactions').set({ state: 'failed' }).where('idHash', '=', tx.idHash).where('state', '=', tx.state).execute();
  return Math.max(left, 0);
}

/**
 * Moves the transaction on from the state its attempt was claimed in, giving the attempt back.
 * False when a concurrent call moved it first (or it expired meanwhile): the caller must stop.
 */
export async function advance(
  db: Db,
  tx: WidgetTransactionRow,
  to: 'enroll' | 'otp' | 'done',
  set: { userId: string | null; tokenId: string | null; amr: Amr[]; challengeId?: string | null },
  now: Date,
): Promise<boolean> {
  const rows = await db
    .updateTable('widget_transactions')
    .set({
      state: to,
      userId: set.userId,
      tokenId: set.tokenId,
      amr: set.amr,
      ...(set.challengeId !== undefined ? { challengeId: set.challengeId } : {}),
      attempts: sql<number>`greatest(attempts - 1, 0)`,
      ...(to === 'done' ? { completedAt: now } : {}),
    })
    .where('idHash', '=', tx.idHash)
    .where('state', '=', tx.state)
    .where(live(now))
    .returning('idHash')
    .execute();
  return rows.length === 1;
}

/** The token being enrolled in an 'enroll' transaction (enroll.ts). */
export async function setEnrollToken(db: Db, tx: WidgetTransactionRow, tokenId: string | null): Promise<void> {
  await db.updateTable('widget_transactions').set({ tokenId }).where('idHash', '=', tx.idHash).where('state', '=', 'enroll').execute();
}

/** Deletes transactions that ended over an hour ago; they hold nothing anyone needs. */
export async function purgeTransactions(db: Db, now: Date): Promise<number> {
  const rows = await db
    .deleteFrom('widget_transactions')
    .where('expiresAt', '<', new Date(now.getTime() - 3_600_000))
    .returning('idHash')
    .execute();
  return rows.length;
}
