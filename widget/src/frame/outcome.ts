// What the app does with an API error: a message under the heading (the step stays), a dead
// end (the step is replaced), or expiry. Also the code the page's error callback receives.
import type { WidgetErrorCode } from '../../../shared/protocol.js';
import type { MessageKey } from '../i18n/index.js';
import type { ApiError } from './api.js';

export type Outcome =
  /** Stay on the step. `wrong`: the typed secret was wrong, clear it. */
  | { kind: 'alert'; key: MessageKey; seconds?: number; page?: WidgetErrorCode; wrong?: boolean }
  /** Nothing to do here; `retry` offers to start again. */
  | { kind: 'fatal'; key: MessageKey; seconds?: number; retry: boolean; page: WidgetErrorCode }
  | { kind: 'expired' };

/** `phase` start: nothing is on screen yet, so even a passing failure ends in a retry button. */
export function outcome(error: ApiError, phase: 'start' | 'step'): Outcome {
  const seconds = error.retryAfter;
  switch (error.code) {
    case 'wrong_credentials':
      return { kind: 'alert', key: 'wrong', wrong: true };
    case 'account_locked':
      return seconds ? { kind: 'alert', key: 'lockedFor', seconds, page: 'locked' } : { kind: 'alert', key: 'locked', page: 'locked' };
    case 'throttled':
      if (phase === 'start')
        return seconds
          ? { kind: 'fatal', key: 'throttled', seconds, retry: true, page: 'throttled' }
          : { kind: 'fatal', key: 'throttledLater', retry: true, page: 'throttled' };
      return seconds ? { kind: 'alert', key: 'throttled', seconds, page: 'throttled' } : { kind: 'alert', key: 'throttledLater', page: 'throttled' };
    case 'not_allowed_here':
      return { kind: 'fatal', key: 'notAllowed', retry: false, page: 'not_allowed' };
    case 'origin_not_allowed':
    case 'cross_site_request':
      return { kind: 'fatal', key: 'notEmbeddable', retry: false, page: 'origin_not_allowed' };
    case 'resource_unavailable':
    case 'resource_not_found':
      return { kind: 'fatal', key: 'unavailable', retry: false, page: 'resource_unavailable' };
    case 'transaction_expired':
      return { kind: 'expired' };
    case 'push_denied':
      return { kind: 'fatal', key: 'pushDenied', retry: true, page: 'denied' };
    case 'push_challenge_expired':
      return { kind: 'fatal', key: 'pushExpired', retry: true, page: 'expired' };
    case 'delivery_failed':
      return { kind: 'alert', key: 'deliveryFailed' };
  }
  const network = error.code === 'network';
  const page: WidgetErrorCode = network || error.status >= 500 ? 'network' : 'protocol';
  const key: MessageKey = network ? 'network' : 'unavailable';
  return phase === 'start' ? { kind: 'fatal', key, retry: true, page } : { kind: 'alert', key, page };
}
