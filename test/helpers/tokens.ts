import { randomBytes } from 'node:crypto';
import { insertAdmin } from '../../server/src/admins/repository.js';
import type { Principal } from '../../server/src/access/principal.js';
import { createKeyRing } from '../../server/src/crypto/secretbox.js';
import { base32Decode } from '../../server/src/otp/index.js';
import type { TokenContext } from '../../server/src/tokens/service.js';
import type { TestDb } from './db.js';

/** A superuser principal and a token context whose clock the test moves. */
export async function tokenContext(t: TestDb, opts: { now?: Date; quota?: number } = {}) {
  const admin = await insertAdmin(t.db, { name: 'test superuser', role: 'superuser', createdBy: null });
  const principal: Principal = { adminId: admin.id, role: 'superuser', keyId: '00000000-0000-4000-8000-000000000000', resourceIds: [] };
  const clock = { now: opts.now ?? new Date('2026-11-28T12:00:00Z') };
  const keyRing = createKeyRing(randomBytes(32));
  const ctx = (): TokenContext => ({
    db: t.db,
    keyRing,
    now: clock.now,
    principal,
    issuer: 'Veriframe',
    ...(opts.quota !== undefined ? { quota: opts.quota } : {}),
  });
  return { ctx, clock, keyRing, principal };
}

/** The secret inside an otpauth URI, as an authenticator app would read it. */
export function secretOf(otpauthUri: string): Buffer {
  const secret = new URL(otpauthUri).searchParams.get('secret');
  if (!secret) throw new Error('no secret in URI');
  return base32Decode(secret);
}
