import type { ResourceRow, TokenRow, UserRow } from '../db/types.js';
import { countryOf } from '../filters/geoip.js';
import { transactionDataHash } from '../tokens/challenges.js';
import { openPushChallenge } from '../tokens/push-challenges.js';
import { findPushDevice } from '../tokens/push.js';
import { LIMITS, hitRateLimit } from './rate-windows.js';
import { record } from './record.js';
import { authenticate } from './service.js';
import { ipBucket } from './throttle.js';
import type { AuthContext, AuthDeps, AuthOutcome, AuthRequest } from './types.js';

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
  const opened = await openPushChallenge(deps.db, {
    tokenId: token.id,
    resourceId: resource.id,
    purpose: data !== undefined ? 'transaction' : 'login',
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
