import type { StepAnswer } from '../../../shared/protocol.js';
import { awaitPush, decidePush } from '../auth/push.js';
import { appError, isAppError } from '../errors.js';
import { beginCodeStep, fail, finish, type Client, type WidgetDeps } from './flow.js';
import { expired, findLive } from './transactions.js';

// The widget waiting for the user's authenticator app (push token, DESIGN §13). The iframe asks
// POST /widget/api/push again and again: while the app has not answered the answer is "still
// waiting" and costs nothing (no attempt, no throttle slot, no event). Once it answered, or the
// challenge expired, one attempt goes through the pipeline like a typed code — an approval
// finishes the sign-in, a denial is a failure that counts (lockout, throttle, events).

export interface PushWaitInput {
  transaction: string;
  resourceId?: string;
}

export async function pushWait(deps: WidgetDeps, client: Client, input: PushWaitInput): Promise<StepAnswer> {
  const now = deps.now();
  const live = await findLive(deps.db, input.transaction, 'otp', now, input.resourceId);
  const wait = await awaitPush(deps.db, live.challengeId, { tokenId: live.tokenId }, now);
  if (wait.state === 'unknown') throw expired();
  if (wait.state === 'waiting') return { step: 'push', push: { expiresAt: wait.expiresAt } };

  const { s, who } = await beginCodeStep(deps, client, input, now, '');
  if (who.refusal) return fail(s, who.refusal, who);
  const { tx, a } = s;
  const user = who.user!;
  const token = who.token!;
  const { outcome, unanswered } = await decidePush(a, s.req, { user, token }, tx.amr, wait.row);
  if (outcome.result) return finish(s, user, token, outcome.amr!);
  if (!unanswered) return fail(s, outcome, who);
  // Nobody answered in time: counted like any failure, but the user is told what happened.
  try {
    return await fail(s, outcome, who);
  } catch (err) {
    throw isAppError(err) && err.code === 'wrong_credentials' ? appError('push_challenge_expired') : err;
  }
}
