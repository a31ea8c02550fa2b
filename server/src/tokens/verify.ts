import { sql } from 'kysely';
import type { KeyRing } from '../crypto/secretbox.js';
import { verifyPassword } from '../crypto/password.js';
import type { Db } from '../db/index.js';
import { appendEvent } from '../events/repository.js';
import { findHotpCounter, findTotpStep, ocra, safeEqualCode, splitPinAndOtp } from '../otp/index.js';
import type { TokenRow } from './repository.js';
import { failedCodeHash, openSecret } from './secrets.js';

/** The resource settings that shape verification (DESIGN §3, §4). */
export interface VerifyPolicy {
  resourceId?: string | null;
  failedAttemptsLimit: number;
  otpWindow: number;
  hotpLookAhead: number;
}

export const defaultPolicy: VerifyPolicy = { failedAttemptsLimit: 5, otpWindow: 1, hotpLookAhead: 10 };

export interface VerifyInput {
  /** The code as typed; PIN and code together when the token has a PIN. */
  otp: string;
  /** The question an OCRA token answers. */
  challenge?: string;
  ip?: string | null;
  actor: string;
}

export type VerifyResult =
  | { ok: true; amr: 'otp' | 'bypass' }
  | { ok: false; reason: 'inactive' | 'locked' | 'invalid_credentials' | 'replayed' | 'not_supported'; locked?: boolean };

/** Whether a bypass is in force at `now`. */
export const bypassActive = (t: Pick<TokenRow, 'bypassPermanent' | 'bypassUntil'>, now: Date) =>
  t.bypassPermanent || (t.bypassUntil !== null && t.bypassUntil.getTime() > now.getTime());

/** The step an OTP matched, or undefined. Pure apart from decrypting the secret. */
export function matchStep(ring: KeyRing, token: TokenRow, otp: string, policy: VerifyPolicy, now: Date, challenge?: string): bigint | undefined {
  const secret = openSecret(ring, token);
  const base = { algorithm: token.algorithm, digits: token.digits };
  if (token.type === 'totp') {
    const step = findTotpStep(secret, otp, { ...base, period: token.period, nowMs: now.getTime(), window: policy.otpWindow, drift: token.drift });
    return step === undefined ? undefined : BigInt(step);
  }
  if (token.type === 'hotp') {
    return findHotpCounter(secret, otp, { ...base, fromCounter: BigInt(token.lastStep) + 1n, lookAhead: policy.hotpLookAhead });
  }
  if (token.type === 'ocra' && token.ocraSuite && challenge) {
    // OCRA answers a fresh single-use challenge; the replay guard lives with the challenge.
    return safeEqualCode(ocra(token.ocraSuite, secret, { question: challenge, nowMs: now.getTime() }), otp) ? BigInt(token.lastStep) : undefined;
  }
  return undefined;
}

/** Digits of the code part, for splitting off a PIN. */
function codeLength(token: TokenRow): number {
  if (token.type === 'ocra' && token.ocraSuite) {
    const m = /HOTP-SHA\d+-(\d+)/.exec(token.ocraSuite);
    return Number(m?.[1] ?? token.digits) || token.digits;
  }
  return token.digits;
}

async function checkPinAndCode(ring: KeyRing, token: TokenRow, input: VerifyInput, policy: VerifyPolicy, now: Date): Promise<bigint | undefined> {
  let code = input.otp;
  if (token.pinHash) {
    const parts = splitPinAndOtp(input.otp, { pinPosition: token.pinPosition, digits: codeLength(token) });
    if (!parts || !(await verifyPassword(token.pinHash, parts.pin))) return undefined;
    code = parts.otp;
  }
  return matchStep(ring, token, code, policy, now, input.challenge);
}

/**
 * Checks an OTP without changing anything (the administrator's "Check OTP"): no counter moves,
 * no step is consumed.
 */
export async function checkTokenOtp(ring: KeyRing, token: TokenRow, input: VerifyInput, now: Date): Promise<boolean> {
  if (!['totp', 'hotp', 'ocra'].includes(token.type)) return false;
  return (await checkPinAndCode(ring, token, input, defaultPolicy, now)) !== undefined;
}

/**
 * Verifies and consumes an OTP for authentication. Used by every authentication path, so the
 * order of checks is the one of DESIGN §5: inactive → locked (before any crypto) → bypass →
 * PIN → code → replay guard → counters. Safe under concurrency: the step is consumed by one
 * conditional UPDATE, so of N identical requests exactly one wins.
 */
export async function verifyTokenOtp(db: Db, ring: KeyRing, token: TokenRow, input: VerifyInput, policy: VerifyPolicy, now: Date): Promise<VerifyResult> {
  const event = { actor: input.actor, tokenId: token.id, userId: token.userId, resourceId: policy.resourceId ?? null, ip: input.ip ?? null };
  if (!token.active) return { ok: false, reason: 'inactive' };
  if (token.locked) {
    await appendEvent(db, { ...event, type: 'token.verify', result: 'failure', reason: 'locked' });
    return { ok: false, reason: 'locked' };
  }
  if (bypassActive(token, now)) {
    await appendEvent(db, { ...event, type: 'token.verify', result: 'success', reason: 'bypass' });
    return { ok: true, amr: 'bypass' };
  }
  if (!['totp', 'hotp', 'ocra'].includes(token.type)) return { ok: false, reason: 'not_supported' };

  const step = await checkPinAndCode(ring, token, input, policy, now);
  if (step === undefined) return recordFailure(db, ring, token, input, policy, now, event);

  const accepted = await consumeStep(db, token, step, now);
  if (!accepted) {
    // A replayed code proves knowledge of a recent code, not a guess: refused, not counted.
    await appendEvent(db, { ...event, type: 'token.verify', result: 'failure', reason: 'replayed' });
    return { ok: false, reason: 'replayed' };
  }
  await appendEvent(db, { ...event, type: 'token.verify', result: 'success', details: { amr: 'otp' } });
  return { ok: true, amr: 'otp' };
}

async function consumeStep(db: Db, token: TokenRow, step: bigint, now: Date): Promise<boolean> {
  // OCRA steps do not advance (the challenge is single-use instead), so its guard is "not locked".
  const guard = token.type === 'ocra' ? sql<boolean>`true` : sql<boolean>`last_step < ${String(step)}`;
  const rows = await db
    .updateTable('tokens')
    .set({
      lastStep: token.type === 'ocra' ? token.lastStep : String(step),
      failedAttempts: 0,
      consecutiveFailures: 0,
      lastFailedCodeHash: null,
      lastFailedAt: null,
      lastUsedAt: now,
    })
    .where('id', '=', token.id)
    .where('locked', '=', false)
    .where('active', '=', true)
    .where(guard)
    .returning('id')
    .execute();
  return rows.length === 1;
}

async function recordFailure(
  db: Db,
  ring: KeyRing,
  token: TokenRow,
  input: VerifyInput,
  policy: VerifyPolicy,
  now: Date,
  event: { actor: string; tokenId: string; userId: string | null; resourceId: string | null; ip: string | null },
): Promise<VerifyResult> {
  const codeHash = failedCodeHash(ring, token.id, input.otp);
  const since = new Date(now.getTime() - 60_000);
  // One statement decides "same wrong code within 60 s" and increments and locks atomically, so
  // concurrent failures can neither be lost nor push the counter past the lock unnoticed.
  const repeat = sql<boolean>`(last_failed_code_hash = ${codeHash} and last_failed_at > ${since})`;
  const bump = (col: string) => sql<number>`case when ${repeat} then ${sql.ref(col)} else ${sql.ref(col)} + 1 end`;
  const row = await db
    .updateTable('tokens')
    .set({
      failedAttempts: bump('failed_attempts'),
      consecutiveFailures: bump('consecutive_failures'),
      locked: sql<boolean>`locked or (${bump('failed_attempts')}) >= ${policy.failedAttemptsLimit}`,
      lockedAt: sql<Date>`case when not locked and (${bump('failed_attempts')}) >= ${policy.failedAttemptsLimit} then ${now} else locked_at end`,
      lockedReason: sql<string>`case when not locked and (${bump('failed_attempts')}) >= ${policy.failedAttemptsLimit} then 'failed_attempts' else locked_reason end`,
      lastFailedCodeHash: codeHash,
      lastFailedAt: now,
    })
    .where('id', '=', token.id)
    .returning(['failedAttempts', 'locked', 'lockedAt'])
    .executeTakeFirst();
  const lockedNow = row?.locked === true && row.lockedAt?.getTime() === now.getTime();
  await appendEvent(db, { ...event, type: 'token.verify', result: 'failure', reason: 'invalid_credentials', details: { failedAttempts: row?.failedAttempts ?? null } });
  if (lockedNow) await appendEvent(db, { ...event, type: 'token.locked', reason: 'failed_attempts', details: { limit: policy.failedAttemptsLimit } });
  return { ok: false, reason: 'invalid_credentials', locked: row?.locked ?? false };
}
