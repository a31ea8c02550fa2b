import { randomBytes } from 'node:crypto';
import { sql, type QueryCreator } from 'kysely';
import { type RateHitParams, type RateLimit, rateHit, rateLimitWait } from '../auth/rate-windows.js';
import { lookAndReadSelect, lookedOf, type Looked } from '../auth/repository.js';
import { sha256 } from '../crypto/random.js';
import type { Database, Db } from '../db/index.js';
import { precompiled } from '../db/precompiled.js';
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

/**
 * Creates a transaction; returns the id for the client (never stored) and its expiry. Counts the
 * start in the client's rate window (auth/rate-windows.ts) and creates the
 * transaction only when it was counted, in one statement and one commit: the window's upsert
 * is a CTE, the insert takes its row from it. `retryAfter` when the window is full (then
 * nothing is counted or created), as hitRateLimit answers.
 */
export async function startTransaction(
  db: Db,
  input: NewTransaction,
  limit: { rate: RateLimit; key: string },
  now: Date,
): Promise<{ id: string; expiresAt: Date } | { retryAfter: number }> {
  const id = randomBytes(16).toString('base64url');
  const expiresAt = new Date(now.getTime() + TRANSACTION_TTL_MS);
  const { rows } = await startQuery(db, {
    ...limit.rate,
    key: limit.key,
    now,
    idHash: sha256(id),
    ...input,
    expiresAt,
    maxAttempts: MAX_ATTEMPTS,
  });
  if (!rows.length) return { retryAfter: await rateLimitWait(db, limit.rate, limit.key, now) };
  return { id, expiresAt };
}

// Flattened to a plain object type: precompiled's parameters are a record.
type StartParams = { [K in keyof (RateHitParams & NewTransaction)]: (RateHitParams & NewTransaction)[K] } & {
  idHash: Buffer;
  expiresAt: Date;
  maxAttempts: number;
};

const startQuery = precompiled((db, p: StartParams) =>
  // The CTE adds a table the insert does not name: typed as the plain creator.
  (db.with('hit', (qc) => rateHit(qc, p)) as unknown as QueryCreator<Database>)
    .insertInto('widget_transactions')
    .columns(['idHash', 'resourceId', 'origin', 'nonce', 'instance', 'clientIp', 'userAgent', 'expiresAt', 'maxAttempts', 'createdAt'])
    .expression(
      sql`select ${p.idHash}::bytea, ${p.resourceId}::uuid, ${p.origin}::text, ${p.nonce}::text, ${p.instance}::text, ${p.clientIp}::text,
        ${p.userAgent}::text, ${p.expiresAt}::timestamptz, ${p.maxAttempts}::integer, ${p.now}::timestamptz
        where exists (select from hit)`,
    )
    .returning('expiresAt'),
);

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
    ? resourceId === undefined
      ? (await claimQuery(db, { hash, state, now })).rows[0]
      : (await claimForResourceQuery(db, { hash, state, now, resourceId })).rows[0]
    : undefined;
  if (!row) throw expired();
  return row;
}

// Precompiled (db/precompiled.ts): built once, the same SQL text every time, so the statement
// is prepared once per connection; one for each shape of the condition.
type ClaimParams = { hash: Buffer; state: WidgetState; now: Date; resourceId?: string };
const claim = (db: QueryCreator<Database>, p: ClaimParams, forResource: boolean) =>
  db
    .updateTable('widget_transactions')
    .set({ attempts: sql<number>`attempts + 1` })
    .where('idHash', '=', p.hash)
    .where('state', '=', p.state)
    .where(live(p.now))
    .where(sql<boolean>`attempts < max_attempts`)
    .$if(forResource, (q) => q.where('resourceId', '=', p.resourceId!))
    .returningAll();
const claimQuery = precompiled((db, p: ClaimParams) => claim(db, p, false));
const claimForResourceQuery = precompiled((db, p: ClaimParams) => claim(db, p, true));

/**
 * claimAttempt for the identify step, with auth's look at the client's throttle window and read
 * of the login (auth/repository.ts lookAndReadSelect) on the claimed transaction's resource, in
 * the same statement: the step's begin then needs no statement of its own for them.
 */
export async function claimAndLook(
  db: Db,
  id: string,
  now: Date,
  resourceId: string | undefined,
  look: { bucket: string; login: string },
): Promise<{ tx: WidgetTransactionRow; looked: Looked }> {
  const hash = idHash(id);
  if (!hash) throw expired();
  const p = { hash, state: 'identify' as const, now, bucket: look.bucket, login: look.login.normalize('NFC') };
  const row = (resourceId === undefined ? await claimAndLookQuery(db, p) : await claimForResourceAndLookQuery(db, { ...p, resourceId })).rows[0];
  if (!row) throw expired();
  const { txIdHash, txResourceId, txOrigin, txNonce, txInstance, txState, txUserId, txTokenId, txAmr, ...rest } = row;
  const { txAttempts, txMaxAttempts, txChallengeId, txClientIp, txUserAgent, txExpiresAt, txCreatedAt, txCompletedAt, ...looked } = rest;
  // Listed one by one, so that the compiler names a column txColumns misses.
  const tx: WidgetTransactionRow = {
    idHash: txIdHash,
    resourceId: txResourceId,
    origin: txOrigin,
    nonce: txNonce,
    instance: txInstance,
    state: txState,
    userId: txUserId,
    tokenId: txTokenId,
    amr: txAmr,
    attempts: txAttempts,
    maxAttempts: txMaxAttempts,
    challengeId: txChallengeId,
    clientIp: txClientIp,
    userAgent: txUserAgent,
    expiresAt: txExpiresAt,
    createdAt: txCreatedAt,
    completedAt: txCompletedAt,
  };
  return { tx, looked: lookedOf({ resourceId: tx.resourceId, bucket: look.bucket }, looked) };
}

// The claimed row's columns, prefixed so that they cannot meet the read's (tokens.*, u*).
const txColumns = [
  'c.idHash as txIdHash',
  'c.resourceId as txResourceId',
  'c.origin as txOrigin',
  'c.nonce as txNonce',
  'c.instance as txInstance',
  'c.state as txState',
  'c.userId as txUserId',
  'c.tokenId as txTokenId',
  'c.amr as txAmr',
  'c.attempts as txAttempts',
  'c.maxAttempts as txMaxAttempts',
  'c.challengeId as txChallengeId',
  'c.clientIp as txClientIp',
  'c.userAgent as txUserAgent',
  'c.expiresAt as txExpiresAt',
  'c.createdAt as txCreatedAt',
  'c.completedAt as txCompletedAt',
] as const;

type ClaimAndLookParams = ClaimParams & { bucket: string; login: string };
const claimAndLookStatement = (db: Db, p: ClaimAndLookParams, forResource: boolean) =>
  db
    .with('c', (qc) => claim(qc, p, forResource))
    .selectFrom('c')
    .innerJoinLateral(
      (eb) => lookAndReadSelect(db, { resourceId: eb.ref('c.resourceId'), bucket: p.bucket, login: p.login }).as('a'),
      (join) => join.onTrue(),
    )
    .select(txColumns)
    .selectAll('a');
const claimAndLookQuery = precompiled((db, p: ClaimAndLookParams) => claimAndLookStatement(db, p, false));
const claimForResourceAndLookQuery = precompiled((db, p: ClaimAndLookParams) => claimAndLookStatement(db, p, true));

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
  const p = {
    hash: tx.idHash,
    from: tx.state,
    to,
    userId: set.userId,
    tokenId: set.tokenId,
    amr: set.amr,
    challengeId: set.challengeId ?? null,
    // Only the end is a completion; before it the column is null and stays so.
    completedAt: to === 'done' ? now : null,
    now,
  };
  const { rows } = await (set.challengeId !== undefined ? advanceWithChallengeQuery : advanceQuery)(db, p);
  return rows.length === 1;
}

type AdvanceParams = {
  hash: Buffer;
  from: WidgetState;
  to: WidgetState;
  userId: string | null;
  tokenId: string | null;
  amr: Amr[];
  challengeId: string | null;
  completedAt: Date | null;
  now: Date;
};

const advanceUpdate = (db: Db, p: AdvanceParams, withChallenge: boolean) =>
  db
    .updateTable('widget_transactions')
    .set({
      state: p.to,
      userId: p.userId,
      tokenId: p.tokenId,
      amr: p.amr,
      ...(withChallenge ? { challengeId: p.challengeId } : {}),
      attempts: sql<number>`greatest(attempts - 1, 0)`,
      completedAt: p.completedAt,
    })
    .where('idHash', '=', p.hash)
    .where('state', '=', p.from)
    .where(live(p.now))
    .returning('idHash');
const advanceQuery = precompiled((db, p: AdvanceParams) => advanceUpdate(db, p, false));
const advanceWithChallengeQuery = precompiled((db, p: AdvanceParams) => advanceUpdate(db, p, true));

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
