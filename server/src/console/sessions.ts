// Console sessions (DESIGN §11): server-side rows shared by every instance. The browser holds a
// random 256-bit value in the HttpOnly cookie `vf_console`; the database holds only its SHA-256,
// so a copy of the table opens no session. Each session has its own CSRF value (http/csrf.ts),
// which the console sends in `X-Veriframe-CSRF` with every API call; a reloaded page gets it
// again from GET /console/api/session.
import { randomBytes } from 'node:crypto';
import type { Principal } from '../access/principal.js';
import { randomKey, sha256 } from '../crypto/random.js';
import { csrfMatches, csrfOf } from '../http/csrf.js';
import type { Db } from '../db/index.js';
import { adminResourceIds, findAdmin } from '../admins/repository.js';

export const SESSION_COOKIE = 'vf_console';
export const CSRF_HEADER = 'x-veriframe-csrf';
export const SESSION_IDLE_MS = 15 * 60_000;
export const SESSION_ABSOLUTE_MS = 12 * 3600_000;
/** last_seen_at is written at most this often per session (idle expiry is accurate to it). */
const TOUCH_EVERY_MS = 30_000;
export const NONCE_TTL_MS = 10 * 60_000;
const PURGE_MARGIN_MS = 24 * 3600_000;

export interface OpenedSession {
  /** The cookie value: returned once, stored only hashed. */
  cookie: string;
  csrf: string;
  expiresAt: Date;
}

/** The console session's CSRF value: unguessable without the cookie (256 random bits), never stored. */
export const consoleCsrf = (cookie: string) => csrfOf(cookie, 'console');

export async function openSession(db: Db, input: { adminId: string; now: Date; ip: string | null }): Promise<OpenedSession> {
  const cookie = randomKey('vfc_');
  const csrf = consoleCsrf(cookie);
  const expiresAt = new Date(input.now.getTime() + SESSION_ABSOLUTE_MS);
  await db
    .insertInto('console_sessions')
    .values({ tokenHash: sha256(cookie), adminId: input.adminId, csrfHash: sha256(csrf), createdAt: input.now, lastSeenAt: input.now, expiresAt, ip: input.ip })
    .execute();
  return { cookie, csrf, expiresAt };
}

export interface LiveSession {
  id: string;
  adminId: string;
  csrfHash: Buffer;
  expiresAt: Date;
  lastSeenAt: Date;
}

/** The session behind a cookie value, if it is neither revoked nor idle nor past its end. */
export async function findLiveSession(db: Db, cookie: string, now: Date): Promise<LiveSession | undefined> {
  if (!cookie.startsWith('vfc_') || cookie.length > 100) return undefined;
  const row = await db
    .selectFrom('console_sessions')
    .select(['id', 'adminId', 'csrfHash', 'expiresAt', 'lastSeenAt'])
    .where('tokenHash', '=', sha256(cookie))
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  const t = now.getTime();
  if (row.expiresAt.getTime() <= t || row.lastSeenAt.getTime() + SESSION_IDLE_MS <= t) return undefined;
  if (row.lastSeenAt.getTime() + TOUCH_EVERY_MS <= t) {
    await db.updateTable('console_sessions').set({ lastSeenAt: now }).where('id', '=', row.id).where('lastSeenAt', '<', now).execute();
  }
  return row;
}

export type SessionCheck = { principal: Principal } | { refused: 'invalid_session' | 'csrf' };

/**
 * Authenticates an /api/v1 call by its console cookie: a live session of an active administrator
 * (else `invalid_session`), then the CSRF header equal to the session's value (else `csrf`).
 */
export async function authenticateSession(db: Db, cookie: string, csrfHeader: string | undefined, now: Date): Promise<SessionCheck> {
  const session = await findLiveSession(db, cookie, now);
  if (!session) return { refused: 'invalid_session' };
  const admin = await findAdmin(db, session.adminId);
  if (!admin?.active) return { refused: 'invalid_session' };
  if (csrfHeader === undefined || !csrfMatches(csrfHeader, session.csrfHash)) return { refused: 'csrf' };
  const resourceIds = admin.role === 'superuser' ? [] : await adminResourceIds(db, admin.id);
  // keyId names the session for sessions (the Principal's "credential used" slot).
  return { principal: { adminId: admin.id, role: admin.role, keyId: session.id, resourceIds } };
}

export async function revokeSession(db: Db, cookie: string, now: Date): Promise<boolean> {
  const rows = await db
    .updateTable('console_sessions')
    .set({ revokedAt: now })
    .where('tokenHash', '=', sha256(cookie))
    .where('revokedAt', 'is', null)
    .returning('id')
    .execute();
  return rows.length > 0;
}

/** Ends every session of an administrator (reset-access, deactivation). */
export async function revokeAdminSessions(db: Db, adminId: string, now: Date): Promise<number> {
  const rows = await db
    .updateTable('console_sessions')
    .set({ revokedAt: now })
    .where('adminId', '=', adminId)
    .where('revokedAt', 'is', null)
    .returning('id')
    .execute();
  return rows.length;
}

/** A nonce for one view of the sign-in page; the result JWT must carry it. */
export async function mintNonce(db: Db, now: Date): Promise<string> {
  const nonce = randomBytes(24).toString('base64url');
  await db
    .insertInto('console_nonces')
    .values({ nonceHash: sha256(nonce), expiresAt: new Date(now.getTime() + NONCE_TTL_MS) })
    .execute();
  return nonce;
}

/** Deletes the nonce; true only for the one caller that found it unexpired (single use). */
export async function consumeNonce(db: Db, nonce: string, now: Date): Promise<boolean> {
  const row = await db.deleteFrom('console_nonces').where('nonceHash', '=', sha256(nonce)).returning('expiresAt').executeTakeFirst();
  return row !== undefined && row.expiresAt.getTime() > now.getTime();
}

/** Drops expired nonces and sessions ended over a day ago. */
export async function purgeConsoleRows(db: Db, now: Date): Promise<void> {
  await db.deleteFrom('console_nonces').where('expiresAt', '<=', now).execute();
  await db
    .deleteFrom('console_sessions')
    .where('expiresAt', '<', new Date(now.getTime() - PURGE_MARGIN_MS))
    .execute();
}
