import { verifyAgainstDummy, verifyPassword } from '../crypto/password.js';
import type { ResourceRow, UserRow, TokenRow } from '../db/types.js';
import { evaluateFilters } from '../filters/evaluate.js';
import { lockRetryAfter } from '../tokens/lockout.js';
import { findToken } from '../tokens/repository.js';
import { verifyTokenOtp, type AttemptEvents, type VerifyPolicy } from '../tokens/verify.js';
import { reserveLogin, settleLogin } from './login-guard.js';
import { countsAsGuess, reasonOfVerify } from './outcomes.js';
import { attemptEvent } from './record.js';
import {
  isTokenAssigned,
  loadResource,
  lookAndReadAttempt,
  readAttempt,
  reserveAndReadAttempt,
  reserveAndReadChosen,
  type AttemptRead,
  type ChosenRead,
  type Looked,
} from './repository.js';
import { ipBucket, releaseSlot, reserved, reserveParams, reserveSlot, throttleWait, waitOf, type ThrottleSlot } from './throttle.js';
import type { Amr, AuthContext, AuthDeps, AuthOutcome, AuthRequest, Identified } from './types.js';

// The one authentication pipeline (DESIGN §10). Every front-end — the server-to-server API, the
// widget, the self-service portal, the console sign-in — runs these steps and restates none:
//   begin         resource active → reserve a throttle slot → filters
//   identify      the user (one login normalisation) → per-login counter → password, one
//                 argon2id verification whatever the outcome
//   secondFactor  verify and consume the code through tokens/ (lockout lives there)
//   settle        give the throttle slot back unless the outcome was a guess (outcomes.ts); a
//                 matched code gave it back already, in the statement that consumed it
// Front-ends keep only their transport state and what the end user is told.

/** One attempt after begin: the resource as read, and the client's reserved throttle slot. */
export interface Attempt {
  deps: AuthDeps;
  ctx: AuthContext;
  resource: ResourceRow;
  now: Date;
  slot?: ThrottleSlot;
  /** The user and token of `login`, when begin read them with the throttle's statement. */
  read?: AttemptRead;
  /** The user and token of `chosen`, when begin read them with the reservation. */
  chosen?: ChosenRead;
}

/** begin's options: see begin. */
export interface BeginOptions {
  reserve: boolean;
  login?: string;
  /** A later step's user and token by id (the widget's code step), read with the reservation. */
  chosen?: { userId: string | null; tokenId: string | null };
  /**
   * `login`'s user and token and the client's throttle window, read already (the widget's
   * identify step reads them with its claim): no statement for a look, a reservation alone.
   */
  looked?: Looked;
}

export const policyOf = (r: ResourceRow): VerifyPolicy => ({
  resourceId: r.id,
  failedAttemptsLimit: r.failedAttemptsLimit,
  otpWindow: r.otpWindow,
  hotpLookAhead: r.hotpLookAhead,
  progressiveUnlock: r.progressiveUnlock,
});

const throttlePolicy = (r: ResourceRow) => ({ maxFailures: r.throttleMaxFailures, windowSeconds: r.throttleWindowSeconds });

export const isOutcome = (x: Identified | AuthOutcome): x is AuthOutcome => 'result' in x;

const refused = (reason: AuthOutcome['reason'], extra: Partial<AuthOutcome> = {}): AuthOutcome => ({ result: false, reason, ...extra });

/**
 * Resource active → throttle → filters. `reserve`: the attempt may be a guess, so a throttle slot
 * is taken now (settle gives it back); steps that check no credential only look at the window.
 * `login` (or `chosen`, with `reserve`): the user and token are read in the throttle's statement
 * (one round trip fewer on the hot path), or come with the window from `looked`; identify (or
 * the widget's code step) then uses them.
 * The reads change nothing, so reading before the filters are evaluated is safe.
 */
export async function begin(deps: AuthDeps, ctx: AuthContext, now: Date, opts: BeginOptions): Promise<{ attempt: Attempt } | { outcome: AuthOutcome }> {
  const loaded = ctx.loaded?.resource.id === ctx.resourceId ? ctx.loaded : await loadResource(deps.db, ctx.resourceId);
  if (!loaded || !loaded.resource.active) return { outcome: refused('inactive_resource') };
  const { resource, filters } = loaded;
  const throttled = await throttle(deps, resource, ctx.ip, now, opts);
  if ('retryAfter' in throttled) return { outcome: refused('throttled', { retryAfter: throttled.retryAfter }) };
  const { slot, read, chosen } = throttled;
  const verdict = evaluateFilters(filters, { ip: ctx.ip, userAgent: ctx.userAgent, now });
  if (!verdict.ok) {
    if (slot) await releaseSlot(deps.db, slot);
    return { outcome: refused('filtered', { filter: { id: verdict.filterId, type: verdict.type } }) };
  }
  return { attempt: { deps, ctx, resource, now, ...(slot ? { slot } : {}), ...(read ? { read } : {}), ...(chosen ? { chosen } : {}) } };
}

/** begin's throttle step: a reserved slot or a look at the window, with the read asked for. */
async function throttle(
  deps: AuthDeps,
  resource: ResourceRow,
  ip: string | null,
  now: Date,
  opts: BeginOptions,
): Promise<{ slot?: ThrottleSlot; read?: AttemptRead; chosen?: ChosenRead } | { retryAfter: number }> {
  const policy = throttlePolicy(resource);
  const look = { resourceId: resource.id, bucket: ipBucket(ip) };
  const looked = opts.looked?.look.resourceId === look.resourceId && opts.looked.look.bucket === look.bucket ? opts.looked : undefined;
  if (!opts.reserve) {
    if (opts.login === undefined) {
      const wait = await throttleWait(deps.db, look.resourceId, look.bucket, policy, now);
      return wait > 0 ? { retryAfter: wait } : {};
    }
    const both = looked ?? (await lookAndReadAttempt(deps.db, look, opts.login));
    const wait = waitOf(both.window, policy, now);
    return wait > 0 ? { retryAfter: wait } : { read: both.read };
  }
  if (looked && opts.login !== undefined && !opts.chosen) {
    const taken = await reserveSlot(deps.db, resource.id, ip, policy, now);
    return 'retryAfter' in taken ? taken : { ...taken, read: looked.read };
  }
  const p = reserveParams(resource.id, ip, policy, now);
  if (opts.chosen) {
    const both = await reserveAndReadChosen(deps.db, p, opts.chosen);
    const taken = await reserved(deps.db, p, both.slotStart, policy);
    return 'retryAfter' in taken ? taken : { ...taken, chosen: both.chosen };
  }
  if (opts.login === undefined) return reserveSlot(deps.db, resource.id, ip, policy, now);
  const both = await reserveAndReadAttempt(deps.db, p, opts.login);
  const taken = await reserved(deps.db, p, both.slotStart, policy);
  return 'retryAfter' in taken ? taken : { ...taken, read: both.read };
}

/** One argon2id verification whether or not the user or a hash exists. */
async function checkPassword(user: UserRow | undefined, password: string): Promise<boolean> {
  if (!user?.passwordHash) return verifyAgainstDummy(password);
  return verifyPassword(user.passwordHash, password);
}

/** The refusal for the user's state and assignment, if any (DESIGN §5 order: state before credentials). */
function stateRefusal(req: AuthRequest, r: AttemptRead): AuthOutcome | undefined {
  if (!r.user) return refused('invalid_credentials');
  if (!r.user.active) return refused('inactive_user');
  const assigned = req.method === 'password' ? r.assignedDirectly || r.token !== undefined : r.token !== undefined;
  return assigned ? undefined : refused('not_assigned');
}

/**
 * Who is authenticating, their state and assignment, and the password when the request has
 * one. A password request counts against the login (login-guard.ts) before argon2id runs, and
 * pays exactly one verification for every outcome, so neither timing nor counting tells an
 * unknown login from a known one.
 */
export async function identify(a: Attempt, req: AuthRequest, read?: AttemptRead): Promise<Identified | AuthOutcome> {
  const { db } = a.deps;
  if (req.method === 'token') {
    const token = req.tokenId ? await findToken(db, req.tokenId) : undefined;
    if (!token || !(await isTokenAssigned(db, a.resource.id, token.id))) return refused('not_assigned');
    return { token };
  }
  const r = read ?? a.read ?? (await readAttempt(db, a.resource.id, req.login ?? ''));
  const state = stateRefusal(req, r);
  if (req.password !== undefined) {
    const limit = a.resource.failedAttemptsLimit;
    const guard = await reserveLogin(db, a.resource.id, req.login ?? '', limit, a.now);
    if ('retryAfter' in guard) return refused('locked', { retryAfter: guard.retryAfter });
    const right = await checkPassword(r.user, req.password);
    // A right password that ends the attempt (the password method, the user in order) is a
    // success: settle would give the throttle slot back next, so the login's reset does it.
    const release = right && !state && req.method === 'password' ? a.slot : undefined;
    await settleLogin(db, guard.slot, right ? 'right' : 'wrong', limit, a.now, release);
    if (release) delete a.slot;
    if (state) return state;
    if (!right) return refused('invalid_credentials');
  } else if (state) {
    return state;
  }
  return { user: r.user!, ...(r.token ? { token: r.token } : {}) };
}

export interface SecondFactorOptions {
  /** What was proven already ('pwd'). */
  amr: Amr[];
  /** The attempt's own events, written with the token's update (one commit for a success). */
  events?: AttemptEvents;
  purpose?: 'login' | 'transaction';
  dataHash?: Buffer;
  /** Push tokens: the challenge whose decision completes this attempt. */
  challengeId?: string;
}

/** The code (and PIN) for the token identify chose, verified and consumed through tokens/. */
export async function secondFactor(a: Attempt, req: AuthRequest, who: Identified & { token: TokenRow }, opts: SecondFactorOptions): Promise<AuthOutcome> {
  const { token } = who;
  // An inactive token takes no part: password+OTP then rests on the password alone (seeds).
  if (!token.active) return req.method === 'user-password-token' && opts.amr.includes('pwd') ? { result: true, amr: opts.amr } : refused('inactive_token');
  const input = {
    otp: req.otp ?? '',
    ip: a.ctx.ip,
    ...(a.slot ? { slot: a.slot } : {}),
    actor: a.ctx.channel,
    ...(opts.purpose ? { purpose: opts.purpose } : {}),
    ...(opts.dataHash ? { dataHash: opts.dataHash } : {}),
    ...(opts.challengeId ? { challengeId: opts.challengeId } : {}),
  };
  const verified = await verifyTokenOtp(a.deps.db, a.deps.keyRing, token, input, policyOf(a.resource), a.now, opts.events);
  // Given back with the code's consumption: settle has nothing left to release.
  if (verified.released) delete a.slot;
  if (verified.ok) return { result: true, amr: [...opts.amr, verified.amr], ...(verified.recorded ? { recorded: true } : {}) };
  // Only a replay has its event written already (with the statement that found it replayed).
  if (verified.reason === 'replayed') return refused('invalid_credentials', { replayed: true, ...(verified.recorded ? { recorded: true } : {}) });
  if (verified.justLocked) await notifyLock(a.deps, who.user, token);
  // The attempt that locks the token says so too: the next one would anyway.
  if (verified.reason === 'locked' || verified.locked) {
    const retryAfter = lockRetryAfter(verified.justLocked || !token.unlockAt ? await findToken(a.deps.db, token.id) : token, a.now);
    return refused('locked', retryAfter !== undefined ? { retryAfter } : {});
  }
  return refused(reasonOfVerify(verified.reason));
}

/** Ends an attempt: a throttle slot is kept only by a failed guess. */
export async function settle(a: Attempt, outcome: AuthOutcome): Promise<void> {
  if (a.slot && !countsAsGuess(outcome)) await releaseSlot(a.deps.db, a.slot);
}

/** The attempt's events for verifyTokenOtp, so a success is one statement and one commit. */
export const attemptEvents = (a: Attempt, req: AuthRequest, who: Identified, amr: Amr[]): AttemptEvents => ({
  success: attemptEvent(a.ctx, req, { result: true, amr: [...amr, 'otp'] }, who),
  failure: attemptEvent(a.ctx, req, refused('invalid_credentials'), who),
});

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
