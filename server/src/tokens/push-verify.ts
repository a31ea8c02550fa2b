import { timingSafeEqual } from 'node:crypto';
import type { KeyRing } from '../crypto/secretbox.js';
import type { Db } from '../db/index.js';
import { appendEvent } from '../events/repository.js';
import { recordFailure } from './lockout.js';
import { findPushChallenge, useDecision } from './push-challenges.js';
import type { TokenRow } from './repository.js';
import type { EventBase, VerifyInput, VerifyPolicy, VerifyResult } from './verify-types.js';

// The second factor of a push token (called by verifyTokenOtp once inactive, locked and bypass
// were checked): the device's decision on the challenge this sign-in opened. An approval is
// consumed once; a denial is a failure like a wrong code (it counts towards the lock), also
// consumed once so that asking again does not count it twice.

export async function verifyPush(
  db: Db,
  ring: KeyRing,
  token: TokenRow,
  input: VerifyInput,
  policy: VerifyPolicy,
  now: Date,
  event: EventBase,
): Promise<VerifyResult> {
  const row = input.challengeId ? await findPushChallenge(db, input.challengeId) : undefined;
  const purpose = input.purpose === 'transaction' ? 'transaction' : 'login';
  // Another token's, another resource's or another purpose's challenge is no answer here.
  if (!row || row.tokenId !== token.id || row.resourceId !== policy.resourceId || row.purpose !== purpose) return { ok: false, reason: 'expired_challenge' };
  if (
    purpose === 'transaction' &&
    !(input.dataHash && row.dataHash && input.dataHash.length === row.dataHash.length && timingSafeEqual(input.dataHash, row.dataHash))
  )
    return { ok: false, reason: 'expired_challenge' };
  if (row.status === 'pending') {
    if (row.expiresAt.getTime() > now.getTime()) return { ok: false, reason: 'push_pending' };
    await appendEvent(db, { ...event, type: 'token.verify', result: 'failure', reason: 'expired_challenge' });
    return { ok: false, reason: 'expired_challenge' };
  }
  if (!(await useDecision(db, row.id, now))) {
    await appendEvent(db, { ...event, type: 'token.verify', result: 'failure', reason: 'replayed' });
    return { ok: false, reason: 'replayed' };
  }
  if (row.status === 'denied') {
    // Keyed by the challenge, so each denial counts once (recordFailure skips a repeated "code").
    const failed = await recordFailure(db, ring, token, { ...input, otp: `push-denied:${row.id}` }, policy, now, event);
    return failed.ok ? failed : { ...failed, reason: 'push_denied' };
  }
  const reset = await db
    .updateTable('tokens')
    .set({ failedAttempts: 0, consecutiveFailures: 0, lockCount: 0, lastFailedCodeHash: null, lastFailedAt: null, lastUsedAt: now })
    .where('id', '=', token.id)
    .where('locked', '=', false)
    .where('active', '=', true)
    .returning('id')
    .executeTakeFirst();
  // Locked or deactivated while the device was deciding: the approval no longer counts.
  if (!reset) return { ok: false, reason: 'locked', locked: true };
  await appendEvent(db, { ...event, type: 'token.verify', result: 'success', details: { amr: 'otp', push: true } });
  return { ok: true, amr: 'otp' };
}
