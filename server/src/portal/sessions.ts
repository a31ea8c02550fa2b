import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { KeyRing } from '../crypto/secretbox.js';
import { sha256 } from '../crypto/random.js';
import type { Db } from '../db/index.js';
import type { PortalCodePurpose, PortalSessionRow, PortalStage } from '../db/types.js';
import { csrfHashOf, csrfOf } from '../http/csrf.js';
import { keyedCodeHash } from '../tokens/secrets.js';
import { randomDigits } from '../tokens/challenges.js';

// The portal's transport state (DESIGN §12): server-side sessions behind the `vf_ss` cookie and
// the codes the portal itself sends. Stored by hash: the cookie value and the codes never reach
// the database, so reading it does not let anyone take over a session or use a code.

export const IDLE_MS = 10 * 60_000;
export const ABSOLUTE_MS = 12 * 3_600_000;
export const CODE_TTL_MS = 10 * 60_000;
/** Wrong tries of one code before it is spent. */
export const CODE_ATTEMPTS = 5;
const CODE_DIGITS = 6;

export type { PortalSessionRow };

const PORTAL_CSRF = 'portal';
/** The session's CSRF value, derived from its cookie value (never stored). */
export const portalCsrf = (id: string) => csrfOf(id, PORTAL_CSRF);

export async function openSession(
  db: Db,
  input: { resourceId: string; login: string; stage: PortalStage; userId: string | null },
  now: Date,
): Promise<{ id: string; row: PortalSessionRow }> {
  const id = randomBytes(32).toString('base64url');
  const row = await db
    .insertInto('portal_sessions')
    .values({
      idHash: sha256(id),
      ...input,
      csrfHash: csrfHashOf(id, PORTAL_CSRF),
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + ABSOLUTE_MS),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { id, row };
}

/** The live session for this cookie value in this resource, its idle clock restarted; else undefined. */
export async function touchSession(db: Db, id: string, resourceId: string, now: Date): Promise<PortalSessionRow | undefined> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return undefined;
  return db
    .updateTable('portal_sessions')
    .set({ lastSeenAt: now })
    .where('idHash', '=', sha256(id))
    .where('resourceId', '=', resourceId)
    .where('expiresAt', '>', now)
    .where('lastSeenAt', '>', new Date(now.getTime() - IDLE_MS))
    .returningAll()
    .executeTakeFirst();
}

/**
 * Moves a session on from the stage it is in; false when another request moved it first.
 * `pushChallengeId`: the challenge a session moving to 'push' waits for (cleared otherwise).
 */
export async function advanceSession(
  db: Db,
  s: PortalSessionRow,
  stage: PortalStage,
  userId: string | null,
  pushChallengeId: string | null = null,
): Promise<boolean> {
  const rows = await db
    .updateTable('portal_sessions')
    .set({ stage, userId, pushChallengeId })
    .where('idHash', '=', s.idHash)
    .where('stage', '=', s.stage)
    .returning('idHash')
    .execute();
  return rows.length === 1;
}

export async function setPendingToken(db: Db, s: PortalSessionRow, tokenId: string | null): Promise<void> {
  await db.updateTable('portal_sessions').set({ pendingTokenId: tokenId }).where('idHash', '=', s.idHash).execute();
}

export async function closeSession(db: Db, s: Pick<PortalSessionRow, 'idHash'>): Promise<void> {
  await db.deleteFrom('portal_sessions').where('idHash', '=', s.idHash).execute();
}

/** Deletes sessions past their idle or absolute end (their codes go with them); returns how many. */
export async function purgeSessions(db: Db, now: Date): Promise<number> {
  const rows = await db
    .deleteFrom('portal_sessions')
    .where((eb) => eb.or([eb('expiresAt', '<=', now), eb('lastSeenAt', '<=', new Date(now.getTime() - IDLE_MS))]))
    .execute();
  return Number(rows[0]?.numDeletedRows ?? 0n);
}

const codeHash = (ring: KeyRing, s: PortalSessionRow, purpose: PortalCodePurpose, target: string | null, code: string) =>
  keyedCodeHash(ring, `portal-${purpose}`, `${s.idHash.toString('hex')}:${target ?? ''}`, code);

/** A new code for this session and purpose; earlier ones of the same purpose stop working. */
export async function openCode(db: Db, ring: KeyRing, s: PortalSessionRow, purpose: PortalCodePurpose, target: string | null, now: Date): Promise<string> {
  const code = randomDigits(CODE_DIGITS);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('portal_codes').where('sessionHash', '=', s.idHash).where('purpose', '=', purpose).execute();
    await trx
      .insertInto('portal_codes')
      .values({
        sessionHash: s.idHash,
        purpose,
        target,
        codeHash: codeHash(ring, s, purpose, target, code),
        expiresAt: new Date(now.getTime() + CODE_TTL_MS),
        createdAt: now,
      })
      .execute();
  });
  return code;
}

export type CodeCheck = { ok: true; target: string | null } | { ok: false; reason: 'wrong' | 'expired' };

/**
 * Checks a code: single use (the one conditional UPDATE that marks it used is the only way to
 * succeed, so two requests with the right code cannot both pass), and at most CODE_ATTEMPTS
 * tries, counted atomically before the comparison.
 */
export async function useCode(db: Db, ring: KeyRing, s: PortalSessionRow, purpose: PortalCodePurpose, code: string, now: Date): Promise<CodeCheck> {
  const counted = await db
    .updateTable('portal_codes')
    .set({ attempts: sql`attempts + 1` })
    .where('sessionHash', '=', s.idHash)
    .where('purpose', '=', purpose)
    .where('usedAt', 'is', null)
    .where('expiresAt', '>', now)
    .where('attempts', '<', CODE_ATTEMPTS)
    .returning(['id', 'target'])
    .executeTakeFirst();
  if (!counted) return { ok: false, reason: 'expired' };
  const used = await db
    .updateTable('portal_codes')
    .set({ usedAt: now })
    .where('id', '=', counted.id)
    .where('usedAt', 'is', null)
    .where('codeHash', '=', codeHash(ring, s, purpose, counted.target, code))
    .returning('target')
    .executeTakeFirst();
  return used ? { ok: true, target: used.target } : { ok: false, reason: 'wrong' };
}
