import type { EnrollAnswer, StepAnswer, WidgetEnrollType } from '../../../shared/protocol.js';
import type { UserRow, WidgetTransactionRow } from '../db/types.js';
import { appError } from '../errors.js';
import { beginEnrolment, codeIsRight, dropUnconfirmed, sendCode, serviceContext, type Enroller } from '../portal/enrolment.js';
import { assignUserToken } from '../resources/assignments/service.js';
import { pushRegistered } from '../tokens/push.js';
import { findToken } from '../tokens/repository.js';
import { findUser } from '../users/repository.js';
import { beginStep, fail, finish, type Client, type Step, type WidgetDeps } from './flow.js';
import { claimAttempt, expired, findLive, setEnrollToken } from './transactions.js';

// Enrolment during login (DESIGN §12, resource setting `enrollOnLogin`): after a right password,
// a user assigned to the resource without a token there enrols one inside the widget — the
// portal's enrolment (portal/enrolment.ts), ending with the same confirming code — and the
// result token's `amr` is then ['pwd', 'otp', 'enroll']. The confirming code is the second
// factor: it goes through tokens/ and the pipeline's begin and settle like any code.

async function enrollerOf(deps: WidgetDeps, tx: WidgetTransactionRow, client: Client, resource: Step['a']['resource']): Promise<Enroller & { user: UserRow }> {
  const user = tx.userId ? await findUser(deps.db, tx.userId) : undefined;
  if (!user || !user.active) throw expired();
  // `issuer` here is what authenticator apps show next to the account, not the JWT issuer.
  // deps.issuer is PUBLIC_URL: where a push token's app registers.
  return { deps: { ...deps, issuer: 'Veriframe', publicUrl: deps.issuer }, resource, user, ip: client.ip, userAgent: client.userAgent, channel: 'widget' };
}

export interface EnrollInput {
  transaction: string;
  resourceId?: string;
  type: WidgetEnrollType;
}

/** POST /widget/api/enroll: a new token of an allowed type; uses no attempt (it checks nothing). */
export async function enrollStart(deps: WidgetDeps, client: Client, input: EnrollInput): Promise<EnrollAnswer> {
  const now = deps.now();
  const tx = await findLive(deps.db, input.transaction, 'enroll', now, input.resourceId);
  const a = await beginStep(deps, tx, client, now, false);
  const e = await enrollerOf(deps, tx, client, a.resource);
  await dropUnconfirmed(e, tx.tokenId);
  await setEnrollToken(deps.db, tx, null);
  const answer = await beginEnrolment(e, input.type);
  await setEnrollToken(deps.db, tx, answer.tokenId);
  const token = await findToken(deps.db, answer.tokenId);
  const { tokenId: _, ...shown } = answer;
  return { ...shown, type: input.type, digits: token?.digits ?? 6 };
}

/** POST /widget/api/resend in an 'enroll' transaction: another code for the e-mail/SMS/bot token. */
export async function enrollResend(deps: WidgetDeps, client: Client, input: { transaction: string; resourceId?: string }): Promise<void> {
  const now = deps.now();
  const tx = await findLive(deps.db, input.transaction, 'enroll', now, input.resourceId);
  const a = await beginStep(deps, tx, client, now, false);
  const e = await enrollerOf(deps, tx, client, a.resource);
  const token = tx.tokenId ? await findToken(deps.db, tx.tokenId) : undefined;
  if (!token || token.userId !== e.user.id || (token.type !== 'email' && token.type !== 'sms' && token.type !== 'bot'))
    throw appError('not_supported_for_token');
  await sendCode(e, token);
}

/** POST /widget/api/enroll/confirm: the confirming code → the token is assigned → the signed result. */
export async function enrollConfirm(deps: WidgetDeps, client: Client, input: { transaction: string; resourceId?: string; otp: string }): Promise<StepAnswer> {
  const now = deps.now();
  const tx = await claimAttempt(deps.db, input.transaction, 'enroll', now, input.resourceId);
  const a = await beginStep(deps, tx, client, now, true);
  const e = await enrollerOf(deps, tx, client, a.resource);
  const token = tx.tokenId ? await findToken(deps.db, tx.tokenId) : undefined;
  const s: Step = { deps, tx, a, req: { method: 'user-password-token', login: e.user.login, otp: input.otp }, claimed: true };
  if (!token || token.userId !== e.user.id) return fail(s, { result: false, reason: 'not_assigned' }, { user: e.user });
  if (!(await codeIsRight(e, token, input.otp))) return fail(s, { result: false, reason: 'invalid_credentials' }, { user: e.user, token });
  await assignUserToken(serviceContext(e), a.resource.id, e.user.id, token.id);
  return finish(s, e.user, token, ['pwd', 'otp', 'enroll']);
}

/**
 * POST /widget/api/enroll/push: a push token being enrolled is confirmed by its app's
 * registration (with the one-time secret shown only here). Until then "still waiting", at no
 * cost; then one attempt: the token is assigned and the sign-in finishes.
 */
export async function enrollPushWait(deps: WidgetDeps, client: Client, input: { transaction: string; resourceId?: string }): Promise<StepAnswer> {
  const now = deps.now();
  const live = await findLive(deps.db, input.transaction, 'enroll', now, input.resourceId);
  const pending = live.tokenId ? await findToken(deps.db, live.tokenId) : undefined;
  if (pending?.type !== 'push') throw appError('not_supported_for_token');
  if (!(await pushRegistered(deps.db, pending.id))) return { step: 'push', push: { expiresAt: live.expiresAt.toISOString() } };
  const tx = await claimAttempt(deps.db, input.transaction, 'enroll', now, input.resourceId);
  const a = await beginStep(deps, tx, client, now, true);
  const e = await enrollerOf(deps, tx, client, a.resource);
  const token = tx.tokenId ? await findToken(deps.db, tx.tokenId) : undefined;
  const s: Step = { deps, tx, a, req: { method: 'user-password-token', login: e.user.login }, claimed: true };
  if (!token || token.userId !== e.user.id) return fail(s, { result: false, reason: 'not_assigned' }, { user: e.user });
  await assignUserToken(serviceContext(e), a.resource.id, e.user.id, token.id);
  return finish(s, e.user, token, ['pwd', 'otp', 'enroll']);
}
