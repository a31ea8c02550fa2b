import { widgetEnrollTypes, type OtpStep, type ResendAnswer, type StartAnswer, type StepAnswer } from '../../../shared/protocol.js';
import { countsAsGuess } from '../auth/outcomes.js';
import { begin, identify, isOutcome, secondFactor, settle, type Attempt, type BeginOptions } from '../auth/pipeline.js';
import { issueChallenge } from '../auth/prepare.js';
import { LIMITS } from '../auth/rate-windows.js';
import { record } from '../auth/record.js';
import { loadResource, readAttempt, readChosen, type ChosenRead, type Looked } from '../auth/repository.js';
import { ipBucket, reserveSlot } from '../auth/throttle.js';
import type { AuthContext, AuthDeps, AuthMethodName, AuthOutcome, AuthRequest, Identified, LoadedResource } from '../auth/types.js';
import type { Amr, AuthMethod, TokenRow, UserRow, WidgetTransactionRow } from '../db/types.js';
import { appError } from '../errors.js';
import { signResultToken } from '../jwt/result.js';
import { parseOcraSuite } from '../otp/index.js';
import { normaliseOrigin } from '../resources/origins.js';
import { portalSettingsOf } from '../resources/self-service.js';
import { RESEND_AFTER_MS } from '../tokens/challenges.js';
import { lockInForce } from '../tokens/lockout.js';
import { bypassActive } from '../tokens/verify.js';
import { refusal } from './refusal.js';
import { advance, claimAndLook, claimAttempt, expired, findLive, refundAttempt, spendAttempt, startTransaction } from './transactions.js';

// The widget's sign-in (DESIGN §7.2) on the one authentication pipeline (auth/pipeline.ts): the
// steps, throttle, lockout, counters and events are the server-to-server API's. What is the
// widget's own: the transaction (its state between steps and its attempts), and what the end
// user is told (refusal.ts). On an OTP-only resource the identify step checks no secret, so it
// never refuses: an unknown, inactive or unassigned login gets a decoy TOTP step made of the
// same queries as a real one, and which logins exist cannot be read off it.

export interface WidgetDeps extends AuthDeps {
  /** PUBLIC_URL: the result token's `iss`. */
  issuer: string;
  /** VERIFRAME_TOKEN_QUOTA, for tokens enrolled during login. */
  quota?: number;
}

/** Who is calling, as the HTTP layer saw it. */
export interface Client {
  ip: string | null;
  userAgent: string | null;
}

const RESEND_AFTER_S = RESEND_AFTER_MS / 1000;
/** What a decoy step shows: the most common kind of token. */
const DECOY: OtpStep = { type: 'totp', digits: 6 };

const methodOf = (m: AuthMethod): AuthMethodName => (m === 'password' ? 'password' : m === 'otp' ? 'user-token' : 'user-password-token');

const contextOf = (resourceId: string, client: Client): AuthContext => ({ resourceId, ip: client.ip, userAgent: client.userAgent, channel: 'widget' });

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
  const started = await begin(deps, ctx, now, { reserve: false });
  if ('outcome' in started) {
    await record(deps, ctx, { method: methodOf(resource.authMethod) }, started.outcome, {});
    throw refusal(started.outcome);
  }
  // Every start is a row: bounded per client, or a loop could fill the table. Counted and
  // created in one statement.
  const tx = await startTransaction(
    deps.db,
    {
      resourceId: resource.id,
      origin: origin.origin,
      nonce: input.nonce,
      instance: input.instance,
      clientIp: client.ip,
      userAgent: client.userAgent?.slice(0, 512) ?? null,
    },
    { rate: LIMITS.startPerIp, key: `${resource.id}:${ipBucket(client.ip)}` },
    now,
  );
  if ('retryAfter' in tx) throw appError('throttled', { details: { retryAfter: tx.retryAfter } });
  return { transaction: tx.id, expiresAt: tx.expiresAt.toISOString(), password: resource.authMethod !== 'otp' };
}

export interface Step {
  deps: WidgetDeps;
  tx: WidgetTransactionRow;
  a: Attempt;
  req: AuthRequest;
  /** Whether this call reserved one of the transaction's attempts (identify, otp). */
  claimed: boolean;
}

/**
 * The pipeline's begin, again at every step since minutes pass between them, plus the widget's
 * own check: the parent origin must still be allowed (an administrator may have removed it).
 * `reserve` (default: `claimed`): take a throttle slot, for a step that checks a credential;
 * `login`: read the user and token with the throttle's statement (auth/pipeline.ts), or take them
 * and the window from `looked` (read with the claim); `chosen`:
 * the user and token of the transaction, read with the reservation; `loaded`: the resource as
 * the caller read it already.
 */
export async function beginStep(
  deps: WidgetDeps,
  tx: WidgetTransactionRow,
  client: Client,
  now: Date,
  claimed: boolean,
  opts: { reserve?: boolean; login?: string; chosen?: BeginOptions['chosen']; looked?: Looked; loaded?: LoadedResource } = {},
): Promise<Attempt> {
  const ctx = { ...contextOf(tx.resourceId, client), ...(opts.loaded ? { loaded: opts.loaded } : {}) };
  const reserve = opts.reserve ?? claimed;
  const { login, chosen, looked } = opts;
  const started = await begin(deps, ctx, now, {
    reserve,
    ...(login !== undefined ? { login } : {}),
    ...(reserve && chosen ? { chosen } : {}),
    ...(looked ? { looked } : {}),
  });
  if ('outcome' in started) {
    if (claimed) await refundAttempt(deps.db, tx);
    await record(deps, ctx, { method: tx.amr.includes('pwd') ? 'user-password-token' : 'user-token' }, started.outcome, {});
    throw refusal(started.outcome);
  }
  if (!started.attempt.resource.allowedOrigins.includes(tx.origin)) {
    await settle(started.attempt, { result: false, reason: 'filtered' });
    if (claimed) await refundAttempt(deps.db, tx);
    throw appError('origin_not_allowed');
  }
  return started.attempt;
}

/**
 * A throttle slot for an identify step that began without one (OTP-only: see identifyStep),
 * taken before it checks or sends anything after all. Refused like begin refuses.
 */
async function reserveNow(s: Step, who: Identified): Promise<void> {
  const { a } = s;
  if (a.slot) return;
  const r = a.resource;
  const taken = await reserveSlot(s.deps.db, r.id, a.ctx.ip, { maxFailures: r.throttleMaxFailures, windowSeconds: r.throttleWindowSeconds }, a.now);
  if ('retryAfter' in taken) await fail(s, { result: false, reason: 'throttled', retryAfter: taken.retryAfter }, who);
  else a.slot = taken.slot;
}

/**
 * A failed attempt: settled by the pipeline (a guess keeps its throttle slot), counted against
 * the transaction when it was a guess, recorded, and answered as the end user is told.
 */
export async function fail(s: Step, outcome: AuthOutcome, who: Identified, recorded = false): Promise<never> {
  await settle(s.a, outcome);
  let left: number | undefined;
  if (countsAsGuess(outcome)) {
    if (s.claimed) left = await spendAttempt(s.deps.db, s.tx);
  } else if (s.claimed) {
    await refundAttempt(s.deps.db, s.tx);
  }
  if (!recorded && !outcome.recorded) await record(s.deps, s.a.ctx, s.req, outcome, who);
  throw refusal(outcome, left);
}

/** The end: the transaction is marked done first, so only one concurrent call ever gets a token. */
export async function finish(s: Step, user: UserRow, token: TokenRow | undefined, amr: Amr[]): Promise<StepAnswer> {
  const { deps, tx, a } = s;
  await settle(a, { result: true });
  if (!(await advance(deps.db, tx, 'done', { userId: user.id, tokenId: token?.id ?? null, amr }, a.now))) throw expired();
  const jwt = await signResultToken(deps.db, deps.keyRing, {
    issuer: deps.issuer,
    resourceId: tx.resourceId,
    userId: user.id,
    login: user.login,
    origin: tx.origin,
    nonce: tx.nonce,
    amr,
    authTime: a.now,
    now: a.now,
  });
  await record(deps, a.ctx, s.req, { result: true, amr, userId: user.id, ...(token ? { tokenId: token.id } : {}) }, { user, ...(token ? { token } : {}) });
  return { step: 'done', token: jwt };
}

/** On to the code: a real step, or a decoy (no user, no token) that no code will pass. */
async function toOtpStep(s: Step, who: { user: UserRow; token: TokenRow; amr: Amr[] } | undefined, otp: OtpStep): Promise<StepAnswer> {
  await settle(s.a, { result: true });
  const set = who ? { userId: who.user.id, tokenId: who.token.id, amr: who.amr } : { userId: null, tokenId: null, amr: [] };
  if (!(await advance(s.deps.db, s.tx, 'otp', set, s.a.now))) throw expired();
  return { step: 'otp', otp };
}

/** On to waiting for the app: the transaction remembers which challenge completes it. */
async function toPushStep(s: Step, who: { user: UserRow; token: TokenRow; amr: Amr[] }, push: { challenge: string; expiresAt: string }): Promise<StepAnswer> {
  await settle(s.a, { result: true });
  const set = { userId: who.user.id, tokenId: who.token.id, amr: who.amr, challengeId: push.challenge };
  if (!(await advance(s.deps.db, s.tx, 'otp', set, s.a.now))) throw expired();
  return { step: 'push', push: { expiresAt: push.expiresAt } };
}

/** On to enrolment: the types the resource allows that the widget can enrol. */
async function toEnrollStep(s: Step, user: UserRow): Promise<StepAnswer> {
  await settle(s.a, { result: true });
  if (!(await advance(s.deps.db, s.tx, 'enroll', { userId: user.id, tokenId: null, amr: ['pwd'] }, s.a.now))) throw expired();
  const allowed = portalSettingsOf(s.a.resource.settings).selfService.enrollmentTypes;
  return { step: 'enroll', enroll: { types: widgetEnrollTypes.filter((t) => allowed.includes(t)) } };
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
  // The claim reads the user and token of the login and the client's throttle window too.
  const look = { bucket: ipBucket(client.ip), login: input.login };
  const { tx, looked } = await claimAndLook(deps.db, input.transaction, now, input.resourceId, look);
  // With a password the step is a guess: a throttle slot. Without one (OTP-only) it checks
  // nothing on the way to the code step, whose slot would always be given back: the throttle
  // window is only looked at (as begin does for steps that check no credential), and a slot is
  // taken later if a bypass is checked or a code sent.
  const loaded = await loadResource(deps.db, tx.resourceId);
  const otpOnly = loaded?.resource.authMethod === 'otp';
  const a = await beginStep(deps, tx, client, now, true, { reserve: !otpOnly, login: input.login, looked, ...(loaded ? { loaded } : {}) });
  const needsPassword = a.resource.authMethod !== 'otp';
  if (needsPassword && input.password === undefined) {
    await settle(a, { result: false, reason: 'otp_required' });
    await refundAttempt(deps.db, tx);
    throw appError('invalid_request', { message: 'body.password: this sign-in needs a password', field: 'body.password' });
  }
  const method = methodOf(a.resource.authMethod);
  const s: Step = { deps, tx, a, req: { method, login: input.login, ...(needsPassword ? { password: input.password ?? '' } : {}) }, claimed: true };

  // Enrolment during login (DESIGN §12): only after a right password, for a user assigned here
  // without a token; everyone else goes through identify as before, so nothing tells them apart.
  const read =
    method === 'user-password-token' && portalSettingsOf(a.resource.settings).enrollOnLogin
      ? (a.read ?? (await readAttempt(deps.db, a.resource.id, input.login)))
      : undefined;
  const enrolling = read?.user !== undefined && read.assignedDirectly && read.token === undefined;
  const found = await identify(a, enrolling ? { ...s.req, method: 'password' } : s.req, read);
  if (isOutcome(found)) return needsPassword ? fail(s, found, {}) : toOtpStep(s, undefined, DECOY);
  const user = found.user!;
  if (enrolling) return toEnrollStep(s, user);
  const amr: Amr[] = needsPassword ? ['pwd'] : [];
  if (method === 'password') return finish(s, user, undefined, amr);
  const token = found.token!;
  // An inactive token takes no part: password+OTP then rests on the password alone (seeds).
  if (!token.active) return needsPassword ? finish(s, user, undefined, amr) : toOtpStep(s, undefined, DECOY);
  const pin = token.pinHash ? { pin: true } : {};
  const chosen = { user, token, amr };
  if (lockInForce(token, now)) {
    // After a right password the lock is news for the user; without one the code step says it,
    // so that the identify step tells nothing about the login.
    if (needsPassword) return fail(s, await secondFactor(a, s.req, chosen, { amr }), found);
    return toOtpStep(s, chosen, token.type === 'totp' || token.type === 'hotp' ? { type: token.type, digits: token.digits, ...pin } : { ...DECOY, ...pin });
  }
  // Past here the step checks a bypass or sends something: a throttle slot, as the API takes.
  if (!(token.type === 'totp' || token.type === 'hotp') || bypassActive(token, now)) await reserveNow(s, found);
  if (bypassActive(token, now)) {
    // Through the verifier, which records the bypass use and honours locks like the API.
    const outcome = await secondFactor(a, s.req, chosen, { amr });
    return outcome.result ? finish(s, user, token, outcome.amr!) : fail(s, outcome, found);
  }
  if (token.type === 'totp' || token.type === 'hotp') return toOtpStep(s, chosen, { type: token.type, digits: token.digits, ...pin });

  const issued = await issueChallenge(deps, a.ctx, s.req, a.resource, { user, token }, now);
  if (token.type === 'push') {
    if (!issued.result || !issued.push) return fail(s, issued, found, true);
    return toPushStep(s, chosen, issued.push);
  }
  if (token.type === 'ocra') {
    if (!issued.result || !issued.challenge) return fail(s, issued, found, true);
    return toOtpStep(s, chosen, { type: 'ocra', digits: ocraDigits(token), challenge: issued.challenge, ...pin });
  }
  if (issued.result) return toOtpStep(s, chosen, { type: token.type, digits: token.digits, resendAfter: RESEND_AFTER_S, ...pin });
  // A code went out recently (a restarted widget), or the sending limit is reached: the last
  // code sent is still the valid one.
  if (issued.reason === 'throttled')
    return toOtpStep(s, chosen, { type: token.type, digits: token.digits, resendAfter: issued.retryAfter ?? RESEND_AFTER_S, ...pin });
  return fail(s, issued, found, true);
}

/**
 * The user and token the identify step chose, re-read: either may have changed since. `read`:
 * what beginStep read of them with its reservation already.
 */
export async function chosenAgain(
  deps: WidgetDeps,
  resourceId: string,
  tx: WidgetTransactionRow,
  read?: ChosenRead,
): Promise<{ user?: UserRow; token?: TokenRow; refusal?: AuthOutcome }> {
  // One read: the user, the token and the user's pairing in the resource now.
  const { user, token, pairedTokenId } = read ?? (await readChosen(deps.db, resourceId, tx.userId, tx.tokenId));
  const who = { ...(user ? { user } : {}), ...(token ? { token } : {}) };
  // A decoy transaction has neither: its code is as wrong as a wrong code.
  if (!user) return { ...who, refusal: { result: false, reason: 'invalid_credentials' } };
  if (!user.active) return { ...who, refusal: { result: false, reason: 'inactive_user' } };
  if (!token || pairedTokenId !== token.id) return { ...who, refusal: { result: false, reason: 'not_assigned' } };
  return who;
}

/** The method the transaction is in: a password was checked already or not. */
export const otpMethod = (tx: WidgetTransactionRow): AuthMethodName => (tx.amr.includes('pwd') ? 'user-password-token' : 'user-token');

export interface OtpInput {
  transaction: string;
  resourceId?: string;
  otp: string;
}

/**
 * How a code step begins (a typed code, or a push answer with `otp` ''): one attempt claimed,
 * then begin with the throttle reservation, which re-reads the user and token identify chose.
 */
export async function beginCodeStep(
  deps: WidgetDeps,
  client: Client,
  input: { transaction: string; resourceId?: string },
  now: Date,
  otp: string,
): Promise<{ s: Step; who: Awaited<ReturnType<typeof chosenAgain>> }> {
  const tx = await claimAttempt(deps.db, input.transaction, 'otp', now, input.resourceId);
  const a = await beginStep(deps, tx, client, now, true, { chosen: { userId: tx.userId, tokenId: tx.tokenId } });
  const who = await chosenAgain(deps, a.resource.id, tx, a.chosen);
  return { s: { deps, tx, a, req: { method: otpMethod(tx), login: who.user?.login ?? '', otp }, claimed: true }, who };
}

/** POST /widget/api/otp: the code (with PIN) for the token chosen at identify → the result. */
export async function otpStep(deps: WidgetDeps, client: Client, input: OtpInput): Promise<StepAnswer> {
  const { s, who } = await beginCodeStep(deps, client, input, deps.now(), input.otp);
  if (who.refusal) return fail(s, who.refusal, who);
  const { tx, a } = s;
  const user = who.user!;
  const token = who.token!;
  const outcome = await secondFactor(a, s.req, { user, token }, { amr: tx.amr });
  if (!outcome.result) return fail(s, outcome, who);
  const amr = outcome.amr!;
  // Deactivated since identify: password+OTP rests on the password alone, as it would have then.
  return finish(s, user, amr.includes('otp') || amr.includes('bypass') ? token : undefined, amr);
}

export interface ResendInput {
  transaction: string;
  resourceId?: string;
}

/** POST /widget/api/resend: a new e-mail/SMS/bot code, at most one per 30 s; uses no attempt. */
export async function resendStep(deps: WidgetDeps, client: Client, input: ResendInput): Promise<ResendAnswer> {
  const now = deps.now();
  const tx = await findLive(deps.db, input.transaction, 'otp', now, input.resourceId);
  const a = await beginStep(deps, tx, client, now, false);
  const who = await chosenAgain(deps, a.resource.id, tx);
  if (who.refusal) throw expired();
  const user = who.user!;
  const token = who.token!;
  if (token.type !== 'email' && token.type !== 'sms' && token.type !== 'bot') throw appError('not_supported_for_token');
  const issued = await issueChallenge(deps, a.ctx, { method: otpMethod(tx), login: user.login }, a.resource, { user, token }, now);
  if (!issued.result) throw refusal(issued);
  return { resendAfter: RESEND_AFTER_S };
}
