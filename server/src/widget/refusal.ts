import type { AuthOutcome } from '../auth/types.js';
import { appError, type AppError } from '../errors.js';

/**
 * What the end user is told about a failed attempt (DESIGN §5): one generic `wrong_credentials`
 * for every wrong login, password or code, and clear answers for locked, throttled and "not
 * from here". The precise reason stays in the event and in the server-to-server API.
 */
export function refusal(outcome: AuthOutcome, attemptsLeft?: number): AppError {
  switch (outcome.reason) {
    case 'throttled':
      return appError('throttled', { details: { retryAfter: outcome.retryAfter ?? 1 } });
    case 'filtered':
      return appError('not_allowed_here');
    case 'inactive_resource':
      return appError('resource_unavailable');
    case 'locked':
      return appError('account_locked', outcome.retryAfter !== undefined ? { details: { retryAfter: outcome.retryAfter } } : {});
    case 'push_denied':
      return appError('push_denied');
    case 'no_destination':
    case 'delivery_failed':
      return appError('delivery_failed');
    default:
      // invalid_credentials, unknown or inactive user, not assigned, inactive token, replayed or
      // expired code: the same answer for all of them.
      return appError('wrong_credentials', attemptsLeft !== undefined ? { details: { attemptsLeft } } : {});
  }
}
