import { begin, identify, isOutcome, secondFactor, settle, type Attempt } from '../auth/pipeline.js';
import { issueChallenge } from '../auth/prepare.js';
import { awaitPush, decidePush } from '../auth/push.js';
import { LIMITS, hitRateLimit, type RateLimit } from '../auth/rate-windows.js';
import { record } from '../auth/record.js';
import { readAttempt } from '../auth/repository.js';
import { ipBucket } from '../auth/throttle.js';
import type { Amr, AuthContext, AuthDeps, AuthOutcome, AuthRequest, Identified } from '../auth/types.js';
import type { ResourceRow, TokenRow, UserRow } from '../db/types.js';
import { appError } from '../errors.js';
import { parseOcraSuite } from '../otp/index.js';
import { lockInForce } from '../tokens/lockout.js';
import { bypassActive } from '../tokens/verify.js';
import { refusal } from '../widget/refusal.js';
import { advanceSession, openCode, openSession, portalCsrf, useCode, type PortalSessionRow } from './sessions.js';

// Signing in to the self-service portal (DESIGN §12) on the one authentication pipeline
// (auth/pipeline.ts): begin (resource active, throttle, filters), identify (one login
// normalisation, the per-login counter, one argon2id per password), secondFactor (tokens/,
// lockout) and settle are the API's and the widget's; every attempt is an event with channel
// 'portal'. What is the portal's own: the session between steps, and the sign-in code e-mailed
// to users without a password. A push token's user approves in the authenticator app instead of
// typing a code: the page asks POST push until the app decided (auth/push.ts: awaitPush and
// decidePush, the widget's rules too).
//
// Who may sign in: users assigned to the resource. Password if the user has one, otherwise a
// code to the user's e-mail address; then the code of the user's token in the resource. An
// unknown login, an unassigned one, and one with neither password nor e-mail address all get
// the password step, which then fails like a wrong password: which logins exist, and how they
// sign in, cannot be read off the answers beyond what the seed asks for (a login without
// password gets its code).

export interface PortalDeps extends AuthDeps {
  issuer: string;
  /** PUBLIC_URL: where a push token's app registers (enrolment of push tokens). */
  publicUrl?: string;
  /** VERIFRAME_TOKEN_QUOTA, for enrolled tokens. */
  quota?: number;
}

export interface Client {
  ip: string | null;
  userAgent: string | null;
}

export type OtpPrompt = { type: TokenRow['type']; digits: number; challenge?: string; pin?: boolean };
export type SignInAnswer = { step: 'password' | 'code' } | { step: 'otp'; otp: OtpPrompt } | { step: 'push'; expiresAt: string } | { step: 'done' };

/** Sessions one client may open per resource and window (each is a row). */
const startPerIp: RateLimit = { bucket: 'portal-start-ip', max: 60, windowSeconds: 600 };

const contextOf = (resource: ResourceRow, client: Client): AuthContext => ({
  resourceId: resource.id,
  ip: client.ip,
  userAgent: client.userAgent,
  channel: 'portal',
});

async function beginStep(deps: PortalDeps, resource: ResourceRow, client: Client, reserve: boolean, req: AuthRequest): Promise<Attempt> {
  const ctx = contextOf(resource, client);
  const started = await begin(deps, ctx, deps.now(), { reserve });
  if ('outcome' in started) {
    await record(deps, ctx, req, started.outcome, {});
    throw refusal(started.outcome);
  }
  return started.attempt;
}

async function fail(deps: PortalDeps, a: Attempt, req: AuthRequest, outcome: AuthOutcome, who: Identified): Promise<never> {
  await settle(a, outcome);
  if (!outcome.recorded) await record(deps, a.ctx, req, outcome, who);
  throw refusal(outcome);
}

/** Step 1: the login. Opens the session and says what comes next (a code is sent now). */
export async function startSignIn(
  deps: PortalDeps,
  resource: ResourceRow,
  client: Client,
  login: string,
): Promise<{ sessionId: string; csrf: string; answer: SignInAnswer }> {
  const req: AuthRequest = { method: 'password', login };
  const a = await beginStep(deps, resource, client, false, req);
  const hit = await hitRateLimit(deps.db, startPerIp, `${resource.id}:${ipBucket(client.ip)}`, a.now);
  if (!hit.ok) throw appError('throttled', { details: { retryAfter: hit.retryAfter } });
  const r = await readAttempt(deps.db, resource.id, login);
  const user = r.user;
  const assigned = user?.active === true && (r.assignedDirectly || r.token !== undefined);
  if (!assigned || user.passwordHash || !user.email) {
    const { id, row } = await openSession(deps.db, { resourceId: resource.id, login, stage: 'password', userId: null }, a.now);
    return { sessionId: id, csrf: portalCsrf(id), answer: { step: 'password' } };
  }
  const { id, row } = await openSession(deps.db, { resourceId: resource.id, login, stage: 'code', userId: user.id }, a.now);
  await sendSignInCode(deps, a, row, user);
  return { sessionId: id, csrf: portalCsrf(id), answer: { step: 'code' } };
}

/** The sign-in code, within the pipeline's sending limits (per user and per client). */
async function sendSignInCode(deps: PortalDeps, a: Attempt, s: PortalSessionRow, user: UserRow): Promise<void> {
  for (const [limit, key] of [
    [LIMITS.sendPerLogin, `${a.resource.id}:${user.id}`],
    [LIMITS.sendPerIp, `${a.resource.id}:${ipBucket(a.ctx.ip)}`],
  ] as const) {
    const hit = await hitRateLimit(deps.db, limit, key, a.now);
    if (!hit.ok) throw appError('throttled', { details: { retryAfter: hit.retryAfter } });
  }
  if (!deps.delivery) throw appError('delivery_failed');
  const code = await openCode(deps.db, deps.keyRing, s, 'sign_in', null, a.now);
  try {
    await deps.delivery.send({
      channel: 'email',
      to: user.email!,
      subject: `Your self-service sign-in code: ${code}`,
      text: `Your code to sign in to the self-service portal of ${a.resource.name} is ${code}. It is valid for 10 minutes and can be used once.\nIf you did not try to sign in, ignore this message.`,
      kind: 'otp',
    });
  } catch {
    throw appError('delivery_failed');
  }
}

/** Step 2a: the password, through identify (per-login counter, one argon2id for every outcome). */
export async function passwordStep(deps: PortalDeps, resource: ResourceRow, client: Client, s: PortalSessionRow, password: string): Promise<SignInAnswer> {
  if (s.stage !== 'password') throw appError('session_required');
  const req: AuthRequest = { method: 'password', login: s.login, password };
  const a = await beginStep(deps, resource, client, true, req);
  const found = await identify(a, req);
  if (isOutcome(found)) return fail(deps, a, req, found, {});
  return afterFirstFactor(deps, a, s, req, found.user!, found.token, ['pwd']);
}

/** Step 2b: the e-mailed code (single use, limited tries), then identify for state and assignment. */
export async function codeStep(deps: PortalDeps, resource: ResourceRow, client: Client, s: PortalSessionRow, code: string): Promise<SignInAnswer> {
  if (s.stage !== 'code') throw appError('session_required');
  const req: AuthRequest = { method: 'password', login: s.login };
  const a = await beginStep(deps, resource, client, true, req);
  const checked = await useCode(deps.db, deps.keyRing, s, 'sign_in', code, a.now);
  if (!checked.ok) {
    if (checked.reason === 'expired') {
      await settle(a, { result: false, reason: 'expired_challenge' });
      await record(deps, a.ctx, req, { result: false, reason: 'expired_challenge' }, {});
      throw appError('code_expired');
    }
    return fail(deps, a, req, { result: false, reason: 'invalid_credentials' }, {});
  }
  const found = await identify(a, req);
  if (isOutcome(found)) return fail(deps, a, req, found, {});
  return afterFirstFactor(deps, a, s, req, found.user!, found.token, []);
}

/** After the first factor: the token's code when the user has an active token here, else done. */
async function afterFirstFactor(
  deps: PortalDeps,
  a: Attempt,
  s: PortalSessionRow,
  req: AuthRequest,
  user: UserRow,
  token: TokenRow | undefined,
  amr: Amr[],
): Promise<SignInAnswer> {
  if (!token || !token.active) return done(deps, a, s, req, { user }, amr);
  const who = { user, token };
  if (bypassActive(token, a.now) || lockInForce(token, a.now)) {
    const outcome = await secondFactor(a, { ...req, method: 'user-password-token' }, who, { amr });
    return outcome.result ? done(deps, a, s, req, who, outcome.amr!) : fail(deps, a, req, outcome, who);
  }
  if (token.type === 'push') {
    const opened = await issueChallenge(deps, a.ctx, { method: 'user-token', login: user.login }, a.resource, who, a.now);
    if (!opened.result || !opened.push) return fail(deps, a, req, opened, who);
    await settle(a, { result: true });
    if (!(await advanceSession(deps.db, s, 'push', user.id, opened.push.challenge))) throw appError('session_required');
    return { step: 'push', expiresAt: opened.push.expiresAt };
  }
  const pin = token.pinHash ? { pin: true } : {};
  let prompt: OtpPrompt = { type: token.type, digits: token.digits, ...pin };
  if (token.type !== 'totp' && token.type !== 'hotp') {
    const issued = await issueChallenge(deps, a.ctx, { method: 'user-token', login: user.login }, a.resource, who, a.now);
    // A code sent moments ago is still the valid one.
    if (!issued.result && issued.reason !== 'throttled') return fail(deps, a, req, issued, who);
    if (token.type === 'ocra')
      prompt = { ...prompt, digits: parseOcraSuite(token.ocraSuite!).digits || token.digits, ...(issued.challenge ? { challenge: issued.challenge } : {}) };
  }
  await settle(a, { result: true });
  if (!(await advanceSession(deps.db, s, 'otp', user.id))) throw appError('session_required');
  return { step: 'otp', otp: prompt };
}

async function done(
  deps: PortalDeps,
  a: Attempt,
  s: PortalSessionRow,
  req: AuthRequest,
  who: Identified & { user: UserRow },
  amr: Amr[],
): Promise<SignInAnswer> {
  await settle(a, { result: true });
  if (!(await advanceSession(deps.db, s, 'signed_in', who.user.id))) throw appError('session_required');
  await record(deps, a.ctx, req, { result: true, amr, userId: who.user.id, ...(who.token ? { tokenId: who.token.id } : {}) }, who);
  return { step: 'done' };
}

/** Step 3: the code of the user's token in the resource, verified and consumed through tokens/. */
export async function otpStep(deps: PortalDeps, resource: ResourceRow, client: Client, s: PortalSessionRow, otp: string): Promise<SignInAnswer> {
  if (s.stage !== 'otp') throw appError('session_required');
  const req: AuthRequest = { method: 'user-token', login: s.login, otp };
  const a = await beginStep(deps, resource, client, true, req);
  const found = await identify(a, req);
  if (isOutcome(found)) return fail(deps, a, req, found, {});
  if (found.user!.id !== s.userId || !found.token) return fail(deps, a, req, { result: false, reason: 'not_assigned' }, found);
  const who = { user: found.user!, token: found.token };
  const outcome = await secondFactor(a, req, who, { amr: found.user!.passwordHash ? ['pwd'] : [] });
  if (!outcome.result) return fail(deps, a, req, outcome, who);
  return done(deps, a, s, req, who, outcome.amr!);
}

/**
 * Step 3 for a push token: the app's decision. While it is pending the answer is the push step
 * again, at no cost; then one attempt through the pipeline — approved: signed in (the approval
 * is used once); denied: `push_denied`, a failure that counts; nobody answered in time:
 * `push_challenge_expired`. Either way the user starts again from the login.
 */
export async function pushStep(deps: PortalDeps, resource: ResourceRow, client: Client, s: PortalSessionRow): Promise<SignInAnswer> {
  if (s.stage !== 'push') throw appError('session_required');
  const wait = await awaitPush(deps.db, s.pushChallengeId, { resourceId: resource.id }, deps.now());
  if (wait.state === 'waiting') return { step: 'push', expiresAt: wait.expiresAt };
  if (wait.state === 'unknown') throw appError('push_challenge_expired');
  const req: AuthRequest = { method: 'user-token', login: s.login, otp: '' };
  const a = await beginStep(deps, resource, client, true, req);
  const found = await identify(a, req);
  if (isOutcome(found)) return fail(deps, a, req, found, {});
  if (found.user!.id !== s.userId || !found.token) return fail(deps, a, req, { result: false, reason: 'not_assigned' }, found);
  const who = { user: found.user!, token: found.token };
  const { outcome, unanswered } = await decidePush(a, req, who, found.user!.passwordHash ? ['pwd'] : [], wait.row);
  if (outcome.result) return done(deps, a, s, req, who, outcome.amr!);
  if (!unanswered) return fail(deps, a, req, outcome, who);
  // Counted and recorded like any failure; the user is told that nobody answered.
  await settle(a, outcome);
  if (!outcome.recorded) await record(deps, a.ctx, req, outcome, who);
  throw appError('push_challenge_expired');
}
