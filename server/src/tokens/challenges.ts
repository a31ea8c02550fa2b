import { randomInt } from 'node:crypto';
import type { KeyRing } from '../crypto/secretbox.js';
import type { Db } from '../db/index.js';
import type { ChallengeKind } from '../db/types.js';
import type { TokenRow } from './repository.js';
import { keyedCodeHash } from './secrets.js';

// Codes sent by e-mail/SMS/bot and OCRA challenges live in otp_challenges: single use, short
// lived, one open challenge per token and resource (a new one closes the previous).

export const RESEND_AFTER_MS = 30_000;

export type ChallengeRow = {
  id: string;
  tokenId: string;
  resourceId: string;
  kind: ChallengeKind;
  codeHash: Buffer | null;
  challenge: string | null;
  dataHash: Buffer | null;
  expiresAt: Date;
  sentAt: Date | null;
  createdAt: Date;
};

/** A keyed hash: six digits hashed plainly could be reversed by trying all of them. */
export const codeHash = (ring: KeyRing, tokenId: string, code: string) => keyedCodeHash(ring, 'challenge-code', tokenId, code);

/** The keyed hash that binds a transaction-signing challenge to the data it confirms. */
export const transactionDataHash = (ring: KeyRing, tokenId: string, data: string) => keyedCodeHash(ring, 'transaction-data', tokenId, data.normalize('NFC'));

export const randomDigits = (digits: number) => Array.from({ length: digits }, () => randomInt(10)).join('');

/** The open challenge of a token in a resource, if any (expired ones included, to say so). */
export async function latestChallenge(db: Db, tokenId: string, resourceId: string, kind: ChallengeKind): Promise<ChallengeRow | undefined> {
  return db
    .selectFrom('otp_challenges')
    .select(['id', 'tokenId', 'resourceId', 'kind', 'codeHash', 'challenge', 'dataHash', 'expiresAt', 'sentAt', 'createdAt'])
    .where('tokenId', '=', tokenId)
    .where('resourceId', '=', resourceId)
    .where('kind', '=', kind)
    .where('usedAt', 'is', null)
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst() as Promise<ChallengeRow | undefined>;
}

/** Seconds until a new code may be sent, or 0. */
export function resendWait(last: ChallengeRow | undefined, now: Date): number {
  if (!last?.sentAt) return 0;
  const wait = last.sentAt.getTime() + RESEND_AFTER_MS - now.getTime();
  return wait > 0 ? Math.ceil(wait / 1000) : 0;
}

/** Opens a new challenge and closes the previous one of the same token, resource and kind. */
export async function openChallenge(
  db: Db,
  input: {
    token: Pick<TokenRow, 'id'>;
    resourceId: string;
    kind: ChallengeKind;
    codeHash?: Buffer;
    challenge?: string;
    dataHash?: Buffer;
    ttlSeconds: number;
    now: Date;
  },
): Promise<{ id: string; expiresAt: Date }> {
  return db.transaction().execute(async (trx) => {
    await trx
      .updateTable('otp_challenges')
      .set({ usedAt: input.now })
      .where('tokenId', '=', input.token.id)
      .where('resourceId', '=', input.resourceId)
      .where('kind', '=', input.kind)
      .where('usedAt', 'is', null)
      .execute();
    const expiresAt = new Date(input.now.getTime() + input.ttlSeconds * 1000);
    const row = await trx
      .insertInto('otp_challenges')
      .values({
        tokenId: input.token.id,
        resourceId: input.resourceId,
        kind: input.kind,
        codeHash: input.codeHash ?? null,
        challenge: input.challenge ?? null,
        dataHash: input.dataHash ?? null,
        expiresAt,
        sentAt: input.now,
        createdAt: input.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, expiresAt };
  });
}

/** Marks a challenge used; false when another request used it first. */
export async function consumeChallenge(db: Db, id: string, now: Date): Promise<boolean> {
  const rows = await db.updateTable('otp_challenges').set({ usedAt: now }).where('id', '=', id).where('usedAt', 'is', null).returning('id').execute();
  return rows.length === 1;
}

/**
 * Deletes challenges expired over an hour ago (database maintenance): after that, "expired" and
 * "never sent" mean the same to the user.
 */
export async function purgeChallenges(db: Db, now: Date): Promise<number> {
  const before = new Date(now.getTime() - 3_600_000);
  const rows = await db.deleteFrom('otp_challenges').where('expiresAt', '<', before).execute();
  // Codes confirming new tokens (tokens/confirmation.ts) expire the same way.
  const confirmations = await db.deleteFrom('token_confirmations').where('expiresAt', '<', before).execute();
  return Number(rows[0]?.numDeletedRows ?? 0n) + Number(confirmations[0]?.numDeletedRows ?? 0n);
}
