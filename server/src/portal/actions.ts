import { maskAddress } from '../delivery/mask.js';
import { begin, identify, isOutcome, settle } from '../auth/pipeline.js';
import { record } from '../auth/record.js';
import { readAttempt } from '../auth/repository.js';
import type { AuthRequest } from '../auth/types.js';
import type { ResourceRow, TokenRow, UserRow } from '../db/types.js';
import { appError } from '../errors.js';
import { userTokenOf } from '../resources/assignments/repository.js';
import { assignUserToken, unassignUserToken } from '../resources/assignments/service.js';
import { portalSettingsOf, type EnrollmentType, type TokenAction, type UserAction } from '../resources/self-service.js';
import { findToken, findTokenBySerial } from '../tokens/repository.js';
import * as tokens from '../tokens/service.js';
import * as users from '../users/service.js';
import { findUser } from '../users/repository.js';
import type { PatchUserInput } from '../users/schema.js';
import { refusal } from '../widget/refusal.js';
import {
  beginEnrolment,
  codeIsRight,
  confirmEnrolment,
  dropUnconfirmed,
  secretOf,
  sendCode,
  serviceContext,
  tokenContext,
  type EnrollAnswer,
  type Enroller,
} from './enrolment.js';
import { openCode, setPendingToken, useCode, type PortalSessionRow } from './sessions.js';
import type { Client, PortalDeps } from './sign-in.js';

// What a signed-in user may do in the portal (DESIGN §12): exactly the actions the resource
// allows, each checked here on the server whatever the page shows. The work is done by the token,
// user and assignment services with the user as actor (`actingUserId`: events say `user:<id>`).
// Those services check an administrator's scope; here the scope is "this user, their token in
// this resource", checked here (ownToken, the session's user) before any service is called;
// the services get enrolment.ts's SELF principal, which passes their scope check.

/** One signed-in request: the portal's resource, the session, its user and the client. */
export interface Me {
  deps: PortalDeps;
  resource: ResourceRow;
  session: PortalSessionRow;
  user: UserRow;
  client: Client;
}

const enroller = (m: Me): Enroller => ({ deps: m.deps, resource: m.resource, user: m.user, ip: m.client.ip, userAgent: m.client.userAgent, channel: 'portal' });
const base = (m: Me) => serviceContext(enroller(m));
const tokenCtx = (m: Me) => tokenContext(enroller(m));

export function allow(m: Pick<Me, 'resource'>, group: 'token', action: TokenAction): void;
export function allow(m: Pick<Me, 'resource'>, group: 'user', action: UserAction): void;
export function allow(m: Pick<Me, 'resource'>, group: 'token' | 'user', action: string): void {
  const actions = portalSettingsOf(m.resource.settings).selfService.allowedActions as Record<string, Record<string, boolean>>;
  if (actions[group]?.[action] !== true) throw appError('action_not_allowed');
}

/** The user's token in this resource (the "user with token" pairing), if any. */
async function pairedToken(m: Me): Promise<TokenRow | undefined> {
  const id = await userTokenOf(m.deps.db, m.resource.id, m.user.id);
  return id ? findToken(m.deps.db, id) : undefined;
}

async function ownToken(m: Me): Promise<TokenRow> {
  const token = await pairedToken(m);
  if (!token || token.userId !== m.user.id) throw appError('token_not_found');
  return token;
}

const tokenJson = (t: TokenRow) => ({
  id: t.id,
  name: t.name,
  type: t.type,
  kind: t.kind,
  serialNumber: t.serialNumber,
  active: t.active,
  locked: t.locked,
  hasPin: t.pinHash !== null,
});

/** What the portal page shows: the profile, the token here, and what is allowed. */
export async function overview(m: Me) {
  const settings = portalSettingsOf(m.resource.settings).selfService;
  const token = await pairedToken(m);
  const u = m.user;
  return {
    resource: { name: m.resource.name },
    user: { login: u.login, firstName: u.firstName, lastName: u.lastName, email: u.email, phone: u.phone, hasPassword: u.passwordHash !== null },
    token: token ? tokenJson(token) : null,
    allowedActions: settings.allowedActions,
    enrollmentTypes: settings.enrollmentTypes,
  };
}

// --- tokens ----------------------------------------------------------------------------------

/** Starts enrolling a token of an allowed type; a token begun earlier and never confirmed goes. */
export async function startEnroll(m: Me, type: EnrollmentType): Promise<EnrollAnswer> {
  allow(m, 'token', 'enroll');
  if (await pairedToken(m)) throw appError('user_token_exists');
  await dropUnconfirmed(enroller(m), m.session.pendingTokenId);
  await setPendingToken(m.deps.db, m.session, null);
  const answer = await beginEnrolment(enroller(m), type);
  await setPendingToken(m.deps.db, m.session, answer.tokenId);
  return answer;
}

export async function confirmEnroll(m: Me, otp: string): Promise<{ token: ReturnType<typeof tokenJson> }> {
  allow(m, 'token', 'enroll');
  const token = await confirmEnrolment(enroller(m), m.session.pendingTokenId, otp);
  await setPendingToken(m.deps.db, m.session, null);
  return { token: tokenJson(token) };
}

export async function resendEnrollCode(m: Me): Promise<void> {
  allow(m, 'token', 'enroll');
  const token = m.session.pendingTokenId ? await findToken(m.deps.db, m.session.pendingTokenId) : undefined;
  if (!token || token.userId !== m.user.id || (token.type !== 'email' && token.type !== 'sms' && token.type !== 'bot')) throw appError('token_not_found');
  await sendCode(enroller(m), token);
}

export async function reissue(m: Me) {
  allow(m, 'token', 'reissue');
  const token = await ownToken(m);
  const r = await tokens.reissueToken(tokenCtx(m), token.id);
  const secret = r.enrollment ? secretOf(r.enrollment.otpauthUri) : undefined;
  return { token: tokenJson(r.token), ...(r.enrollment ?? {}), ...(secret ? { secret } : {}) };
}

/**
 * A hardware token by its serial number and current code. An unknown serial, a token of somebody
 * else and a wrong code get one answer, so serial numbers cannot be probed.
 */
export async function assignExisting(m: Me, serialNumber: string, otp: string) {
  allow(m, 'token', 'assignExisting');
  if (await pairedToken(m)) throw appError('user_token_exists');
  const token = await findTokenBySerial(m.deps.db, serialNumber);
  if (!token || token.kind !== 'hardware' || (token.userId !== null && token.userId !== m.user.id)) throw appError('wrong_credentials');
  if (!(await codeIsRight(enroller(m), token, otp))) throw appError('wrong_credentials');
  await tokens.linkUser(tokenCtx(m), token.id, m.user.id);
  await assignUserToken(base(m), m.resource.id, m.user.id, token.id);
  return { token: tokenJson(token) };
}

export async function unassign(m: Me): Promise<void> {
  allow(m, 'token', 'unassign');
  await ownToken(m);
  await unassignUserToken(base(m), m.resource.id, m.user.id);
}

export async function synchronize(m: Me, otp1: string, otp2: string) {
  allow(m, 'token', 'synchronize');
  const token = await ownToken(m);
  return { token: tokenJson(await tokens.syncToken(tokenCtx(m), token.id, otp1, otp2)) };
}

export async function setPin(m: Me, pin: string | null) {
  allow(m, 'token', pin === null ? 'removePin' : 'setPin');
  const token = await ownToken(m);
  return { token: tokenJson(await tokens.patchToken(tokenCtx(m), token.id, { pin })) };
}

// --- the user --------------------------------------------------------------------------------

const patchUser = async (m: Me, input: PatchUserInput) => users.patchUser(base(m), m.user.id, input);

export async function createPassword(m: Me, password: string): Promise<void> {
  allow(m, 'user', 'createPassword');
  if (m.user.passwordHash) throw appError('conflict', { message: 'You have a password already; change it instead.' });
  await patchUser(m, { password });
}

/** The current password is checked through the pipeline: throttle, filters and the per-login counter apply. */
export async function changePassword(m: Me, current: string, password: string): Promise<void> {
  allow(m, 'user', 'changePassword');
  const ctx = { resourceId: m.resource.id, ip: m.client.ip, userAgent: m.client.userAgent, channel: 'portal' as const };
  const req: AuthRequest = { method: 'password', login: m.user.login, password: current };
  const started = await begin(m.deps, ctx, m.deps.now(), { reserve: true });
  if ('outcome' in started) throw refusal(await record(m.deps, ctx, req, started.outcome, {}));
  const found = await identify(started.attempt, req);
  const outcome = isOutcome(found) ? found : { result: true };
  await settle(started.attempt, outcome);
  if (isOutcome(found) || found.user?.id !== m.user.id) {
    await record(m.deps, ctx, req, isOutcome(found) ? found : { result: false, reason: 'invalid_credentials' }, { user: m.user });
    throw appError('wrong_credentials');
  }
  await patchUser(m, { password });
}

/** A new e-mail address or phone number gets a code first; it is stored when the code comes back. */
export async function startAddressChange(m: Me, kind: 'email' | 'phone', to: string): Promise<{ sentTo: string }> {
  allow(m, 'user', kind === 'email' ? 'changeEmail' : 'changePhone');
  if (!m.deps.delivery) throw appError('delivery_failed');
  const code = await openCode(m.deps.db, m.deps.keyRing, m.session, kind, to, m.deps.now());
  try {
    await m.deps.delivery.send({
      channel: kind === 'email' ? 'email' : 'sms',
      to,
      subject: `Confirm your new ${kind === 'email' ? 'e-mail address' : 'phone number'}: ${code}`,
      text: `Your confirmation code is ${code}. Enter it in the self-service portal of ${m.resource.name} within 10 minutes.\nIf you did not ask for this, ignore this message.`,
      kind: 'otp',
    });
  } catch {
    throw appError('delivery_failed');
  }
  return { sentTo: maskAddress(to) };
}

export async function confirmAddressChange(m: Me, kind: 'email' | 'phone', code: string): Promise<void> {
  allow(m, 'user', kind === 'email' ? 'changeEmail' : 'changePhone');
  const checked = await useCode(m.deps.db, m.deps.keyRing, m.session, kind, code, m.deps.now());
  if (!checked.ok) throw appError(checked.reason === 'expired' ? 'code_expired' : 'wrong_credentials');
  await patchUser(m, kind === 'email' ? { email: checked.target } : { phone: checked.target });
}

export async function changeLogin(m: Me, login: string): Promise<void> {
  allow(m, 'user', 'changeLogin');
  await patchUser(m, { login });
}

export async function changeNames(m: Me, names: { firstName?: string | null; lastName?: string | null }): Promise<void> {
  allow(m, 'user', 'changeNames');
  await patchUser(m, names);
}

/** The session's user, re-read: an administrator may have deactivated or unassigned them since. */
export async function sessionUser(m: Omit<Me, 'user'>): Promise<UserRow | undefined> {
  const user = m.session.userId ? await findUser(m.deps.db, m.session.userId) : undefined;
  if (!user?.active) return undefined;
  const here = await readAttempt(m.deps.db, m.resource.id, user.login);
  return here.user?.id === user.id && (here.assignedDirectly || here.token !== undefined) ? user : undefined;
}
