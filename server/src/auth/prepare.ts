import { randomBytes } from 'node:crypto';
import type { ResourceRow, TokenRow, UserRow } from '../db/types.js';
import { generateOcraChallenge } from '../otp/index.js';
import { codeHash, latestChallenge, openChallenge, randomDigits, resendWait, transactionDataHash } from '../tokens/challenges.js';
import { lockInForce } from '../tokens/lockout.js';
import { begin, identify, isOutcome } from './pipeline.js';
import { openPush } from './push.js';
import { LIMITS, hitRateLimit } from './rate-windows.js';
import { record } from './record.js';
import { authenticate } from './service.js';
import { ipBucket } from './throttle.js';
import type { AuthContext, AuthDeps, AuthOutcome, AuthRequest, Identified } from './types.js';

const OCRA_TTL_SECONDS = 300;
const CHANNEL = { email: 'email', sms: 'sms', bot: 'bot' } as const;

/** Who receives a code: e-mail address for e-mail tokens, the phone number for SMS and bots. */
const destination = (user: UserRow, token: TokenRow) => (token.type === 'email' ? user.email : user.phone);

/** begin (no slot: nothing is checked) → identify, for the calls that open a challenge. */
async function identified(
  deps: AuthDeps,
  ctx: AuthContext,
  req: AuthRequest,
  type: string,
): Promise<{ resource: ResourceRow; who: Required<Pick<Identified, 'user' | 'token'>> } | { outcome: AuthOutcome }> {
  const started = await begin(deps, ctx, deps.now(), { reserve: false });
  if ('outcome' in started) return { outcome: await record(deps, ctx, req, started.outcome, {}, type) };
  const found = await identify(started.attempt, req);
  if (isOutcome(found)) return { outcome: await record(deps, ctx, req, found, {}, type) };
  return { resource: started.attempt.resource, who: { user: found.user!, token: found.token! } };
}

/** Sends an e-mail/SMS/bot code or hands out an OCRA challenge (POST /auth/{r}/prepare). */
export async function prepare(deps: AuthDeps, ctx: AuthContext, login: string): Promise<AuthOutcome> {
  const req: AuthRequest = { method: 'user-token', login };
  const found = await identified(deps, ctx, req, 'auth.prepare');
  if ('outcome' in found) return found.outcome;
  return issueChallenge(deps, ctx, req, found.resource, found.who, deps.now());
}

/**
 * The part of prepare after begin and identify, for callers that did those already (the
 * widget): checks the token, then sends a code or opens an OCRA challenge, and records the
 * 'auth.prepare' event. Codes are limited per user and per client (rate-windows.ts): sending is
 * not a guess, but unlimited sending is spam and a way to lock someone out.
 */
export async function issueChallenge(
  deps: AuthDeps,
  ctx: AuthContext,
  req: AuthRequest,
  resource: ResourceRow,
  who: { user: UserRow; token: TokenRow },
  now: Date,
): Promise<AuthOutcome> {
  const { user, token } = who;
  const fail = (reason: AuthOutcome['reason'], extra: Partial<AuthOutcome> = {}) =>
    record(deps, ctx, req, { result: false, reason, ...extra }, who, 'auth.prepare');
  if (!token.active) return fail('inactive_token');
  if (lockInForce(token, now)) return fail('locked');
  if (token.type === 'push') return openPush(deps, ctx, req, resource, who, now, { type: 'auth.prepare' });

  if (token.type === 'ocra') {
    const challenge = generateOcraChallenge(token.ocraSuite!, (n) => randomBytes(n));
    await openChallenge(deps.db, { token, resourceId: resource.id, kind: 'ocra', challenge, ttlSeconds: OCRA_TTL_SECONDS, now });
    return record(deps, ctx, req, { result: true, challenge }, who, 'auth.prepare');
  }
  if (token.type !== 'email' && token.type !== 'sms' && token.type !== 'bot') return fail('not_supported');
  const to = destination(user, token);
  if (!to) return fail('no_destination');
  const wait = resendWait(await latestChallenge(deps.db, token.id, resource.id, 'code'), now);
  if (wait > 0) return fail('throttled', { retryAfter: wait });
  for (const [limit, key] of [
    [LIMITS.sendPerLogin, `${resource.id}:${user.id}`],
    [LIMITS.sendPerIp, `${resource.id}:${ipBucket(ctx.ip)}`],
  ] as const) {
    const hit = await hitRateLimit(deps.db, limit, key, now);
    if (!hit.ok) return fail('throttled', { retryAfter: hit.retryAfter });
  }
  if (!deps.delivery) return fail('delivery_failed');
  const code = randomDigits(token.digits);
  const ttl = resource.codeTtlSeconds;
  await openChallenge(deps.db, { token, resourceId: resource.id, kind: 'code', codeHash: codeHash(deps.keyRing, token.id, code), ttlSeconds: ttl, now });
  try {
    await deps.delivery.send({
      channel: CHANNEL[token.type],
      to,
      subject: `Your sign-in code: ${code}`,
      text: `Your sign-in code is ${code}. It is valid for ${Math.round(ttl / 60)} minutes and can be used once.\nIf you did not try to sign in, ignore this message.`,
      kind: 'otp',
    });
  } catch {
    return fail('delivery_failed');
  }
  return record(deps, ctx, req, { result: true }, who, 'auth.prepare');
}

/**
 * Opens a transaction-signing challenge ("Confirm What You See"): a random OCRA question, single
 * use, bound to a keyed hash of the data, and kept apart from login challenges. A question
 * derived from the data alone would repeat for the same data, and with a counter-less suite its
 * answer would then be valid forever.
 */
export async function signTransaction(deps: AuthDeps, ctx: AuthContext, login: string, data: string): Promise<AuthOutcome> {
  const req: AuthRequest = { method: 'user-token', login };
  const type = 'auth.sign_transaction';
  const found = await identified(deps, ctx, req, type);
  if ('outcome' in found) return found.outcome;
  const { token } = found.who;
  const now = deps.now();
  if (token.type !== 'ocra' && token.type !== 'push') return record(deps, ctx, req, { result: false, reason: 'not_supported' }, found.who, type);
  if (!token.active || lockInForce(token, now))
    return record(deps, ctx, req, { result: false, reason: token.active ? 'locked' : 'inactive_token' }, found.who, type);
  if (token.type === 'push') return openPush(deps, ctx, req, found.resource, found.who, now, { type, data });
  const challenge = generateOcraChallenge(token.ocraSuite!, (n) => randomBytes(n));
  const dataHash = transactionDataHash(deps.keyRing, token.id, data);
  await openChallenge(deps.db, { token, resourceId: found.resource.id, kind: 'transaction', challenge, dataHash, ttlSeconds: OCRA_TTL_SECONDS, now });
  return record(deps, ctx, req, { result: true, challenge }, found.who, type);
}

/**
 * Verifies the device's answer for exactly this transaction data, through the same pipeline as
 * a login (same login lookup, throttle, filters, lockout), against the transaction challenge
 * only. Anything missing — no OCRA token, no open challenge, other data — is a refusal.
 */
export async function verifySignedTransaction(deps: AuthDeps, ctx: AuthContext, login: string, data: string, otp: string): Promise<AuthOutcome> {
  const req: AuthRequest = { method: 'user-token', login, otp };
  // The data hash is keyed per token, which identify (inside authenticate) finds.
  return authenticate(deps, ctx, req, {
    purpose: 'transaction',
    tokenType: 'ocra',
    dataFor: (tokenId: string) => transactionDataHash(deps.keyRing, tokenId, data),
  });
}
