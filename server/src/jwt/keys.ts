// ES256 signing keys of the widget's result JWT (DESIGN §7.2). Private keys live only encrypted
// in `signing_keys` (context "signing-key:<kid>", so a blob copied to another row won't decrypt);
// the public halves are published in /.well-known/jwks.json for offline verification.
//
// Several server instances share the table: creation runs under an advisory lock so they agree
// on one key, and rotation keeps the previous key published until all its tokens have expired.
import { createPrivateKey, createPublicKey, randomBytes, type JsonWebKey, type KeyObject } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import { sql } from 'kysely';
import { decryptSecret, encryptSecret, type KeyRing } from '../crypto/secretbox.js';
import type { Db } from '../db/index.js';
import type { PublicJwk, SigningKeyRow } from '../db/types.js';

export const SIGNING_ALG = 'ES256';
/**
 * How long a retired key stays published. Its last tokens live 120 s, verifiers allow 60 s of
 * clock leeway and other instances may keep signing with it for ACTIVE_CACHE_MS after the
 * rotation; ten minutes covers all of that with room to spare.
 */
export const RETIRED_KEY_PUBLISHED_MS = 10 * 60_000;
/** Signing must not cost a query and a decryption per login; a rotation elsewhere shows within this. */
const ACTIVE_CACHE_MS = 5_000;

export interface SigningKey {
  kid: string;
  /** A node:crypto key: signing with it costs a quarter of WebCrypto's (jwt/result.ts). */
  privateKey: KeyObject;
}

export type PublishedJwk = { kty: 'EC'; crv: 'P-256'; x: string; y: string; kid: string; alg: 'ES256'; use: 'sig' };

export const contextOf = (kid: string) => `signing-key:${kid}`;
const lock = (db: Db) => sql`select pg_advisory_xact_lock(hashtext('veriframe:signing-keys'))`.execute(db);

// Per database handle (tests open several in one process), reset by rotations in this process.
const activeCache = new WeakMap<Db, { kid: string; fetchedAt: number; retiresAt: number | null }>();
// Decrypted keys by kid: a kid is 128 random bits, so it names one key whatever the database.
const privateKeys = new Map<string, KeyObject>();
const publicKeys = new WeakMap<Db, Map<string, { key: KeyObject; expiresAt: number | null; fetchedAt: number }>>();

/** The key that signs at `now`: the newest one active and not retired. */
async function findSigningRow(db: Db, now: Date): Promise<SigningKeyRow | undefined> {
  return db
    .selectFrom('signing_keys')
    .selectAll()
    .where('alg', '=', SIGNING_ALG)
    .where('activatesAt', '<=', now)
    .where((eb) => eb.or([eb('retiresAt', 'is', null), eb('retiresAt', '>', now)]))
    .orderBy('activatesAt', 'desc')
    .orderBy('createdAt', 'desc')
    .limit(1)
    .executeTakeFirst();
}

async function insertKey(db: Db, ring: KeyRing, now: Date): Promise<SigningKeyRow> {
  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const kid = randomBytes(16).toString('base64url');
  const pub = await exportJWK(publicKey);
  const priv = await exportJWK(privateKey);
  // Only the public members are stored in clear, picked by name so `d` can never slip in.
  const publicJwk: PublicJwk = { kty: 'EC', crv: pub.crv!, x: pub.x!, y: pub.y! };
  const privateEnc = encryptSecret(ring, Buffer.from(JSON.stringify(priv), 'utf8'), contextOf(kid));
  return db
    .insertInto('signing_keys')
    .values({ kid, alg: SIGNING_ALG, publicJwk: JSON.stringify(publicJwk), privateEnc, activatesAt: now })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Returns the signing key row, creating the first one if there is none. Concurrent callers (on
 * any instance) serialise on an advisory lock and re-check, so exactly one key is created.
 */
export async function ensureSigningKey(db: Db, ring: KeyRing, now: Date): Promise<SigningKeyRow> {
  const existing = await findSigningRow(db, now);
  if (existing) return existing;
  return db.transaction().execute(async (trx) => {
    await lock(trx);
    const again = await findSigningRow(trx, now);
    if (again) return again;
    // A key never retired but "activating" after our now was made by an instance whose clock is
    // ahead of ours: use it rather than add a second key for a few seconds of skew.
    const ahead = await trx
      .selectFrom('signing_keys')
      .selectAll()
      .where('alg', '=', SIGNING_ALG)
      .where('retiresAt', 'is', null)
      .orderBy('activatesAt', 'desc')
      .limit(1)
      .executeTakeFirst();
    return ahead ?? (await insertKey(trx, ring, now));
  });
}

function privateKeyOf(ring: KeyRing, row: Pick<SigningKeyRow, 'kid' | 'privateEnc'>): KeyObject {
  const cached = privateKeys.get(row.kid);
  if (cached) return cached;
  const jwk = JSON.parse(decryptSecret(ring, row.privateEnc, contextOf(row.kid)).toString('utf8')) as JsonWebKey;
  const key = createPrivateKey({ key: jwk, format: 'jwk' });
  // Kids only accumulate through rotations; the bound just keeps a long-lived process tidy.
  if (privateKeys.size >= 32) privateKeys.clear();
  privateKeys.set(row.kid, key);
  return key;
}

/** The key to sign with now. Cached for a few seconds, so most logins touch neither DB nor cipher. */
export async function activeSigningKey(db: Db, ring: KeyRing, now: Date): Promise<SigningKey> {
  const t = now.getTime();
  const hit = activeCache.get(db);
  const fresh = hit && t >= hit.fetchedAt && t - hit.fetchedAt < ACTIVE_CACHE_MS && (hit.retiresAt === null || t < hit.retiresAt);
  if (fresh) {
    const key = privateKeys.get(hit.kid);
    if (key) return { kid: hit.kid, privateKey: key };
  }
  const row = await ensureSigningKey(db, ring, now);
  const privateKey = privateKeyOf(ring, row);
  activeCache.set(db, { kid: row.kid, fetchedAt: t, retiresAt: row.retiresAt ? row.retiresAt.getTime() : null });
  return { kid: row.kid, privateKey };
}

/**
 * Makes a new key the signing key from `now`. Keys signing until now retire (sign no more) and
 * stay published for RETIRED_KEY_PUBLISHED_MS, so tokens they signed keep verifying.
 */
export async function rotateSigningKey(db: Db, ring: KeyRing, now: Date): Promise<{ kid: string; retired: string[] }> {
  const result = await db.transaction().execute(async (trx) => {
    await lock(trx);
    // Every key still signing or due to sign retires, also one "activating" after our now (made
    // by an instance whose clock is ahead): left alone, it would take over from the new key.
    const retiresAt = sql<Date>`greatest(activates_at, ${now}::timestamptz)`;
    const retired = await trx
      .updateTable('signing_keys')
      .set({ retiresAt, expiresAt: sql<Date>`${retiresAt} + ${`${RETIRED_KEY_PUBLISHED_MS} milliseconds`}::interval` })
      .where((eb) => eb.or([eb('retiresAt', 'is', null), eb('retiresAt', '>', now)]))
      .returning('kid')
      .execute();
    const row = await insertKey(trx, ring, now);
    return { kid: row.kid, retired: retired.map((r) => r.kid) };
  });
  activeCache.delete(db);
  return result;
}

/** The JWKS: every key not yet expired (the signing one and retired ones still in overlap). */
export async function publishedKeys(db: Db, now: Date): Promise<PublishedJwk[]> {
  const rows = await db
    .selectFrom('signing_keys')
    .select(['kid', 'publicJwk'])
    .where('alg', '=', SIGNING_ALG)
    .where((eb) => eb.or([eb('expiresAt', 'is', null), eb('expiresAt', '>', now)]))
    .orderBy('activatesAt', 'desc')
    .orderBy('createdAt', 'desc')
    .execute();
  return rows.map((r) => publicJwkOf(r.kid, r.publicJwk));
}

function publicJwkOf(kid: string, jwk: PublicJwk): PublishedJwk {
  return { kty: 'EC', crv: 'P-256', x: String(jwk.x), y: String(jwk.y), kid, alg: SIGNING_ALG, use: 'sig' };
}

/**
 * The public key to verify a token of `kid` with, or undefined if the kid is unknown or its key
 * has left the JWKS (a verifier using the JWKS would not find it either).
 */
export async function verificationKey(db: Db, kid: string, now: Date): Promise<KeyObject | undefined> {
  const t = now.getTime();
  let byKid = publicKeys.get(db);
  if (!byKid) publicKeys.set(db, (byKid = new Map()));
  const hit = byKid.get(kid);
  if (hit && t >= hit.fetchedAt && t - hit.fetchedAt < ACTIVE_CACHE_MS) {
    return hit.expiresAt === null || t < hit.expiresAt ? hit.key : undefined;
  }
  const row = await db
    .selectFrom('signing_keys')
    .select(['kid', 'publicJwk', 'expiresAt'])
    .where('kid', '=', kid)
    .where('alg', '=', SIGNING_ALG)
    .executeTakeFirst();
  if (!row) return undefined;
  const key = createPublicKey({ key: { ...publicJwkOf(row.kid, row.publicJwk) }, format: 'jwk' });
  if (byKid.size >= 32) byKid.clear();
  const expiresAt = row.expiresAt ? row.expiresAt.getTime() : null;
  byKid.set(kid, { key, expiresAt, fetchedAt: t });
  return expiresAt === null || t < expiresAt ? key : undefined;
}
