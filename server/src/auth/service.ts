import type { KeyRing } from '../crypto/secretbox.js';
import { verifyAgainstDummy, verifyPassword } from '../crypto/password.js';
import type { Db } from '../db/index.js';
import type { ResourceRow, TokenRow, UserRow } from '../db/types.js';
import type { Delivery } from '../delivery/types.js';
import { appendEvent } from '../events/repository.js';
import { evaluateFilters } from '../filters/evaluate.js';
import type { Logger } from '../logger.js';
import { findResource } from '../resources/repository.js';
import { findToken } from '../tokens/repository.js';
import { verifyTokenOtp, type VerifyPolicy } from '../tokens/verify.js';
import { findUserByLogin } from '../users/repository.js';
import { recordThrottleFailure, throttleWait } from './throttle.js';

export interface AuthDeps {
  db: Db;
  keyRing: KeyRing;
  log: Logger;
  now: () => Date;
  delivery?: Delivery;
}

export type AuthMethodName = 'token' | 'password' | 'user-token' | 'user-password-token';

/** Precise reasons, for the site's backend only; end users see one generic message. */
export type AuthReason =
  | 'invalid_credentials'
  | 'locked'
  | 'filtered'
  | 'inactive_user'
  | 'inactive_token'
  | 'inactive_resource'
  | 'not_assigned'
  | 'throttled'
  | 'expired_challenge'
  | 'not_supported'
  | 'no_destination'
  | 'delivery_failed';

export type Amr = 'pwd' | 'otp' | 'bypass';

export interface AuthOutcome {
  result: boolean;
  reason?: AuthReason;
  retryAfter?: number;
  amr?: Amr[];
  userId?: string;
  tokenId?: string;
  challenge?: string;
  /** The filter that refused the attempt (for the event; never sent to clients). */
  filter?: { id: string; type: string };
}

export interface AuthContext {
  resourceId: string;
  ip: string | null;
  userAgent: string | null;
  /** Who is asking: 'api' (server-to-server) or 'widget'. */
  channel: 'api' | 'widget';
}

export const policyOf = (r: ResourceRow): VerifyPolicy => ({
  resourceId: r.id,
  failedAttemptsLimit: r.failedAttemptsLimit,
  otpWindow: r.otpWindow,
  hotpLookAhead: r.hotpLookAhead,
  progressiveUnlock: r.progressiveUnlock,
});

export const throttlePolicy = (r: ResourceRow) => ({ maxFailures: r.throttleMaxFailures, windowSeconds: r.throttleWindowSeconds });

/** What every attempt checks first (DESIGN §5): resource active → IP throttle → filters. */
export async function prelude(deps: AuthDeps, ctx: AuthContext, now: Date): Promise<{ resource: ResourceRow } | { outcome: AuthOutcome }> {
  const resource = await findResource(deps.db, ctx.resourceId);
  if (!resource || !resource.active) return { outcome: { result: false, reason: 'inactive_resource' } };
  const wait = await throttleWait(deps.db, resource.id, ctx.ip, throttlePolicy(resource), now);
  if (wait > 0) return { outcome: { result: false, reason: 'throttled', retryAfter: wait } };
  const filters = await deps.db.selectFrom('filters').selectAll().where('resourceId', '=', resource.id).where('enabled', '=', true).execute();
  const verdict = evaluateFilters(filters, { ip: ctx.ip, userAgent: ctx.userAgent, now });
  if (!verdict.ok) return { outcome: { result: false, reason: 'filtered', filter: { id: verdict.filterId, type: verdict.type } } };
  return { resource };
}

/** Password check that costs one argon2id verification whether or not the user or hash exists. */
export async function checkPassword(user: UserRow | undefined, password: string): Promise<boolean> {
  if (!user?.passwordHash) return verifyAgainstDummy(password);
  return verifyPassword(user.passwordHash, password);
}

export async function isUserAssigned(db: Db, resourceId: string, userId: string): Promise<boolean> {
  const direct = await db.selectFrom('resource_users').select('userId').where('resourceId', '=', resourceId).where('userId', '=', userId).executeTakeFirst();
  if (direct) return true;
  return (await userTokenId(db, resourceId, userId)) !== undefined;
}

export async function userTokenId(db: Db, resourceId: string, userId: string): Promise<string | undefined> {
  const row = await db.selectFrom('resource_user_tokens').select('tokenId').where('resourceId', '=', resourceId).where('userId', '=', userId).executeTakeFirst();
  return row?.tokenId;
}

async function isTokenAssigned(db: Db, resourceId: string, tokenId: string): Promise<boolean> {
  const direct = await db.selectFrom('resource_tokens').select('tokenId').where('resourceId', '=', resourceId).where('tokenId', '=', tokenId).executeTakeFirst();
  if (direct) return true;
  return (await db.selectFrom('resource_user_tokens').select('tokenId').where('resourceId', '=', resourceId).where('tokenId', '=', tokenId).executeTakeFirst()) !== undefined;
}

export interface AuthRequest {
  method: AuthMethodName;
  login?: string;
  password?: string;
  otp?: string;
  tokenId?: string;
}

type Identified = { user?: UserRow; token?: TokenRow };

/** Finds who is authenticating and checks state and assignment; an outcome means "stop here". */
export async function identify(deps: AuthDeps, resource: ResourceRow, req: AuthRequest): Promise<Identified | AuthOutcome> {
  if (req.method === 'token') {
    const token = req.tokenId ? await findToken(deps.db, req.tokenId) : undefined;
    if (!token || !(await isTokenAssigned(deps.db, resource.id, token.id))) return { result: false, reason: 'not_assigned' };
    return { token };
  }
  const user = await findUserByLogin(deps.db, req.login ?? '');
  if (!user) {
    // Unknown users cost what known ones cost, so timing does not tell them apart.
    if (req.password !== undefined) await verifyAgainstDummy(req.password);
    return { result: false, reason: 'invalid_credentials' };
  }
  if (!user.active) return { result: false, reason: 'inactive_user' };
  if (req.method === 'password') return (await isUserAssigned(deps.db, resource.id, user.id)) ? { user } : { result: false, reason: 'not_assigned' };
  const tokenId = await userTokenId(deps.db, resource.id, user.id);
  const token = tokenId ? await findToken(deps.db, tokenId) : undefined;
  if (!token) return { result: false, reason: 'not_assigned' };
  return { user, token };
}

/** Checks the credentials of one attempt; state and assignment were checked by identify. */
async function checkCredentials(deps: AuthDeps, resource: ResourceRow, ctx: AuthContext, req: AuthRequest, who: Identified, now: Date): Promise<AuthOutcome> {
  const amr: Amr[] = [];
  if (req.method === 'password' || req.method === 'user-password-token') {
    if (!(await checkPassword(who.user, req.password ?? ''))) return { result: false, reason: 'invalid_credentials' };
    amr.push('pwd');
  }
  if (req.method === 'password') return { result: true, amr };
  const token = who.token!;
  // An inactive token takes no part: password+OTP then rests on the password alone (seeds).
  if (!token.active) return req.method === 'user-password-token' ? { result: true, amr } : { result: false, reason: 'inactive_token' };
  const verified = await verifyTokenOtp(deps.db, deps.keyRing, token, { otp: req.otp ?? '', ip: ctx.ip, actor: ctx.channel }, policyOf(resource), now);
  if (verified.ok) return { result: true, amr: [...amr, verified.amr] };
  if (verified.justLocked) await notifyLock(deps, who.user, token);
  const reason: AuthReason = verified.reason === 'locked' ? 'locked' : verified.reason === 'expired_challenge' ? 'expired_challenge' : verified.reason === 'not_supported' ? 'not_supported' : verified.reason === 'inactive' ? 'inactive_token' : 'invalid_credentials';
  return { result: false, reason };
}

/** Tells the user by e-mail that their token locked; a failed notice never fails the request. */
export async function notifyLock(deps: AuthDeps, user: UserRow | undefined, token: TokenRow): Promise<void> {
  if (!user?.email || !deps.delivery) return;
  try {
    await deps.delivery.send({
      channel: 'email',
      to: user.email,
      subject: 'Your sign-in token was locked',
      text: `Hello ${user.firstName ?? user.login},\n\nyour token "${token.name}" was locked after too many wrong codes. If this was not you, tell your administrator.\n`,
      kind: 'lock-notice',
    });
  } catch (err) {
    deps.log.warn({ tokenId: token.id, err: (err as Error).message }, 'lock notice could not be delivered');
  }
}

/** One authentication attempt, as every entry point (server-to-server API, widget) makes it. */
export async function authenticate(deps: AuthDeps, ctx: AuthContext, req: AuthRequest): Promise<AuthOutcome> {
  const now = deps.now();
  const pre = await prelude(deps, ctx, now);
  if ('outcome' in pre) return record(deps, ctx, req, pre.outcome, {});
  const who = await identify(deps, pre.resource, req);
  const outcome = 'result' in who ? who : await checkCredentials(deps, pre.resource, ctx, req, who, now);
  if (!outcome.result && (outcome.reason === 'invalid_credentials' || outcome.reason === 'locked')) {
    await recordThrottleFailure(deps.db, pre.resource.id, ctx.ip, throttlePolicy(pre.resource), now);
  }
  const ids = 'result' in who ? {} : who;
  return record(deps, ctx, req, { ...outcome, ...(outcome.result && ids.user ? { userId: ids.user.id } : {}), ...(outcome.result && ids.token ? { tokenId: ids.token.id } : {}) }, ids);
}

export async function record(deps: AuthDeps, ctx: AuthContext, req: AuthRequest, outcome: AuthOutcome, who: Identified, type?: string): Promise<AuthOutcome> {
  await appendEvent(deps.db, {
    type: type ?? (outcome.result ? 'auth.success' : 'auth.failure'),
    actor: ctx.channel,
    resourceId: ctx.resourceId,
    userId: who.user?.id ?? null,
    tokenId: who.token?.id ?? null,
    ip: ctx.ip,
    result: outcome.result ? 'success' : 'failure',
    reason: outcome.reason ?? null,
    // The login is kept for failed attempts of unknown users (to see attacks); never a secret.
    details: {
      method: req.method,
      ...(outcome.amr ? { amr: outcome.amr } : {}),
      ...(outcome.filter ? { filterId: outcome.filter.id, filterType: outcome.filter.type } : {}),
      ...(!who.user && req.login ? { login: req.login.slice(0, 100) } : {}),
    },
  });
  return outcome;
}
