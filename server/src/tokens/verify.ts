import { timingSafeEqual } from 'node:crypto';
import { sql, type InsertObject, type QueryCreator } from 'kysely';
import type { KeyRing } from '../crypto/secretbox.js';
import { verifyPassword } from '../crypto/password.js';
import type { Database, Db } from '../db/index.js';
import { precompiled, type Precompiled } from '../db/precompiled.js';
import { appendEvent } from '../events/repository.js';
import { findHotpCounter, findTotpStep, ocra, safeEqualCode, splitPinAndOtp } from '../otp/index.js';
import { codeHash, consumeChallenge, latestChallenge } from './challenges.js';
import type { TokenRow } from './repository.js';
import { liftExpiredLock, recordFailure } from './lockout.js';
import { verifyPush } from './push-verify.js';
import { openSecret } from './secrets.js';
import { countAttempt } from '../metrics/index.js';
import { defaultPolicy, type AttemptEvents, type EventBase, type VerifyInput, type VerifyPolicy, type VerifyResult } from './verify-types.js';

export { defaultPolicy, type AttemptEvents, type VerifyFailure, type VerifyInput, type VerifyPolicy, type VerifyResult } from './verify-types.js';

const OATH_STEPS = new Set(['totp', 'hotp']);
const CODE_TYPES = new Set(['email', 'sms', 'bot']);

/** Whether a bypass is in force at `now`. */
export const bypassActive = (t: Pick<TokenRow, 'bypassPermanent' | 'bypassUntil'>, now: Date) =>
  t.bypassPermanent || (t.bypassUntil !== null && t.bypassUntil.getTime() > now.getTime());

/** The TOTP step or HOTP counter an OTP matches, or undefined. */
export function matchStep(ring: KeyRing, token: TokenRow, otp: string, policy: VerifyPolicy, now: Date): bigint | undefined {
  const secret = openSecret(ring, token);
  const base = { algorithm: token.algorithm, digits: token.digits };
  if (token.type === 'totp') {
    const step = findTotpStep(secret, otp, { ...base, period: token.period, nowMs: now.getTime(), window: policy.otpWindow, drift: token.drift });
    return step === undefined ? undefined : BigInt(step);
  }
  if (token.type === 'hotp') return findHotpCounter(secret, otp, { ...base, fromCounter: BigInt(token.lastStep) + 1n, lookAhead: policy.hotpLookAhead });
  return undefined;
}

export const ocraMatches = (ring: KeyRing, token: TokenRow, question: string, otp: string, now: Date) =>
  token.ocraSuite !== null && safeEqualCode(ocra(token.ocraSuite, openSecret(ring, token), { question, nowMs: now.getTime() }), otp);

/** Digits of the code part, for splitting off a PIN. */
function codeLength(token: TokenRow): number {
  const m = token.type === 'ocra' ? /HOTP-SHA\d+-(\d+)/.exec(token.ocraSuite ?? '') : null;
  return (m && Number(m[1])) || token.digits;
}

/** The code without its PIN, or undefined when the PIN part is wrong. */
async function stripPin(token: TokenRow, otp: string): Promise<string | undefined> {
  if (!token.pinHash) return otp;
  const parts = splitPinAndOtp(otp, { pinPosition: token.pinPosition, digits: codeLength(token) });
  return parts && (await verifyPassword(token.pinHash, parts.pin)) ? parts.otp : undefined;
}

/**
 * Checks an OTP without changing anything (the administrator's "Check OTP"): no counter moves,
 * no step or challenge is consumed.
 */
export async function checkTokenOtp(ring: KeyRing, token: TokenRow, input: VerifyInput, now: Date): Promise<boolean> {
  const code = await stripPin(token, input.otp);
  if (code === undefined) return false;
  if (OATH_STEPS.has(token.type)) return matchStep(ring, token, code, defaultPolicy, now) !== undefined;
  if (token.type === 'ocra' && input.challenge) return ocraMatches(ring, token, input.challenge, code, now);
  return false;
}

/**
 * Verifies and consumes an OTP for authentication; used by every authentication path. Order
 * (DESIGN §5): inactive → locked (before any crypto) → bypass → PIN → code → replay guard →
 * counters. The step or challenge is consumed by one conditional UPDATE, so of N identical
 * concurrent requests exactly one wins.
 */
export async function verifyTokenOtp(
  db: Db,
  ring: KeyRing,
  token: TokenRow,
  input: VerifyInput,
  policy: VerifyPolicy,
  now: Date,
  attempt?: AttemptEvents,
): Promise<VerifyResult> {
  const event: EventBase = { actor: input.actor, tokenId: token.id, userId: token.userId, resourceId: policy.resourceId ?? null, ip: input.ip ?? null };
  if (!token.active) return { ok: false, reason: 'inactive' };
  if (token.locked && !(await liftExpiredLock(db, token, now, event))) {
    await appendEvent(db, { ...event, type: 'token.verify', result: 'failure', reason: 'locked' });
    return { ok: false, reason: 'locked', locked: true };
  }
  if (bypassActive(token, now)) {
    await appendEvent(db, { ...event, type: 'token.verify', result: 'success', reason: 'bypass' });
    return { ok: true, amr: 'bypass' };
  }
  if (token.type === 'push') return verifyPush(db, ring, token, input, policy, now, event);
  // Nothing typed is no guess: refused before the PIN check, and not counted.
  if (input.otp === '') return { ok: false, reason: 'missing_code' };
  const code = await stripPin(token, input.otp);
  let accepted: boolean;
  if (OATH_STEPS.has(token.type)) {
    const step = code === undefined ? undefined : matchStep(ring, token, code, policy, now);
    if (step === undefined) return recordFailure(db, ring, token, input, policy, now, event);
    accepted = await consumeStep(db, token, step, now, event, attempt, input.slot);
  } else if (token.type === 'ocra' || CODE_TYPES.has(token.type)) {
    if (!policy.resourceId) return { ok: false, reason: 'not_supported' };
    const transaction = input.purpose === 'transaction';
    if (transaction && token.type !== 'ocra') return { ok: false, reason: 'not_supported' };
    const challenge = await latestChallenge(db, token.id, policy.resourceId, transaction ? 'transaction' : token.type === 'ocra' ? 'ocra' : 'code');
    if (!challenge || challenge.expiresAt.getTime() <= now.getTime()) {
      await appendEvent(db, { ...event, type: 'token.verify', result: 'failure', reason: 'expired_challenge' });
      return { ok: false, reason: 'expired_challenge' };
    }
    // A transaction answer confirms exactly the data its challenge was opened for.
    const sameData = !transaction || (input.dataHash !== undefined && challenge.dataHash !== null && timingSafeEqual(input.dataHash, challenge.dataHash));
    const right =
      sameData &&
      code !== undefined &&
      (token.type === 'ocra'
        ? ocraMatches(ring, token, challenge.challenge ?? '', code, now)
        : challenge.codeHash !== null && codeHash(ring, token.id, code).equals(challenge.codeHash));
    if (!right) return recordFailure(db, ring, token, input, policy, now, event);
    if (!(await consumeChallenge(db, challenge.id, now))) {
      await appendEvent(db, { ...event, type: 'token.verify', result: 'failure', reason: 'replayed' });
      return { ok: false, reason: 'replayed' };
    }
    accepted = await consumeStep(db, token, undefined, now, event, attempt, input.slot);
  } else {
    return { ok: false, reason: 'not_supported' };
  }
  const recorded = { ...(attempt ? { recorded: true } : {}), ...(input.slot ? { released: true } : {}) };
  // A replayed code proves knowledge of a recent code, not a guess: refused, not counted.
  return accepted ? { ok: true, amr: 'otp', ...recorded } : { ok: false, reason: 'replayed', ...recorded };
}

/**
 * Records a success: `step` guards against replay for TOTP/HOTP (challenges guard themselves).
 * One statement updates the token and writes the `token.verify` event, a success or, when the
 * conditional update found nothing to change (the step was used already, or the token was
 * locked or deactivated meanwhile), a `replayed` failure, and after it the caller's event for
 * the attempt when given: one round trip and one commit.
 */
async function consumeStep(
  db: Db,
  token: TokenRow,
  step: bigint | undefined,
  now: Date,
  event: EventBase,
  attempt?: AttemptEvents,
  slot?: VerifyInput['slot'],
): Promise<boolean> {
  const ok = attempt?.success;
  const ko = attempt?.failure;
  const { rows } = await consumeQuery(
    step !== undefined,
    attempt !== undefined,
    slot !== undefined,
  )(db, {
    ...event,
    tokenId: token.id,
    step: step === undefined ? '' : String(step),
    now,
    attemptActor: ok?.actor ?? '',
    attemptResourceId: ok?.resourceId ?? null,
    attemptUserId: ok?.userId ?? null,
    attemptTokenId: ok?.tokenId ?? null,
    attemptIp: ok?.ip ?? null,
    okType: ok?.type ?? '',
    koType: ko?.type ?? '',
    okResult: ok?.result ?? null,
    koResult: ko?.result ?? null,
    okReason: ok?.reason ?? null,
    koReason: ko?.reason ?? null,
    okDetails: JSON.stringify(ok?.details ?? {}),
    koDetails: JSON.stringify(ko?.details ?? {}),
    slotResourceId: slot?.resourceId ?? '',
    slotBucket: slot?.bucket ?? '',
    slotStart: slot?.windowStart ?? now,
  });
  // The attempt's event is written here, not through auth/record.ts: counted here too.
  if (attempt) countAttempt(rows.some((r) => r.accepted) ? attempt.success : attempt.failure);
  return rows.some((r) => r.accepted);
}

type ConsumeParams = EventBase & {
  tokenId: string;
  step: string;
  now: Date;
  attemptActor: string;
  attemptResourceId: string | null;
  attemptUserId: string | null;
  attemptTokenId: string | null;
  attemptIp: string | null;
  okType: string;
  koType: string;
  okResult: 'success' | 'failure' | null;
  koResult: 'success' | 'failure' | null;
  okReason: string | null;
  koReason: string | null;
  okDetails: string;
  koDetails: string;
  slotResourceId: string;
  slotBucket: string;
  slotStart: Date;
};

const consumeQueries = new Map<string, Precompiled<ConsumeParams, { accepted: boolean }>>();

/** consumeStep's statement, built once for each shape (with or without a step, the caller's event, a slot to give back). */
function consumeQuery(withStep: boolean, withAttempt: boolean, withSlot: boolean): Precompiled<ConsumeParams, { accepted: boolean }> {
  const key = `${withStep}/${withAttempt}/${withSlot}`;
  let query = consumeQueries.get(key);
  if (query) return query;
  query = precompiled<ConsumeParams, { accepted: boolean }>((db, p) => {
    const consumed = sql<boolean>`exists (select from consumed)`;
    const either = <T>(success: T, failure: T) => sql<T>`case when ${consumed} then ${success} else ${failure} end`;
    const rows: InsertObject<Database, 'events'>[] = [
      {
        actor: p.actor,
        resourceId: p.resourceId,
        userId: p.userId,
        tokenId: p.tokenId,
        ip: p.ip,
        type: 'token.verify',
        result: either<'success' | 'failure'>('success', 'failure'),
        reason: either<string | null>(null, 'replayed'),
        details: sql<string>`case when ${consumed} then ${JSON.stringify({ amr: 'otp' })}::jsonb else '{}'::jsonb end`,
      },
    ];
    if (withAttempt) {
      rows.push({
        actor: p.attemptActor,
        resourceId: p.attemptResourceId,
        userId: p.attemptUserId,
        tokenId: p.attemptTokenId,
        ip: p.attemptIp,
        type: either(p.okType, p.koType),
        result: either(p.okResult, p.koResult),
        reason: either(p.okReason, p.koReason),
        details: sql<string>`case when ${consumed} then ${p.okDetails}::jsonb else ${p.koDetails}::jsonb end`,
      });
    }
    // As auth/throttle.ts releaseSlot does it: whatever the update finds, the code matched.
    const withRelease = withSlot
      ? db.with('released', (qc) =>
          qc
            .updateTable('auth_throttle')
            .set({ failures: sql<number>`greatest(failures - 1, 0)` })
            .where('resourceId', '=', p.slotResourceId)
            .where('ip', '=', p.slotBucket)
            .where('windowStart', '=', p.slotStart)
            .returning('failures'),
        )
      : db;
    return (
      (withRelease as QueryCreator<Database>)
        .with('consumed', (qc) =>
          qc
            .updateTable('tokens')
            .set({
              ...(withStep ? { lastStep: p.step } : {}),
              failedAttempts: 0,
              consecutiveFailures: 0,
              lockCount: 0,
              lastFailedCodeHash: null,
              lastFailedAt: null,
              lastUsedAt: p.now,
            })
            .where('id', '=', p.tokenId)
            .where('locked', '=', false)
            .where('active', '=', true)
            .where(withStep ? sql<boolean>`last_step < ${p.step}` : sql<boolean>`true`)
            .returning('id'),
        )
        .insertInto('events')
        // Rows are inserted (and numbered) in this order: the token's event, then the attempt's.
        .values(rows)
        .returning(sql<boolean>`type = 'token.verify' and result = 'success'`.as('accepted'))
    );
  });
  consumeQueries.set(key, query);
  return query;
}
