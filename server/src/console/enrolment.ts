// Administrators' console logins (DESIGN §11): `veriframe admin create` makes an administrator,
// its user in the console resource and a one-time enrolment link (24 h); on the link's page the
// administrator sets a password and enrols a TOTP authenticator, confirmed by one code. Until
// then the user has neither, so nobody can sign in as it. `veriframe admin reset-access` removes
// both and issues a new link: the recovery path when an authenticator is lost.
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import * as admins from '../admins/repository.js';
import { hashPassword } from '../crypto/password.js';
import { sha256 } from '../crypto/random.js';
import type { KeyRing } from '../crypto/secretbox.js';
import type { AdminRole } from '../db/types.js';
import type { Db } from '../db/index.js';
import { appError } from '../errors.js';
import { appendEvent } from '../events/repository.js';
import { base32Encode, findTotpStep } from '../otp/index.js';
import { enrollment, generateSecret, openSecret, sealSecret, type Enrollment } from '../tokens/secrets.js';
import { findUserByLogin } from '../users/repository.js';
import { CONSOLE_BUILTIN, consoleResourceId } from './resource.js';
import { revokeAdminSessions } from './sessions.js';

export const ENROLMENT_TTL_MS = 24 * 3600_000;
export const ENROLMENT_PATH = '/console/enrol';
const ISSUER = 'Veriframe console';

export const enrolmentLink = (publicUrl: string, code: string) => `${new URL(publicUrl).origin}${ENROLMENT_PATH}#${code}`;

async function newEnrolment(db: Db, adminId: string, now: Date): Promise<string> {
  // Earlier links of this administrator stop working: only the newest one may be used.
  await db.deleteFrom('console_enrolments').where('adminId', '=', adminId).where('usedAt', 'is', null).execute();
  const code = randomBytes(32).toString('base64url');
  await db
    .insertInto('console_enrolments')
    .values({ adminId, codeHash: sha256(code), createdAt: now, expiresAt: new Date(now.getTime() + ENROLMENT_TTL_MS) })
    .execute();
  return code;
}

export interface CreatedConsoleAdmin {
  adminId: string;
  userId: string;
  code: string;
}

/** An administrator with a console login `login` (a new user of the console resource). */
export async function createConsoleAdmin(
  db: Db,
  input: { login: string; role: AdminRole; resourceIds: string[]; now: Date; actor: string },
): Promise<CreatedConsoleAdmin> {
  const login = input.login.trim().normalize('NFC');
  if (!/^[^\s\p{Cc}\p{Cf}]{1,100}$/u.test(login))
    throw appError('invalid_request', { message: 'The login must be 1 to 100 characters without spaces.', field: 'login' });
  return db.transaction().execute(async (trx) => {
    const resourceId = await consoleResourceId(trx);
    if (!resourceId) throw new Error('the built-in console resource is missing: run `veriframe migrate`');
    if (await findUserByLogin(trx, login)) throw appError('login_taken', { field: 'login' });
    if (input.resourceIds.includes(resourceId)) throw appError('forbidden', { message: 'The console resource itself cannot be given to an administrator.' });
    const missing = await admins.missingResources(trx, input.resourceIds);
    if (missing.length) throw appError('resource_not_found', { message: `No such resource: ${missing.join(', ')}` });
    const admin = await admins.insertAdmin(trx, { name: login, role: input.role, createdBy: null });
    if (input.resourceIds.length) await admins.setAdminResources(trx, admin.id, input.resourceIds);
    const user = await trx.insertInto('users').values({ login, createdBy: null }).returning('id').executeTakeFirstOrThrow();
    await trx.insertInto('resource_users').values({ resourceId, userId: user.id, createdBy: null }).execute();
    await trx.updateTable('admins').set({ consoleUserId: user.id }).where('id', '=', admin.id).execute();
    const code = await newEnrolment(trx, admin.id, input.now);
    await appendEvent(trx, {
      type: 'admin.created',
      actor: input.actor,
      userId: user.id,
      details: { adminId: admin.id, role: admin.role, consoleLogin: true },
    });
    return { adminId: admin.id, userId: user.id, code };
  });
}

/** The administrator whose console login is `login`. */
async function adminByLogin(db: Db, login: string) {
  const user = await findUserByLogin(db, login);
  const admin = user && (await db.selectFrom('admins').select(['id', 'role', 'consoleUserId']).where('consoleUserId', '=', user.id).executeTakeFirst());
  if (!user || !admin) throw appError('admin_not_found', { message: `No administrator signs in as "${login}".` });
  return { admin, user };
}

/**
 * Recovery: the login's password and console tokens are removed, its sessions end, a per-login
 * lock is lifted, and a new enrolment link is issued.
 */
export async function resetAccess(db: Db, input: { login: string; now: Date; actor: string }): Promise<{ adminId: string; code: string }> {
  return db.transaction().execute(async (trx) => {
    const { admin, user } = await adminByLogin(trx, input.login);
    const resourceId = (await consoleResourceId(trx))!;
    await trx.updateTable('users').set({ passwordHash: null, updatedAt: input.now }).where('id', '=', user.id).execute();
    await trx.deleteFrom('tokens').where('userId', '=', user.id).execute();
    await trx
      .deleteFrom('login_attempts')
      .where('resourceId', '=', resourceId)
      .where('loginKey', '=', sql<string>`lower(${user.login.normalize('NFC')})`)
      .execute();
    await revokeAdminSessions(trx, admin.id, input.now);
    const code = await newEnrolment(trx, admin.id, input.now);
    await appendEvent(trx, { type: 'admin.access_reset', actor: input.actor, userId: user.id, details: { adminId: admin.id } });
    return { adminId: admin.id, code };
  });
}

async function openEnrolment(db: Db, code: string, now: Date) {
  if (typeof code !== 'string' || code.length > 100) throw appError('enrolment_invalid');
  const row = await db
    .selectFrom('console_enrolments as e')
    .innerJoin('admins as a', 'a.id', 'e.adminId')
    .innerJoin('users as u', 'u.id', 'a.consoleUserId')
    .select(['e.id', 'e.adminId', 'e.pendingTokenId', 'e.expiresAt', 'u.id as userId', 'u.login'])
    .where('e.codeHash', '=', sha256(code))
    .where('e.usedAt', 'is', null)
    .executeTakeFirst();
  if (!row || row.expiresAt.getTime() <= now.getTime()) throw appError('enrolment_invalid');
  return row;
}

/**
 * Opens the enrolment page: a fresh TOTP secret (the QR code), held as an inactive token of the
 * console user until a code confirms it. Each call replaces the previous pending secret.
 */
export async function startEnrolment(db: Db, ring: KeyRing, code: string, now: Date): Promise<Enrollment & { login: string; secret: string }> {
  const e = await openEnrolment(db, code, now);
  if (e.pendingTokenId) await db.deleteFrom('tokens').where('id', '=', e.pendingTokenId).execute();
  const id = randomUUID();
  const secret = generateSecret('SHA1');
  const token = await db
    .insertInto('tokens')
    .values({
      id,
      kind: 'software',
      type: 'totp',
      name: `Console sign-in of ${e.login}`,
      secretEnc: sealSecret(ring, id, secret),
      active: false,
      userId: e.userId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await db.updateTable('console_enrolments').set({ pendingTokenId: id }).where('id', '=', e.id).execute();
  return { ...enrollment(token, secret, ISSUER, e.login), login: e.login, secret: base32Encode(secret) };
}

/** Sets the password, confirms the authenticator with one code and pairs it in the console resource. */
export async function finishEnrolment(db: Db, ring: KeyRing, input: { code: string; password: string; otp: string; now: Date }): Promise<void> {
  if (typeof input.password !== 'string' || input.password.length < 12 || input.password.length > 256) {
    throw appError('invalid_request', { message: 'The password must be 12 to 256 characters.', field: 'body.password' });
  }
  const passwordHash = await hashPassword(input.password);
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('veriframe:console-enrolment'))`.execute(trx);
    const e = await openEnrolment(trx, input.code, input.now);
    const token = e.pendingTokenId ? await trx.selectFrom('tokens').selectAll().where('id', '=', e.pendingTokenId).executeTakeFirst() : undefined;
    if (!token) throw appError('enrolment_invalid', { message: 'Open the enrolment page again to get a QR code.' });
    const step = findTotpStep(openSecret(ring, token), String(input.otp ?? ''), {
      algorithm: token.algorithm,
      digits: token.digits as 6 | 8,
      period: token.period as 30 | 60,
      nowMs: input.now.getTime(),
      window: 1,
      drift: 0,
    });
    if (step === undefined) throw appError('wrong_code', { field: 'body.otp' });
    const resourceId = (await trx.selectFrom('resources').select('id').where('builtin', '=', CONSOLE_BUILTIN).executeTakeFirstOrThrow()).id;
    // The confirming code is spent: it cannot be replayed to sign in.
    await trx.updateTable('tokens').set({ active: true, lastStep: step, updatedAt: input.now }).where('id', '=', token.id).execute();
    await trx.deleteFrom('resource_user_tokens').where('resourceId', '=', resourceId).where('userId', '=', e.userId).execute();
    await trx.insertInto('resource_user_tokens').values({ resourceId, userId: e.userId, tokenId: token.id, createdBy: null }).execute();
    await trx.updateTable('users').set({ passwordHash, updatedAt: input.now }).where('id', '=', e.userId).execute();
    await trx.updateTable('console_enrolments').set({ usedAt: input.now }).where('id', '=', e.id).execute();
    await appendEvent(trx, {
      type: 'admin.enrolled',
      actor: `admin:${e.adminId}`,
      actorAdminId: e.adminId,
      userId: e.userId,
      tokenId: token.id,
      details: { adminId: e.adminId },
    });
  });
}
