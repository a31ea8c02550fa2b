import type { OtpStep, ResendAnswer, StartAnswer, StepAnswer } from '../../../shared/protocol.js';
import { issueChallenge } from '../auth/prepare.js';
import {
  checkPassword,
  identify,
  loadResource,
  notifyLock,
  policyOf,
  prelude,
  record,
  throttlePolicy,
  userTokenId,
  type AuthContext,
  type AuthDeps,
  type AuthMethodName,
  type AuthOutcome,
  type AuthReason,
  type AuthRequest,
} from '../auth/service.js';
import { recordThrottleFailure } from '../auth/throttle.js';
import type { Amr, AuthMethod, ResourceRow, TokenRow, UserRow, WidgetTransactionRow } from '../db/types.js';
import { appError, type AppError } from '../errors.js';
import { signResultToken } from '../jwt/result.js';
import { parseOcraSuite } from '../otp/index.js';
import { normaliseOrigin } from '../resources/origins.js';
import { findResource } from '../resources/repository.js';
import { RESEND_AFTER_MS } from '../tokens/challenges.js';
import { findToken } from '../tokens/repository.js';
import { bypassActive, verifyTokenOtp } from '../tokens/verify.js';
import { findUser } from '../users/repository.js';
import { advance, claimAttempt, createTransaction, expired, findLive, refundAttempt, spendAttempt } from './transactions.js';

// The widget's sign-in flow (DESIGN §5, §7.2) on top of the authentication service the
// server-to-server API uses, so both apply the same prelude (resource active → IP throttle →
// filters), the same lockout, counters, replay guard and events. What differs is what the
// caller is told: end users get one generic `wrong_credentials` for every wrong login,
// password or code (no user enumeration), plus clear answers for locked, throttled and
// "not from here".

export interface WidgetDeps extends AuthDeps {
  /** PUBLIC_URL: the result token's `iss`. */
  issuer: string;
}

/** Who is calling, as the HTTP layer saw it. */
export interface Client {
  ip: string | null;
  userAgent: string | null;
}

const RESEND_AFTER_S = RESEND_AFTER_MS / 1000;

const methodOf = (m: AuthMethod): AuthMethodName => (m === 'password' ? 'password' : m === 'otp' ? 'user-token' : 'user-password-token');

const contextOf = (resourceId: string, client: Client): AuthContext => ({ resourceId, ip: client.ip, userAgent: client.userAgent, channel: 'widget' });

// Failures that are not a guess at someone's credentials: they neither use up the
// transaction's attempts nor count towards the IP throttle (a filter refusal is never a failed
// attempt, DESIGN §5).
const NOT_A_GUESS = new Set<AuthReason | undefined>(['throttled', 'filtered', 'inactive_resource', 'no_destination', 'delivery_failed']);

/** A lock in force (a progressive lock whose time has come lifts at the next verification). */
const lockInForce = (t: TokenRow, now: Date) => t.locked && !(t.unlockAt && t.unlockAt.getTime() <= now.getTime());
const lockRetryAfter = (t: TokenRow | undefined, now: Date) => (t?.unlockAt ? Math.max(1, Math.ceil((t.unlockAt.getTime() - now.getTime()) / 1000)) : undefined);

/** What the end user is told about a failed attempt. */
function refusal(outcome: AuthOutcome, attemptsLeft?: number): AppError {
  switch (outcome.reason) {
    case 'throttled':
      return appError('throttled', { details: { retryAfter: outcome.retryAfter ?? 1 } });
    case 'filtered':
      return appError('not_allowed_here');
    case 'inactive_resource':
      return appError('resource_unavailable');
    case 'locked':
      return appError('account_locked', outcome.retryAfter !== undefined ? { details: { retryAfter: outcome.retryAfter } } : {});
    case 'no_destination':
    case 'delivery_failed':
      return appError('delivery_failed');
    default:
      // invalid_credentials, unknown or inactive user, not assigned, inactive token, replayed or
      // expired code: the same answer for all of them.
      return appError('wrong_credentials', attemptsLeft !== undefined ? { details: { attemptsLeft } } : {});
  }
}

export interface StartInput {
  resourceId: string;
  origin: string;
  nonce: string;
  instance: string;
}

/** POST /widget/api/start: a transaction bound to resource, parent origin, nonce and instance. */
export async function start(deps: WidgetDeps, client: Client, input: StartInput): Promise<StartAnswer> {
  const now = deps.now();
  const loaded = await loadResource(deps.db, input.resourceId);
  const resource = loaded?.resource;
  if (!loaded || !resource || !resource.active) throw appError('resource_unavailable');
  const origin = normaliseOrigin(input.origin);
  if (!origin.ok || !resource.allowedOrigins.includes(origin.origin)) throw appError('origin_not_allowed');
  // Throttle and filters now already, so a refused user learns it before typing a password.
  const ctx = { ...contextOf(resource.id, client), loaded };
  const pre = await prelude(deps, ctx, now);
  if ('outcome' in pre) {
    await record(deps, ctx, { method: methodOf(resource.authMethod) }, pre.outcome, {});
    throw refusal(pre.outcome);
  }
  const tx = await createTransaction(
    deps.db,
    { resourceId: resource.id, origin: origin.origin, nonce: input.nonce, instance: input.instance, clientIp: client.ip, userAgent: client.userAgent?.slice(0, 512) ?? null },
    now,
  );
  return { transaction: tx.id, expiresAt: tx.expiresAt.toISOString(), password: resource.authMethod !== 'otp' };
}

interface Step {
  deps: WidgetDeps;
  tx: WidgetTransactionRow;
  resource: ResourceRow;
  ctx: AuthContext;
  req: AuthRequest;
  now: Date;
  /** Whether this call reserved one of the transaction's attempts (identify, otp). */
  claimed: boolean;
}

/**
 * The checks every step makes again, since minutes pass between steps: the resource's prelude
 * and the parent origin still being allowed (an administrator may have removed it).
 */
async function begin(deps: WidgetDeps, tx: WidgetTransactionRow, client: Client, now: Date, claimed: boolean): Promise<Omit<Step, 'req'>> {
  const ctx = contextOf(tx.resourceId, client);
  const pre = await prelude(deps, ctx, now);
  if ('outcome' in pre) {
    if (claimed) await refundAttempt(deps.db, tx);
    const resource = await findResource(deps.db, tx.resourceId);
    await record(deps, ctx, { method: resource ? methodOf(resource.authMethod) : 'user-token' }, pre.outcome, {});
    throw refusal(pre.outcome);
  }
  if (!pre.resource.allowedOrigins.includes(tx.origin)) {
    if (claimed) await refundAttempt(deps.db, tx);
    throw appError('origin_not_allowed');
  }
  return { deps, tx, resource: pre.resource, ctx, now, claimed };
}

/**
 * A failed attempt: counted against the transaction and the IP throttle when it was a guess,
 * recorded as an event (unless the service recorded it already), answered generically.
 */
async function fail(s: Step, outcome: AuthOutcome, who: { user?: UserRow; token?: TokenRow }, recorded = false): Promise<never> {
  let left: number | undefined;
  if (NOT_A_GUESS.has(outcome.reason)) {
    if (s.claimed) await refundAttempt(s.deps.db, s.tx);
  } else {
    await recordThrottleFailure(s.deps.db, s.resource.id, s.ctx.ip, throttlePolicy(s.resource), s.now);
    if (s.claimed) left = await spendAttempt(s.deps.db, s.tx);
  }
  if (!recorded) await record(s.deps, s.ctx, s.req, outcome, who);
  throw refusal(outcome, left);
}

/** The end: the transaction is marked done first, so only one concurrent call ever gets a token. */
async function finish(s: Step, user: UserRow, token: TokenRow | undefined, amr: Amr[]): Promise<StepAnswer> {
  if (!(await advance(s.deps.db, s.tx, 'done', { userId: user.id, tokenId: token?.id ?? null, amr }, s.now))) throw expired();
  const jwt = await signResultToken(s.deps.db, s.deps.keyRing, {
    issuer: s.deps.issuer,
    resourceId: s.tx.resourceId,
    userId: user.id,
    login: user.login,
    origin: s.tx.origin,
    nonce: s.tx.nonce,
    amr,
    authTime: s.now,
    now: s.now,
  });
  await record(s.deps, s.ctx, s.req, { result: true, amr, userId: user.id, ...(token ? { tokenId: token.id } : {}) }, { user, ...(token ? { token } : {}) });
  return { step: 'done', token: jwt };
}

async function toOtpStep(s: Step, user: UserRow, token: TokenRow, amr: Amr[], otp: OtpStep): Promise<StepAnswer> {
  if (!(await advance(s.deps.db, s.tx, 'otp', { userId: user.id, tokenId: token.id, amr }, s.now))) throw expired();
  return { step: 'otp', otp };
}

/** Code length of an OCRA suite (0 in a suite means the full HMAC; then the token's digits). */
const ocraDigits = (t: TokenRow) => (t.ocraSuite ? parseOcraSuite(t.ocraSuite).digits : 0) || t.digits;

export interface IdentifyInput {
  transaction: string;
  resourceId?: string;
  login: string;
  password?: string;
}

/** POST /widget/api/identify: login (and password when the resource asks for one) → next step. */
export async function identifyStep(deps: WidgetDeps, client: Client, input: IdentifyInput): Promise<StepAnswer> {
  const now = deps.now();
  const tx = await claimAttempt(deps.db, input.transaction, 'identify', now, input.resourceId);
  const base = await begin(deps, tx, client, now, true);
  const { resource } = base;
  const needsPassword = resource.authMethod !== 'otp';
  if (needsPassword && input.password === undefined) {
    await refundAttempt(deps.db, tx);
    throw appError('invalid_request', { message: 'body.password: this sign-in needs a password', field: 'body.password' });
  }
  const password = input.password ?? '';
  const method = methodOf(resource.authMethod);
  const s: Step = { ...base, req: { method, login: input.login, ...(needsPassword ? { password } : {}) } };

  const found = await identify(deps, resource, s.req);
  if ('result' in found) {
    // identify paid for a password check only for unknown users; the others pay here, so every
    // refusal costs one argon2 verification and timing does not tell them apart.
    if (needsPassword && found.reason !== 'invalid_credentials') await checkPassword(undefined, password);
    return fail(s, found, {});
  }
  const user = found.user!;
  if (needsPassword && !(await checkPassword(user, password))) return fail(s, { result: false, reason: 'invalid_credentials' }, found);
  const amr: Amr[] = needsPassword ? ['pwd'] : [];
  if (method === 'password') return finish(s, user, undefined, amr);

  const token = found.token!;
  // An inactive token takes no part: password+OTP then rests on the password alone (seeds).
  if (!token.active) return method === 'user-password-token' ? finish(s, user, undefined, amr) : fail(s, { result: false, reason: 'inactive_token' }, found);
  if (lockInForce(token, now)) return fail(s, { result: false, reason: 'locked', ...retry(lockRetryAfter(token, now)) }, found);
  if (bypassActive(token, now)) {
    // Through the verifier, which records the bypass use and honours locks like the API.
    const verified = await verifyTokenOtp(deps.db, deps.keyRing, token, { otp: '', ip: s.ctx.ip, actor: 'widget' }, policyOf(resource), now);
    if (verified.ok) return finish(s, user, token, [...amr, verified.amr]);
    return fail(s, { result: false, reason: verified.reason === 'locked' ? 'locked' : 'invalid_credentials' }, found);
  }
  const pin = token.pinHash ? { pin: true } : {};
  if (token.type === 'totp' || token.type === 'hotp') return toOtpStep(s, user, token, amr, { type: token.type, digits: token.digits, ...pin });

  const issued = await issueChallenge(deps, s.ctx, s.req, resource, { user, token }, now);
  if (token.type === 'ocra') {
    if (!issued.result || !issued.challenge) return fail(s, issued, found, true);
    return toOtpStep(s, user, token, amr, { type: 'ocra', digits: ocraDigits(token), challenge: issued.challenge, ...pin });
  }
  if (issued.result) return toOtpStep(s, user, token, amr, { type: token.type, digits: token.digits, resendAfter: RESEND_AFTER_S, ...pin });
  // A code went out less than 30 s ago (a restarted widget): it is still the valid one.
  if (issued.reason === 'throttled') return toOtpStep(s, user, token, amr, { type: token.type, digits: token.digits, resendAfter: issued.retryAfter ?? RESEND_AFTER_S, ...pin });
  return fail(s, issued, found, true);
}

const retry = (retryAfter: number | undefined) => (retryAfter !== undefined ? { retryAfter } : {});

/** The user and token the identify step chose, re-read: either may have changed since. */
async function chosen(s: Omit<Step, 'req'>): Promise<{ user?: UserRow; token?: TokenRow; ok: boolean }> {
  const user = s.tx.userId ? await findUser(s.deps.db, s.tx.userId) : undefined;
  const token = s.tx.tokenId ? await findToken(s.deps.db, s.tx.tokenId) : undefined;
  const ok = !!user && user.active && !!token && (await userTokenId(s.deps.db, s.resource.id, user.id)) === token.id;
  return { ...(user ? { user } : {}), ...(token ? { token } : {}), ok };
}

/** The method the transaction is in: a password was checked already or not. */
const otpMethod = (tx: WidgetTransactionRow): AuthMethodName => (tx.amr.includes('pwd') ? 'user-password-token' : 'user-token');

export interface OtpInput {
  transaction: string;
  resourceId?: string;
  otp: string;
}

/** POST /widget/api/otp: the code (with PIN) for the token chosen at identify → the result. */
export async function otpStep(deps: WidgetDeps, client: Client, input: OtpInput): Promise<StepAnswer> {
  const now = deps.now();
  const tx = await claimAttempt(deps.db, input.transaction, 'otp', now, input.resourceId);
  const base = await begin(deps, tx, client, now, true);
  const who = await chosen(base);
  const s: Step = { ...base, req: { method: otpMethod(tx), login: who.user?.login ?? '' } };
  if (!who.ok) return fail(s, { result: false, reason: who.user?.active === false ? 'inactive_user' : 'not_assigned' }, who);
  const user = who.user!;
  const token = who.token!;

  const verified = await verifyTokenOtp(deps.db, deps.keyRing, token, { otp: input.otp, ip: s.ctx.ip, actor: 'widget' }, policyOf(s.resource), now);
  if (verified.ok) return finish(s, user, token, [...tx.amr, verified.amr]);
  // Deactivated since identify: password+OTP rests on the password alone, as it would have then.
  if (verified.reason === 'inactive' && tx.amr.includes('pwd')) return finish(s, user, undefined, tx.amr);
  if (verified.justLocked) await notifyLock(deps, user, token);
  if (verified.locked) return fail(s, { result: false, reason: 'locked', ...retry(lockRetryAfter(await findToken(deps.db, token.id), now)) }, who);
  const reason: AuthReason = verified.reason === 'inactive' ? 'inactive_token' : verified.reason === 'expired_challenge' ? 'expired_challenge' : 'invalid_credentials';
  return fail(s, { result: false, reason }, who);
}

export interface ResendInput {
  transaction: string;
  resourceId?: string;
}

/** POST /widget/api/resend: a new e-mail/SMS/bot code, at most one per 30 s; uses no attempt. */
export async function resendStep(deps: WidgetDeps, client: Client, input: ResendInput): Promise<ResendAnswer> {
  const now = deps.now();
  const tx = await findLive(deps.db, input.transaction, 'otp', now, input.resourceId);
  const base = await begin(deps, tx, client, now, false);
  const who = await chosen(base);
  if (!who.ok) throw expired();
  const token = who.token!;
  if (token.type !== 'email' && token.type !== 'sms' && token.type !== 'bot') throw appError('not_supported_for_token');
  const s: Step = { ...base, req: { method: otpMethod(tx), login: who.user!.login } };
  const issued = await issueChallenge(deps, s.ctx, s.req, s.resource, { user: who.user!, token }, now);
  if (!issued.result) throw refusal(issued.reason === 'locked' ? { ...issued, ...retry(lockRetryAfter(token, now)) } : issued);
  return { resendAfter: RESEND_AFTER_S };
}
