import { policyOf } from '../auth/pipeline.js';
import { issueChallenge } from '../auth/prepare.js';
import type { AuthContext, AuthDeps } from '../auth/types.js';
import type { Principal } from '../access/principal.js';
import type { ResourceRow, TokenRow, UserRow } from '../db/types.js';
import { maskAddress as mask } from '../delivery/mask.js';
import { appError } from '../errors.js';
import { userTokenOf } from '../resources/assignments/repository.js';
import { assignUserToken } from '../resources/assignments/service.js';
import { portalSettingsOf, type EnrollmentType } from '../resources/self-service.js';
import { findToken } from '../tokens/repository.js';
import * as tokens from '../tokens/service.js';
import { verifyTokenOtp } from '../tokens/verify.js';
import { refusal } from '../widget/refusal.js';

// Enrolling a token by its user (DESIGN §12), shared by the portal and by enrolment during login
// in the widget: a token of an allowed type is created for the user and assigned to them in the
// resource only once a code confirms it (from the authenticator for TOTP/HOTP, sent to the
// user's address for e-mail, SMS and bot tokens). The token and assignment services do the work
// with the user as actor.

/**
 * The services check an administrator's scope. Callers of this module act for one user on their
 * own token in one resource, and check that before calling; this principal passes the services'
 * scope check, and `actingUserId` makes the user the actor of every event.
 */
export const SELF: Principal = { adminId: '00000000-0000-0000-0000-000000000000', role: 'superuser', keyId: 'self-service', resourceIds: [] };

export interface Enroller {
  deps: AuthDeps & { issuer: string; quota?: number };
  resource: ResourceRow;
  user: UserRow;
  ip: string | null;
  userAgent: string | null;
  channel: AuthContext['channel'];
}

export const serviceContext = (e: Enroller) => ({ db: e.deps.db, now: e.deps.now(), principal: SELF, ip: e.ip, actingUserId: e.user.id });
export const tokenContext = (e: Enroller): tokens.TokenContext => ({
  ...serviceContext(e),
  keyRing: e.deps.keyRing,
  issuer: e.deps.issuer,
  ...(e.deps.quota !== undefined ? { quota: e.deps.quota } : {}),
});

export type EnrollAnswer = { tokenId: string; type: EnrollmentType; otpauthUri?: string; qrSvg?: string; secret?: string; sentTo?: string };

export const secretOf = (otpauthUri: string) => new URL(otpauthUri).searchParams.get('secret') ?? undefined;

/** Removes a token begun earlier and never confirmed (still the user's, not assigned here). */
export async function dropUnconfirmed(e: Enroller, tokenId: string | null): Promise<void> {
  if (!tokenId) return;
  const pending = await findToken(e.deps.db, tokenId);
  if (pending && pending.userId === e.user.id && (await userTokenOf(e.deps.db, e.resource.id, e.user.id)) !== pending.id) {
    await tokens.deleteToken(tokenContext(e), pending.id);
  }
}

/** Creates the token of an allowed type for the user; nothing is assigned yet. */
export async function beginEnrolment(e: Enroller, type: EnrollmentType): Promise<EnrollAnswer> {
  if (!portalSettingsOf(e.resource.settings).selfService.enrollmentTypes.includes(type)) throw appError('action_not_allowed');
  if (await userTokenOf(e.deps.db, e.resource.id, e.user.id)) throw appError('user_token_exists');
  if (type === 'push' || type === 'hardware') {
    throw appError('not_supported_for_token', {
      message: type === 'hardware' ? 'Assign a hardware token by its serial number and current code.' : 'Push tokens cannot be enrolled yet.',
    });
  }
  const to = type === 'email' ? e.user.email : type === 'sms' || type === 'bot' ? e.user.phone : undefined;
  if (to === null) throw appError('not_supported_for_token', { message: type === 'email' ? 'Add an e-mail address first.' : 'Add a phone number first.' });
  const ctx = tokenContext(e);
  const created = await tokens.createToken(ctx, { kind: 'software', type, name: e.user.login.slice(0, 100) });
  const token = await tokens.linkUser(ctx, created.token.id, e.user.id);
  if (created.enrollment) {
    const secret = secretOf(created.enrollment.otpauthUri);
    return { tokenId: token.id, type, ...created.enrollment, ...(secret ? { secret } : {}) };
  }
  await sendCode(e, token);
  return { tokenId: token.id, type, sentTo: mask(to!) };
}

/** A code for an e-mail, SMS or bot token, within the pipeline's sending limits. */
export async function sendCode(e: Enroller, token: TokenRow): Promise<void> {
  const ctx: AuthContext = { resourceId: e.resource.id, ip: e.ip, userAgent: e.userAgent, channel: e.channel };
  const issued = await issueChallenge(e.deps, ctx, { method: 'user-token', login: e.user.login }, e.resource, { user: e.user, token }, e.deps.now());
  if (!issued.result && issued.reason !== 'throttled') throw refusal(issued);
}

/** A token's code, verified and consumed through tokens/ (lockout applies); false when wrong. */
export async function codeIsRight(e: Enroller, token: TokenRow, otp: string): Promise<boolean> {
  const verified = await verifyTokenOtp(e.deps.db, e.deps.keyRing, token, { otp, ip: e.ip, actor: `user:${e.user.id}` }, policyOf(e.resource), e.deps.now());
  return verified.ok;
}

/** The confirming code: right → the token is assigned to the user in the resource. */
export async function confirmEnrolment(e: Enroller, tokenId: string | null, otp: string): Promise<TokenRow> {
  const token = tokenId ? await findToken(e.deps.db, tokenId) : undefined;
  if (!token || token.userId !== e.user.id) throw appError('token_not_found');
  if (!(await codeIsRight(e, token, otp))) throw appError('wrong_credentials');
  await assignUserToken(serviceContext(e), e.resource.id, e.user.id, token.id);
  return token;
}
