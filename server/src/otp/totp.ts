// TOTP (RFC 6238) and the code searches every verification path uses: a TOTP window around the
// token's expected step, an HOTP look-ahead, and two-code resynchronisation for both.
// Codes are compared in constant time (compare.ts, the typed code hashed once per search); the
// TOTP search computes and compares every candidate instead of stopping at the first hit, so its
// duration does not depend on which step matched.
import { assertPeriod, timeStep as sharedTimeStep, type TotpOptions, type TotpPeriod } from '../../../shared/otp/hotp.js';
import { codeComparer } from './compare.js';
import { assertDigits, hotp, toCounter, type HotpOptions } from './hotp.js';

export type { TotpOptions, TotpPeriod };

export type FindTotpOptions = TotpOptions & {
  nowMs: number;
  /** Steps accepted either side of the expected one (the resource setting, 0–2). */
  window: number;
  /** Token clock offset in steps stored by a previous synchronisation (0 when never synced). */
  drift: number;
};

export type FindHotpOptions = HotpOptions & {
  /** The first counter not used yet (last accepted + 1). */
  fromCounter: bigint | number;
  /** How many counters from fromCounter are tried (DESIGN §4: 10 by default, 1–50). */
  lookAhead: number;
};

export type SyncTotpOptions = TotpOptions & {
  nowMs: number;
  /** Largest accepted token clock offset in steps (60 = ±30 min at 30 s). */
  maxSkewSteps: number;
};

export type SyncHotpOptions = HotpOptions & {
  fromCounter: bigint | number;
  /** How many counters from fromCounter may hold the first code (DESIGN §4: 1000). */
  searchAhead: number;
};

export type TotpSync = {
  /** Time step of the first code; the second one is at step + 1 (mark step + 1 as used). */
  step: number;
  /** Offset to store for later verifications: (step + 1) − the server's current step. */
  drift: number;
};

function assertCount(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer`);
}

function looksLikeCode(code: string, digits: number): boolean {
  // Shape only (public information): anything else can never match, so no HMAC is spent on it.
  return code.length === digits && /^[0-9]+$/.test(code);
}

/** Number of whole periods since the Unix epoch, computed without floating-point division. */
export function timeStep(nowMs: number, period: TotpPeriod): number {
  assertPeriod(period);
  return sharedTimeStep(nowMs, period);
}

export function totp(secret: Uint8Array, nowMs: number, opts: TotpOptions): string {
  return hotp(secret, timeStep(nowMs, opts.period), opts);
}

/**
 * The time step among (current + drift) ± window whose code equals `code`, or undefined. When
 * two steps produce the same code (≈1e-6 chance) the one closest to the expected step wins.
 */
export function findTotpStep(secret: Uint8Array, code: string, opts: FindTotpOptions): number | undefined {
  assertDigits(opts.digits);
  assertCount(opts.window, 'TOTP window');
  if (!Number.isSafeInteger(opts.drift)) throw new Error('TOTP drift must be an integer');
  const center = timeStep(opts.nowMs, opts.period) + opts.drift;
  if (!looksLikeCode(code, opts.digits)) return undefined;
  const isCode = codeComparer(code);
  let found: number | undefined;
  let bestDistance = Infinity;
  for (let step = center - opts.window; step <= center + opts.window; step++) {
    if (step < 0) continue; // before the epoch: no such code
    const matches = isCode(hotp(secret, step, opts));
    const distance = Math.abs(step - center);
    if (matches && distance < bestDistance) {
      found = step;
      bestDistance = distance;
    }
  }
  return found;
}

/** The first counter in fromCounter … fromCounter + lookAhead − 1 whose code equals `code`. */
export function findHotpCounter(secret: Uint8Array, code: string, opts: FindHotpOptions): bigint | undefined {
  assertDigits(opts.digits);
  assertCount(opts.lookAhead, 'HOTP look-ahead');
  const from = toCounter(opts.fromCounter);
  if (!looksLikeCode(code, opts.digits)) return undefined;
  const isCode = codeComparer(code);
  for (let i = 0n; i < BigInt(opts.lookAhead); i++) {
    if (isCode(hotp(secret, from + i, opts))) return from + i;
  }
  return undefined;
}

/**
 * Two consecutive codes prove where the token's clock is: code1 at some step s and code2 at
 * s + 1, with s + 1 within ±maxSkewSteps of the server's step. Requiring two codes makes a lucky
 * guess over the wide search range negligible. Closest offset wins on (improbable) ties.
 */
export function findSyncTotp(secret: Uint8Array, code1: string, code2: string, opts: SyncTotpOptions): TotpSync | undefined {
  assertDigits(opts.digits);
  assertCount(opts.maxSkewSteps, 'TOTP sync range');
  const current = timeStep(opts.nowMs, opts.period);
  if (!looksLikeCode(code1, opts.digits) || !looksLikeCode(code2, opts.digits)) return undefined;
  const [isCode1, isCode2] = [codeComparer(code1), codeComparer(code2)];
  let result: TotpSync | undefined;
  let previousMatches = false; // whether code1 matched at (second step − 1)
  for (let second = current - opts.maxSkewSteps - 1; second <= current + opts.maxSkewSteps; second++) {
    if (second < 0) continue;
    const code = hotp(secret, second, opts);
    const drift = second - current;
    if (previousMatches && Math.abs(drift) <= opts.maxSkewSteps && isCode2(code)) {
      if (!result || Math.abs(drift) < Math.abs(result.drift)) result = { step: second - 1, drift };
    }
    previousMatches = isCode1(code);
  }
  return result;
}

/**
 * Code1 at a counter in fromCounter … fromCounter + searchAhead − 1 and code2 at the next one.
 * Returns the counter of code2 (the last one consumed), or undefined.
 */
export function findSyncHotp(secret: Uint8Array, code1: string, code2: string, opts: SyncHotpOptions): bigint | undefined {
  assertDigits(opts.digits);
  assertCount(opts.searchAhead, 'HOTP sync range');
  const from = toCounter(opts.fromCounter);
  if (!looksLikeCode(code1, opts.digits) || !looksLikeCode(code2, opts.digits)) return undefined;
  const [isCode1, isCode2] = [codeComparer(code1), codeComparer(code2)];
  let previousMatches = false;
  for (let i = 0n; i <= BigInt(opts.searchAhead); i++) {
    const code = hotp(secret, from + i, opts);
    if (previousMatches && isCode2(code)) return from + i;
    previousMatches = i < BigInt(opts.searchAhead) && isCode1(code);
  }
  return undefined;
}
