import type { VerifyFailure } from '../tokens/verify.js';
import type { AuthReason } from './types.js';

// The two decisions every front-end used to make on its own, and made differently (DESIGN §10):
// which failures count as a guess, and which reason a token verification failure reports.

/**
 * Failures that say nothing about anybody's credentials: they neither use up the client's
 * throttle slot nor a widget transaction's attempts. Everything else counts, including an
 * unknown, inactive or unassigned user: if those were free, counting would tell them apart.
 * A replayed code is refused like a wrong one but is no guess: only who holds a right code can
 * replay it, and a storm of copies must not use up the attempts of the one that won.
 */
const NOT_A_GUESS: ReadonlySet<AuthReason> = new Set<AuthReason>([
  'throttled',
  'filtered',
  'inactive_resource',
  'not_supported',
  'no_destination',
  'delivery_failed',
  'otp_required',
  'push_pending',
]);

export const countsAsGuess = (outcome: { result: boolean; reason?: AuthReason; replayed?: boolean }): boolean =>
  !outcome.result && !outcome.replayed && (outcome.reason === undefined || !NOT_A_GUESS.has(outcome.reason));

/** The reason a failed token verification reports (a replayed code is a wrong code to callers). */
export function reasonOfVerify(failure: VerifyFailure): AuthReason {
  switch (failure) {
    case 'inactive':
      return 'inactive_token';
    case 'locked':
      return 'locked';
    case 'expired_challenge':
      return 'expired_challenge';
    case 'not_supported':
      return 'not_supported';
    case 'missing_code':
      return 'otp_required';
    case 'push_pending':
      return 'push_pending';
    case 'push_denied':
      return 'push_denied';
    case 'invalid_credentials':
    case 'replayed':
      return 'invalid_credentials';
  }
}
