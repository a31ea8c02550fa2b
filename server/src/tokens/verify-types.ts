import type { NewEvent } from '../events/repository.js';

// The shapes of an OTP verification, shared by verify.ts and lockout.ts.

/** The resource settings that shape verification (DESIGN §3, §4, §5). */
export interface VerifyPolicy {
  resourceId?: string | null;
  failedAttemptsLimit: number;
  otpWindow: number;
  hotpLookAhead: number;
  /** Locks lift by themselves after 30 s, doubling per lock up to 1 h. */
  progressiveUnlock?: boolean;
}

export const defaultPolicy: VerifyPolicy = { failedAttemptsLimit: 5, otpWindow: 1, hotpLookAhead: 10 };

export interface VerifyInput {
  /** The code as typed; PIN and code together when the token has a PIN. */
  otp: string;
  /** The question an OCRA token answers (the administrator's check; authentication uses the stored challenge). */
  challenge?: string;
  ip?: string | null;
  actor: string;
  /**
   * The attempt's reserved throttle slot (auth/throttle.ts). A code that matched is no guess
   * whether it is consumed or found replayed, so the statement that consumes it gives the slot
   * back too (`released` in the result): one round trip fewer.
   */
  slot?: { resourceId: string; bucket: string; windowStart: Date };
  /**
   * 'transaction': an OCRA answer to a transaction-signing challenge, bound to `dataHash`; login
   * answers and transaction answers are never accepted for each other.
   */
  purpose?: 'login' | 'transaction';
  /** Keyed hash of the transaction data (purpose 'transaction'). */
  dataHash?: Buffer;
  /** Push tokens: the challenge whose decision this sign-in waits for. */
  challengeId?: string;
}

/** `missing_code`: no code given for a token that needs one (not a guess). */
/** `push_pending`: the device has not answered yet (not a guess); `push_denied`: it said no (a failure). */
export type VerifyFailure =
  | 'inactive'
  | 'locked'
  | 'invalid_credentials'
  | 'replayed'
  | 'not_supported'
  | 'expired_challenge'
  | 'missing_code'
  | 'push_pending'
  | 'push_denied';
/** `recorded`: the caller's AttemptEvents event was written (with the token's update). */
export type VerifyResult =
  | { ok: true; amr: 'otp' | 'bypass'; recorded?: boolean; released?: boolean }
  | { ok: false; reason: VerifyFailure; locked?: boolean; justLocked?: boolean; recorded?: boolean; released?: boolean };

/**
 * The caller's own event for the attempt, one for a consumed code and one for a code found
 * replayed, written in the statement that consumes the code (so a success costs one statement and
 * one commit). The two may differ in type, result, reason and details only.
 */
export interface AttemptEvents {
  success: NewEvent;
  failure: NewEvent;
}

/** What every event of one verification has in common. */
export type EventBase = { actor: string; tokenId: string; userId: string | null; resourceId: string | null; ip: string | null };
