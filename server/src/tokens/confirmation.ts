import { timingSafeEqual } from 'node:crypto';
import { LIMITS, hitRateLimit } from '../auth/rate-windows.js';
import { maskAddress } from '../delivery/mask.js';
import type { Delivery } from '../delivery/types.js';
import { appError } from '../errors.js';
import { appendEvent } from '../events/repository.js';
import { findUser } from '../users/repository.js';
import { RESEND_AFTER_MS, randomDigits } from './challenges.js';
import * as repo from './repository.js';
import { keyedCodeHash } from './secrets.js';
import { writableToken, type TokenContext } from './service.js';
import { defaultPolicy, matchStep } from './verify.js';

// Confirming a new token (DESIGN §11, seed 003: "enter a valid OTP and Complete — a token is not
// usable until confirmed"). An authenticator (TOTP/HOTP) is confirmed by a code from the app; an
// e-mail, SMS or bot token by a code sent to its user's address, which proves the address
// reaches the person. Confirming activates the token. The code is matched without the PIN: it
// confirms the secret or the address, the PIN was chosen by the administrator.

const CONFIRM_TTL_MS = 10 * 60_000;
const MAX_ATTEMPTS = 5;
const DELIVERED = new Set(['email', 'sms', 'bot']);
const CHANNEL = { email: 'email', sms: 'sms', bot: 'bot' } as const;

export type ConfirmContext = TokenContext & { delivery?: Delivery };

const hashOf = (ctx: TokenContext, tokenId: string, code: string) => keyedCodeHash(ctx.keyRing, 'token-confirmation', tokenId, code);
const unsupported = (message: string) => appError('not_supported_for_token', { message });

/** Sends the confirming code of an e-mail, SMS or bot token to its user; where it went, masked. */
export async function sendConfirmation(ctx: ConfirmContext, id: string): Promise<{ sentTo: string; expiresAt: string }> {
  const token = await writableToken(ctx, id);
  if (!DELIVERED.has(token.type)) throw unsupported('Authenticator and hardware tokens are confirmed with a code from the token itself; nothing is sent.');
  const user = token.userId ? await findUser(ctx.db, token.userId) : undefined;
  const what = token.type === 'email' ? 'e-mail address' : 'phone number';
  if (!user) throw unsupported(`Give the token to a user first: the code goes to the user's ${what}.`);
  const to = token.type === 'email' ? user.email : user.phone;
  if (!to) throw unsupported(`The user ${user.login} has no ${what}; add one first.`);
  const last = await ctx.db.selectFrom('token_confirmations').select('sentAt').where('tokenId', '=', id).executeTakeFirst();
  const wait = last ? last.sentAt.getTime() + RESEND_AFTER_MS - ctx.now.getTime() : 0;
  if (wait > 0)
    throw appError('throttled', {
      message: `A code was just sent; ask again in ${Math.ceil(wait / 1000)} s.`,
      details: { retryAfter: Math.ceil(wait / 1000) },
    });
  // Per token, as sign-in codes are per user: sending is spam when unlimited.
  const hit = await hitRateLimit(ctx.db, LIMITS.sendPerLogin, `confirm:${id}`, ctx.now);
  if (!hit.ok) throw appError('throttled', { details: { retryAfter: hit.retryAfter } });
  if (!ctx.delivery) throw appError('delivery_failed');
  const code = randomDigits(token.digits);
  const expiresAt = new Date(ctx.now.getTime() + CONFIRM_TTL_MS);
  const row = { codeHash: hashOf(ctx, id, code), attempts: 0, sentAt: ctx.now, expiresAt };
  await ctx.db
    .insertInto('token_confirmations')
    .values({ tokenId: id, ...row })
    .onConflict((oc) => oc.column('tokenId').doUpdateSet(row))
    .execute();
  try {
    await ctx.delivery.send({
      channel: CHANNEL[token.type as keyof typeof CHANNEL],
      to,
      subject: `Your confirmation code: ${code}`,
      text: `Your confirmation code is ${code}. An administrator is setting up this ${what} as your sign-in token; it is valid for 10 minutes.\nIf you did not expect this, ignore this message.`,
      kind: 'otp',
    });
  } catch {
    throw appError('delivery_failed');
  }
  await appendEvent(ctx.db, {
    actor: `admin:${ctx.principal.adminId}`,
    actorAdminId: ctx.principal.adminId,
    ip: ctx.ip ?? null,
    type: 'token.confirmation_sent',
    tokenId: id,
    userId: user.id,
    details: { channel: token.type },
  });
  return { sentTo: maskAddress(to), expiresAt: expiresAt.toISOString() };
}

/** Whether the sent code is right; counts a wrong one, and a used-up or expired code says so. */
async function sentCodeMatches(ctx: TokenContext, tokenId: string, otp: string): Promise<boolean> {
  const row = await ctx.db.selectFrom('token_confirmations').selectAll().where('tokenId', '=', tokenId).executeTakeFirst();
  if (!row || row.expiresAt.getTime() <= ctx.now.getTime() || row.attempts >= MAX_ATTEMPTS) throw appError('code_expired');
  if (timingSafeEqual(hashOf(ctx, tokenId, otp), row.codeHash)) {
    // Single use: only the caller that deletes the row confirms.
    const used = await ctx.db
      .deleteFrom('token_confirmations')
      .where('tokenId', '=', tokenId)
      .where('codeHash', '=', row.codeHash)
      .returning('tokenId')
      .execute();
    return used.length === 1;
  }
  await ctx.db
    .updateTable('token_confirmations')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('tokenId', '=', tokenId)
    .execute();
  return false;
}

/** Checks the confirming code and activates the token; a TOTP/HOTP code is consumed (no replay). */
export async function confirmToken(ctx: TokenContext, id: string, otp: string): Promise<repo.TokenRow> {
  const token = await writableToken(ctx, id);
  let lastStep: string | undefined;
  if (token.type === 'totp' || token.type === 'hotp') {
    const step = matchStep(ctx.keyRing, token, otp, defaultPolicy, ctx.now);
    if (step === undefined || step <= BigInt(token.lastStep)) throw appError('wrong_code', { field: 'body.otp' });
    lastStep = String(step);
  } else if (DELIVERED.has(token.type)) {
    if (!(await sentCodeMatches(ctx, id, otp))) {
      throw appError('wrong_code', { field: 'body.otp', message: 'The code is not the one sent; check the latest message or send a new code.' });
    }
  } else {
    throw unsupported('OCRA tokens answer a challenge: check one with POST /tokens/{id}/check and activate the token.');
  }
  const updated = await repo.updateToken(ctx.db, id, { active: true, ...(lastStep !== undefined ? { lastStep } : {}) }, ctx.now);
  if (!updated) throw appError('token_not_found');
  const actor = { actor: `admin:${ctx.principal.adminId}`, actorAdminId: ctx.principal.adminId, ip: ctx.ip ?? null, tokenId: id, userId: token.userId };
  await appendEvent(ctx.db, { ...actor, type: 'token.confirmed', details: { type: token.type } });
  if (!token.active) await appendEvent(ctx.db, { ...actor, type: 'token.activated' });
  return updated;
}
