// The widget's result: a short-lived ES256 JWT the site's backend checks offline with the JWKS or
// once through POST /api/v1/verify (DESIGN §7.2). Verification names a precise reason for each
// refusal because only the site's backend, authenticated with its resource secret, sees it.
import { randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { decodeProtectedHeader } from 'jose';
import { sql } from 'kysely';
import { safeEqual } from '../crypto/random.js';
import type { KeyRing } from '../crypto/secretbox.js';
import type { Db } from '../db/index.js';
import { precompiled } from '../db/precompiled.js';
import type { Amr } from '../db/types.js';
import type { NewEvent } from '../events/repository.js';
import { SIGNING_ALG, activeSigningKey, verificationKey } from './keys.js';

/** Long enough for a form post and a backend call; short so a leaked token is soon worthless. */
export const RESULT_TOKEN_TTL_SECONDS = 120;
/** Tolerated clock difference between Veriframe and the verifier (on exp and iat). */
export const CLOCK_LEEWAY_SECONDS = 60;
// A result token is ~600 bytes; anything far larger is not ours and is not worth parsing.
const MAX_TOKEN_LENGTH = 4096;
const PURGE_EVERY_MS = 60_000;
// Rows are kept past the token's own end so instances with skewed clocks still see them.
const PURGE_MARGIN_MS = 60 * 60_000;

export interface ResultTokenInput {
  /** PUBLIC_URL. */
  issuer: string;
  resourceId: string;
  userId: string;
  login: string;
  /** The parent page's origin the widget was embedded in. */
  origin: string;
  /** The nonce the site minted for this login (data-nonce). */
  nonce: string;
  amr: Amr[];
  authTime: Date;
  now: Date;
}

export type VerifyReason =
  | 'malformed'
  | 'unknown_key'
  | 'bad_signature'
  | 'alg_not_allowed'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'expired'
  | 'not_yet_valid'
  | 'nonce_mismatch'
  | 'replayed';

export const verifyReasons = [
  'malformed',
  'unknown_key',
  'bad_signature',
  'alg_not_allowed',
  'wrong_issuer',
  'wrong_audience',
  'expired',
  'not_yet_valid',
  'nonce_mismatch',
  'replayed',
] as const satisfies readonly VerifyReason[];

export type VerifyOutcome = (
  | { valid: true; sub: string; login: string; amr: Amr[]; origin: string; authTime: Date }
  | { valid: false; reason: VerifyReason }
) & {
  /** The verification's event is written already (with the jti's consumption). */
  recorded?: boolean;
};

export interface VerifyInput {
  token: string;
  nonce: string;
  /** The resource asking (from its Basic credentials): the token's `aud` must be this id. */
  resourceId: string;
  issuer: string;
  now: Date;
  /** Write the `result_token.verify` event (verifyEvent) with the jti's consumption. */
  record?: boolean;
}

interface ResultClaims {
  iss: string;
  aud: string;
  sub: string;
  login: string;
  origin: string;
  nonce: string;
  amr: Amr[];
  auth_time: number;
  iat: number;
  exp: number;
  jti: string;
}

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

export async function signResultToken(db: Db, ring: KeyRing, input: ResultTokenInput): Promise<string> {
  const { kid, privateKey } = await activeSigningKey(db, ring, input.now);
  const iat = seconds(input.now);
  const claims: ResultClaims = {
    iss: input.issuer,
    aud: input.resourceId,
    sub: input.userId,
    login: input.login,
    origin: input.origin,
    nonce: input.nonce,
    amr: [...input.amr],
    auth_time: seconds(input.authTime),
    iat,
    exp: iat + RESULT_TOKEN_TTL_SECONDS,
    jti: randomBytes(16).toString('base64url'),
  };
  // JWS compact serialisation (RFC 7515) signed with node:crypto: ES256 is ECDSA P-256 over
  // SHA-256 with the signature as r‖s (IEEE P1363). 28 µs here against 123 µs through jose's
  // WebCrypto path (bench/README.md); jose's verifiers (our SDK's among them) read it alike.
  const signingInput = `${b64json({ alg: SIGNING_ALG, kid, typ: 'JWT' })}.${b64json(claims)}`;
  return `${signingInput}.${sign('sha256', Buffer.from(signingInput), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

const b64json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The ES256 signature of a compact JWS over its first two parts (verified as signResultToken signs). */
function signatureValid(token: string, key: KeyObject): boolean {
  const last = token.lastIndexOf('.');
  const signature = Buffer.from(token.slice(last + 1), 'base64url');
  // r‖s of P-256: anything else (a DER signature, a truncated one) is no ES256 signature.
  if (signature.length !== 64) return false;
  return verify('sha256', Buffer.from(token.slice(0, last)), { key, dsaEncoding: 'ieee-p1363' }, signature);
}

const refuse = (reason: VerifyReason): VerifyOutcome => ({ valid: false, reason });
const compact = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const amrValues = new Set<unknown>(['pwd', 'otp', 'bypass', 'enroll']);

function asClaims(payload: Uint8Array): ResultClaims | undefined {
  let c: unknown;
  try {
    c = JSON.parse(Buffer.from(payload).toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof c !== 'object' || c === null || Array.isArray(c)) return undefined;
  const o = c as Record<string, unknown>;
  const strings = ['iss', 'aud', 'sub', 'login', 'origin', 'nonce', 'jti'].every((k) => typeof o[k] === 'string');
  const numbers = ['iat', 'exp', 'auth_time'].every((k) => Number.isSafeInteger(o[k]));
  const amr = Array.isArray(o.amr) && o.amr.every((a) => amrValues.has(a));
  return strings && numbers && amr ? (o as unknown as ResultClaims) : undefined;
}

/**
 * Checks a result token for the resource `resourceId` and consumes it: of any number of
 * verifications of one token (on any instance) exactly one answers valid. Checks run in an order
 * that never consumes a token the caller had no right to: signature, issuer, audience, time and
 * nonce all pass before the jti is marked used.
 */
export async function verifyResultToken(db: Db, input: VerifyInput): Promise<VerifyOutcome> {
  const { token, now } = input;
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || !compact.test(token)) return refuse('malformed');
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return refuse('malformed');
  }
  // Before any key is looked at: `none`, HS256 keyed with our public key and the like end here.
  if (header.alg !== SIGNING_ALG) return refuse('alg_not_allowed');
  if (typeof header.kid !== 'string' || header.kid.length > 64) return refuse('unknown_key');
  const key = await verificationKey(db, header.kid, now);
  if (!key) return refuse('unknown_key');

  // The header is ours to accept (alg and kid checked above, nothing else is read from it).
  if (!signatureValid(token, key)) return refuse('bad_signature');
  const claims = asClaims(Buffer.from(token.slice(token.indexOf('.') + 1, token.lastIndexOf('.')), 'base64url'));
  if (!claims) return refuse('malformed');
  if (claims.iss !== input.issuer) return refuse('wrong_issuer');
  if (claims.aud !== input.resourceId) return refuse('wrong_audience');
  const t = seconds(now);
  if (claims.exp + CLOCK_LEEWAY_SECONDS <= t) return refuse('expired');
  if (claims.iat > t + CLOCK_LEEWAY_SECONDS) return refuse('not_yet_valid');
  if (typeof input.nonce !== 'string' || !safeEqual(claims.nonce, input.nonce)) return refuse('nonce_mismatch');

  // The insert is the single-use check: on conflict nothing comes back, so of N concurrent
  // verifications exactly one gets its row, on one database or many instances. The
  // verification's event (success, or a replay) is written by the same statement: one commit.
  const jti = { jti: claims.jti, resourceId: input.resourceId, now, expiresAt: new Date((claims.exp + CLOCK_LEEWAY_SECONDS) * 1000) };
  const recorded = input.record === true;
  const { rows } = recorded ? await consumeJtiQuery(db, { ...jti, sub: claims.sub }) : await usedJtiQuery(db, jti);
  if (!rows[0]?.first) return { ...refuse('replayed'), ...(recorded ? { recorded } : {}) };
  await purgeUsedJtis(db, now);
  return {
    valid: true,
    sub: claims.sub,
    login: claims.login,
    amr: claims.amr,
    origin: claims.origin,
    authTime: new Date(claims.auth_time * 1000),
    ...(recorded ? { recorded } : {}),
  };
}

/** The `result_token.verify` event of every verification (written by the caller unless `recorded`). */
export const verifyEvent = (resourceId: string, outcome: VerifyOutcome): NewEvent => ({
  type: 'result_token.verify',
  actor: 'api',
  resourceId,
  userId: outcome.valid ? outcome.sub : null,
  result: outcome.valid ? 'success' : 'failure',
  reason: outcome.valid ? null : outcome.reason,
});

const usedJtiQuery = precompiled((db, p: { jti: string; resourceId: string; now: Date; expiresAt: Date }) =>
  db
    .insertInto('used_jtis')
    .values({ jti: p.jti, resourceId: p.resourceId, usedAt: p.now, expiresAt: p.expiresAt })
    .onConflict((oc) => oc.column('jti').doNothing())
    .returning(sql<boolean>`true`.as('first')),
);

const consumeJtiQuery = precompiled((db, p: { jti: string; resourceId: string; now: Date; expiresAt: Date; sub: string }) => {
  const first = sql<boolean>`exists (select from first)`;
  return (
    db
      .with('first', (qc) =>
        qc
          .insertInto('used_jtis')
          .values({ jti: p.jti, resourceId: p.resourceId, usedAt: p.now, expiresAt: p.expiresAt })
          .onConflict((oc) => oc.column('jti').doNothing())
          .returning('jti'),
      )
      .insertInto('events')
      // As verifyEvent has it for a success or a replay.
      .values({
        type: 'result_token.verify',
        actor: 'api',
        resourceId: p.resourceId,
        userId: sql<string | null>`case when ${first} then ${p.sub}::uuid end`,
        result: sql<'success' | 'failure'>`case when ${first} then 'success' else 'failure' end`,
        reason: sql<string | null>`case when ${first} then null else 'replayed' end`,
        details: '{}',
      })
      .returning(sql<boolean>`result = 'success'`.as('first'))
  );
});

const lastPurge = new WeakMap<Db, number>();

/**
 * Drops jti markers of tokens that can no longer verify anyway, at most once a minute per
 * process. Failure is harmless (rows only accumulate until the next pass), so it never fails a
 * verification that already succeeded.
 */
async function purgeUsedJtis(db: Db, now: Date): Promise<void> {
  const t = now.getTime();
  const last = lastPurge.get(db);
  if (last !== undefined && t >= last && t - last < PURGE_EVERY_MS) return;
  lastPurge.set(db, t);
  await deleteExpiredJtis(db, now).catch(() => undefined);
}

/** Deletes the jti markers of tokens expired over an hour ago; returns how many. */
export async function deleteExpiredJtis(db: Db, now: Date): Promise<number> {
  const rows = await db
    .deleteFrom('used_jtis')
    .where('expiresAt', '<', new Date(now.getTime() - PURGE_MARGIN_MS))
    .execute();
  return Number(rows[0]?.numDeletedRows ?? 0n);
}
