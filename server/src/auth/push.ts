import type { Db } from '../db/index.js';
import type { PushChallengeRow, ResourceRow, TokenRow, UserRow } from '../db/types.js';
import { countryOf } from '../filters/geoip.js';
import { webPushFor } from '../push/web-push.js';
import { transactionDataHash } from '../tokens/challenges.js';
import { findPushChallenge, openPushChallenge } from '../tokens/push-challenges.js';
import { secondFactor, type Attempt } from './pipeline.js';
import { findPushDevice } from '../tokens/push.js';
import { LIMITS, hitRateLimit } from './rate-windows.js';
import { record } from './record.js';
import { authenticate } from './service.js';
import { ipBucket } from './throttle.js';
import type { Amr, AuthContext, AuthDeps, AuthOutcome, AuthRequest } from './types.js';

// Push tokens on the pipeline (DESIGN §13). Opening a challenge is prepare's work for a push
// token: the app is asked, with who/what/where/when, instead of a code being sent. It obeys the
// sending limits of codes: a flood of requests is how people are tired into approving one.
// Completing is an authentication like any other (push-status in the API, the widget's wait):
// begin → identify → second factor (the decision, through tokens/) → settle → record.

/** Opens a push challenge for a login or a transaction, and records the prepare event. */
export async function openPush(
  deps: AuthDeps,
  ctx: AuthContext,
  req: AuthRequest,
  resource: ResourceRow,
  who: { user: UserRow; token: TokenRow },
  now: Date,
  opts: { type: string; data?: string },
): Promise<AuthOutcome> {
  const { user, token } = who;
  const fail = (reason: AuthOutcome['reason'], extra: Partial<AuthOutcome> = {}) => record(deps, ctx, req, { result: false, reason, ...extra }, who, opts.type);
  const device = await findPushDevice(deps.db, token.serialNumber ?? '');
  if (!device?.device.publicKey) return fail('no_destination');
  for (const [limit, key] of [
    [LIMITS.sendPerLogin, `${resource.id}:${user.id}`],
    [LIMITS.sendPerIp, `${resource.id}:${ipBucket(ctx.ip)}`],
  ] as const) {
    const hit = await hitRateLimit(deps.db, limit, key, now);
    if (!hit.ok) return fail('throttled', { retryAfter: hit.retryAfter });
  }
  const data = opts.data?.normalize('NFC');
  const purpose = data !== undefined ? 'transaction' : 'login';
  const opened = await openPushChallenge(deps.db, {
    tokenId: token.id,
    resourceId: resource.id,
    purpose,
    details: {
      resource: resource.name,
      login: user.login,
      ip: ctx.ip,
      country: ctx.ip ? countryOf(ctx.ip) : null,
      userAgent: ctx.userAgent?.slice(0, 300) ?? null,
      data: data ?? null,
    },
    ...(data !== undefined ? { dataHash: transactionDataHash(deps.keyRing, token.id, data) } : {}),
    now,
  });
  // Web Push when configured: started, not awaited (the app also hears of it by server-sent events).
  webPushFor(deps.db)?.notify({ id: opened.id, tokenId: token.id, resource: resource.name, purpose, expiresAt: opened.expiresAt, now });
  return record(deps, ctx, req, { result: true, push: { challenge: opened.id, expiresAt: opened.expiresAt.toISOString() } }, who, opts.type);
}

/**
 * POST /auth/{r}/push-status: the app's decision on a challenge prepare (or sign-transaction)
 * opened. Approved → result true, once; waiting → `push_pending` (no guess, no event); denied →
 * `push_denied`, a failure that counts like a wrong code; expired → `expired_challenge`.
 */
export async function pushStatus(deps: AuthDeps, ctx: AuthContext, login: string, challenge: string, data?: string): Promise<AuthOutcome> {
  const req: AuthRequest = { method: 'user-token', login };
  return authenticate(deps, ctx, req, {
    tokenType: 'push',
    challengeId: challenge,
    ...(data !== undefined ? { purpose: 'transaction' as const, dataFor: (tokenId: string) => transactionDataHash(deps.keyRing, tokenId, data) } : {}),
  });
}

/** Where a front-end's wait for the app stands (see awaitPush). */
export type PushWait = { state: 'waiting'; expiresAt: string } | { state: 'ended'; row: PushChallengeRow } | { state: 'unknown' };

/**
 * A front-end waiting for the app (the widget's push step, the portal's): while the challenge
 * is pending and live the answer is "still waiting", which costs nothing — no attempt, no
 * throttle slot, no event — so the page may ask as often as it likes. Once the app answered, or
 * nobody did in time, the challenge has `ended` and one attempt must go through the pipeline
 * (decidePush). A challenge that is not this token's or this resource's is `unknown`.
 */
export async function awaitPush(db: Db, challengeId: string | null, owner: { tokenId?: string | null; resourceId?: string }, now: Date): Promise<PushWait> {
  const row = challengeId ? await findPushChallenge(db, challengeId) : undefined;
  if (!row || (owner.tokenId !== undefined && row.tokenId !== owner.tokenId) || (owner.resourceId !== undefined && row.resourceId !== owner.resourceId))
    return { state: 'unknown' };
  if (row.status === 'pending' && row.expiresAt.getTime() > now.getTime()) return { state: 'waiting', expiresAt: row.expiresAt.toISOString() };
  return { state: 'ended', row };
}

/**
 * The attempt on an ended challenge (after begin and identify): the decision through the second
 * factor (tokens/push-verify.ts) — an approval is used once, a denial counts like a wrong code
 * (lockout, throttle). `unanswered`: nobody answered in time, also a failure, which front-ends
 * tell the user in other words than a denial.
 */
export async function decidePush(
  a: Attempt,
  req: AuthRequest,
  who: { user: UserRow; token: TokenRow },
  amr: Amr[],
  row: PushChallengeRow,
): Promise<{ outcome: AuthOutcome; unanswered: boolean }> {
  const outcome = await secondFactor(a, req, who, { amr, challengeId: row.id });
  return { outcome, unanswered: !outcome.result && outcome.reason === 'expired_challenge' && row.status === 'pending' };
}
