import { createPublicKey, randomBytes, verify as verifySignature, type KeyObject } from 'node:crypto';
import { renderSVG } from 'uqr';
import { enrolmentProof, pushEnrolmentUri } from '../../../shared/push.js';
import { sha256 } from '../crypto/random.js';
import type { Db } from '../db/index.js';
import type { PushDeviceRow, TokenRow } from '../db/types.js';
import { appError } from '../errors.js';

// Push tokens' devices (DESIGN §13). A push token has no OATH secret: its credential is the
// app's ECDSA P-256 key, made non-extractable on the device. The server hands out a one-time
// enrolment secret in a QR code; the app registers its public key by signing that secret, which
// proves it holds the private key and read this very QR code. The secret is stored as a SHA-256
// hash (256 random bits need no slow hash), is single use and expires.

export const ENROLMENT_TTL_MS = 10 * 60_000;

export interface PushEnrollment {
  pushUri: string;
  qrSvg: string;
  /** Push tokens have no OATH secret (so callers may ask any enrollment for one). */
  otpauthUri?: never;
}

/** Where the app finds the server and what it shows: PUBLIC_URL and the issuer's name. */
export interface PushServer {
  origin: string;
  issuer: string;
}

/** A serial for a push token created without one: short enough to read out on the telephone. */
export const newPushSerial = () => `PUSH-${randomBytes(6).toString('hex').toUpperCase()}`;

/**
 * A new one-time enrolment for the token: any earlier secret and any registered key stop
 * working (a reissued push token is enrolled again on the new device).
 */
export async function openEnrolment(
  db: Db,
  token: Pick<TokenRow, 'id' | 'serialNumber' | 'name'>,
  server: PushServer,
  account: string,
  now: Date,
): Promise<PushEnrollment> {
  const secret = randomBytes(32).toString('base64url');
  const values = { enrolHash: sha256(secret), enrolExpiresAt: new Date(now.getTime() + ENROLMENT_TTL_MS), publicKey: null, registeredAt: null };
  await db
    .insertInto('push_devices')
    .values({ tokenId: token.id, ...values, createdAt: now })
    .onConflict((oc) => oc.column('tokenId').doUpdateSet(values))
    .execute();
  // The old device's Web Push subscription would wake a phone that no longer holds the token.
  await db.deleteFrom('push_subscriptions').where('tokenId', '=', token.id).execute();
  const uri = pushEnrolmentUri({ server: server.origin, serial: token.serialNumber ?? '', secret, issuer: server.issuer, account: account.slice(0, 100) });
  return { pushUri: uri, qrSvg: renderSVG(uri) };
}

export type PushDevice = { token: TokenRow; device: PushDeviceRow };

/** The push token with this serial and its device row, if any. */
export async function findPushDevice(db: Db, serial: string): Promise<PushDevice | undefined> {
  const token = await db.selectFrom('tokens').selectAll().where('serialNumber', '=', serial).where('type', '=', 'push').executeTakeFirst();
  if (!token) return undefined;
  const device = await db.selectFrom('push_devices').selectAll().where('tokenId', '=', token.id).executeTakeFirst();
  return device ? { token, device } : undefined;
}

/** An ECDSA P-256 public key from SPKI DER, or undefined for anything else. */
export function parseDeviceKey(der: Uint8Array): KeyObject | undefined {
  try {
    const key = createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' });
    return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1' ? key : undefined;
  } catch {
    return undefined;
  }
}

const B64URL = /^[A-Za-z0-9_-]+$/;

/** Whether `signature` (base64url, IEEE P1363 as WebCrypto makes it) signs `message` under `key`. */
export function signatureValid(key: KeyObject | Uint8Array, message: string, signature: string): boolean {
  if (!B64URL.test(signature)) return false;
  const sig = Buffer.from(signature, 'base64url');
  if (sig.length !== 64) return false;
  const k = key instanceof Uint8Array ? parseDeviceKey(key) : key;
  return k !== undefined && verifySignature('sha256', Buffer.from(message, 'utf8'), { key: k, dsaEncoding: 'ieee-p1363' }, sig);
}

export interface Registration {
  serial: string;
  secret: string;
  /** SPKI DER, base64url. */
  publicKey: string;
  /** Signature of enrolmentProof(serial, secret) by the new key. */
  signature: string;
}

/**
 * Registers the app's public key with the one-time secret. Which check failed is told only
 * after the secret was shown right: a stranger learns nothing from the answer.
 */
export async function registerDevice(db: Db, r: Registration, now: Date): Promise<PushDevice> {
  const found = await findPushDevice(db, r.serial);
  const hash = sha256(r.secret);
  const device = found?.device;
  if (!found || !device?.enrolHash || !device.enrolHash.equals(hash)) throw appError('push_enrolment_invalid');
  if (device.registeredAt) throw appError('push_enrolment_used');
  if (!device.enrolExpiresAt || device.enrolExpiresAt.getTime() <= now.getTime()) throw appError('push_enrolment_expired');
  const der = B64URL.test(r.publicKey) ? Buffer.from(r.publicKey, 'base64url') : Buffer.alloc(0);
  const key = parseDeviceKey(der);
  if (!key) throw appError('invalid_request', { message: 'body.publicKey: an ECDSA P-256 public key (SPKI, base64url) is required.', field: 'body.publicKey' });
  if (!signatureValid(key, enrolmentProof(r.serial, r.secret), r.signature)) throw appError('push_signature_invalid', { field: 'body.signature' });
  // Conditional: of two registrations racing with one secret, exactly one wins.
  const row = await db
    .updateTable('push_devices')
    .set({ publicKey: key.export({ format: 'der', type: 'spki' }), registeredAt: now, lastSeenAt: now })
    .where('tokenId', '=', found.token.id)
    .where('enrolHash', '=', hash)
    .where('registeredAt', 'is', null)
    .where('enrolExpiresAt', '>', now)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw appError('push_enrolment_used');
  return { token: found.token, device: row };
}

/** How far the app's clock may be from ours when it signs a stream request. */
export const STREAM_PROOF_SKEW_MS = 5 * 60_000;

/** The registered device of `serial` if `signature` signs `message` with its key; else 401. */
export async function authenticateDevice(db: Db, serial: string, message: string, signature: string): Promise<PushDevice> {
  const found = await findPushDevice(db, serial);
  if (!found?.device.publicKey || !found.token.active || !signatureValid(found.device.publicKey, message, signature)) throw appError('push_device_invalid');
  return found;
}

/**
 * Whether the app registered the token's key since its last enrolment opened: what confirms
 * a push token enrolled by its user (the one-time secret was shown to them alone).
 */
export async function pushRegistered(db: Db, tokenId: string): Promise<boolean> {
  const row = await db.selectFrom('push_devices').select('registeredAt').where('tokenId', '=', tokenId).executeTakeFirst();
  return Boolean(row?.registeredAt);
}
