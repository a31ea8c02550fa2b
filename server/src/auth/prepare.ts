import { createHash, randomBytes } from 'node:crypto';
import { safeEqualCode, generateOcraChallenge, parseOcraSuite } from '../otp/index.js';
import { codeHash, latestChallenge, openChallenge, randomDigits, resendWait } from '../tokens/challenges.js';
import type { ResourceRow, TokenRow, UserRow } from '../db/types.js';
import { authenticate, identify, prelude, record, type AuthContext, type AuthDeps, type AuthOutcome, type AuthRequest } from './service.js';

const OCRA_TTL_SECONDS = 300;
const CHANNEL = { email: 'email', sms: 'sms', bot: 'bot' } as const;

/** Who receives a code: e-mail address for e-mail tokens, the phone number for SMS and bots. */
const destination = (user: UserRow, token: TokenRow) => (token.type === 'email' ? user.email : user.phone);

/** Sends an e-mail/SMS/bot code or hands out an OCRA challenge (POST /auth/{r}/prepare). */
export async function prepare(deps: AuthDeps, ctx: AuthContext, login: string): Promise<AuthOutcome> {
  const req: AuthRequest = { method: 'user-token', login };
  const now = deps.now();
  const pre = await prelude(deps, ctx, now);
  if ('outcome' in pre) return record(deps, ctx, req, pre.outcome, {}, 'auth.prepare');
  const who = await identify(deps, pre.resource, req);
  if ('result' in who) return record(deps, ctx, req, who, {}, 'auth.prepare');
  return issueChallenge(deps, ctx, req, pre.resource, who as { user: UserRow; token: TokenRow }, now);
}

/**
 * The part of prepare after prelude and identify, for callers that did those already (the
 * widget): checks the token, then sends a code or opens an OCRA challenge, and records the
 * 'auth.prepare' event.
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
  const fail = (reason: AuthOutcome['reason'], extra: Partial<AuthOutcome> = {}) => record(deps, ctx, req, { result: false, reason, ...extra }, who, 'auth.prepare');
  if (!token.active) return fail('inactive_token');
  // A progressive lock whose time has come lifts at the next verification; it blocks nothing.
  if (token.locked && !(token.unlockAt && token.unlockAt.getTime() <= now.getTime())) return fail('locked');

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
 * The OCRA question for a transaction: derived from the transaction data, so the user's device
 * signs what the user sees ("Confirm What You See"); a changed amount gives another question.
 */
export function transactionChallenge(suite: string, data: string): string {
  const { question } = parseOcraSuite(suite);
  const digest = createHash('sha256').update(`veriframe/transaction\0${data}`).digest();
  const stream = Buffer.concat([digest, createHash('sha256').update(digest).digest()]);
  const alphabet = question.format === 'N' ? '0123456789' : question.format === 'H' ? '0123456789ABCDEF' : '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  return Array.from({ length: question.length }, (_, i) => alphabet[stream[i % stream.length]! % alphabet.length]).join('');
}

export async function signTransaction(deps: AuthDeps, ctx: AuthContext, login: string, data: string): Promise<AuthOutcome> {
  const req: AuthRequest = { method: 'user-token', login };
  const now = deps.now();
  const pre = await prelude(deps, ctx, now);
  if ('outcome' in pre) return record(deps, ctx, req, pre.outcome, {}, 'auth.sign_transaction');
  const who = await identify(deps, pre.resource, req);
  if ('result' in who) return record(deps, ctx, req, who, {}, 'auth.sign_transaction');
  const token = who.token!;
  if (token.type !== 'ocra') return record(deps, ctx, req, { result: false, reason: 'not_supported' }, who, 'auth.sign_transaction');
  if (!token.active || token.locked) return record(deps, ctx, req, { result: false, reason: token.locked ? 'locked' : 'inactive_token' }, who, 'auth.sign_transaction');
  const challenge = transactionChallenge(token.ocraSuite!, data);
  await openChallenge(deps.db, { token, resourceId: pre.resource.id, kind: 'ocra', challenge, ttlSeconds: OCRA_TTL_SECONDS, now });
  return record(deps, ctx, req, { result: true, challenge }, who, 'auth.sign_transaction');
}

/** Verifies the device's answer for exactly this transaction data; other data is refused. */
export async function verifySignedTransaction(deps: AuthDeps, ctx: AuthContext, login: string, data: string, otp: string): Promise<AuthOutcome> {
  const user = await deps.db.selectFrom('users').select('id').where((eb) => eb(eb.fn('lower', ['login']), '=', login.toLowerCase())).executeTakeFirst();
  const pairing = user
    ? await deps.db.selectFrom('resource_user_tokens as rut').innerJoin('tokens as t', 't.id', 'rut.tokenId').select(['t.id', 't.ocraSuite']).where('rut.resourceId', '=', ctx.resourceId).where('rut.userId', '=', user.id).executeTakeFirst()
    : undefined;
  if (pairing && !pairing.ocraSuite) {
    return record(deps, ctx, { method: 'user-token', login }, { result: false, reason: 'not_supported' }, {}, 'auth.verify_transaction');
  }
  if (pairing?.ocraSuite) {
    const open = await latestChallenge(deps.db, pairing.id, ctx.resourceId, 'ocra');
    if (!open?.challenge || !safeEqualCode(open.challenge, transactionChallenge(pairing.ocraSuite, data))) {
      return record(deps, ctx, { method: 'user-token', login }, { result: false, reason: 'expired_challenge' }, {}, 'auth.verify_transaction');
    }
  }
  return authenticate(deps, ctx, { method: 'user-token', login, otp });
}
