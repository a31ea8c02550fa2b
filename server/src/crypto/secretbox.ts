// Encryption of secrets at rest (token seeds, signing keys): AES-256-GCM with a key id in every
// blob so the master key can be rotated online — old blobs name the key that sealed them.
//
// Blob layout (all lengths in bytes):
//   1 format version (1) | 1 key id length | key id (ascii) | 12 IV | ciphertext | 16 GCM tag
//
// The header bytes and the caller's context (e.g. "token:<uuid>") are the GCM additional
// authenticated data: a blob copied to another row, or with its key id edited, fails to decrypt.
//
// Blobs are sealed with the master key's "secret-box" HKDF subkey (subkeys.ts) under the key id
// of that master key. Blobs written before subkeys existed were sealed with the raw master key
// under a different id (an HMAC of the raw key, `legacyId`); that id alone tells decryption to use
// the raw key, so old data still opens and `veriframe rotate-key` moves it to the subkey.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { deriveSubkey } from './subkeys.js';

export type MasterKey = Readonly<{
  /** Names the master key in blobs and in the audit chain state; reveals nothing about it. */
  id: string;
  /** The master key itself: only ever an HKDF input (and the AES key of legacy blobs). */
  key: Buffer;
  /** The id blobs sealed with the raw key carry (format before HKDF subkeys). */
  legacyId: string;
  secretKey: Buffer;
  codeKey: Buffer;
  auditKey: Buffer;
}>;
export type KeyRing = {
  current: MasterKey;
  byId: ReadonlyMap<string, MasterKey>;
  /** Decrypt-only: blobs sealed with a raw master key, by their legacy id. */
  legacyById: ReadonlyMap<string, MasterKey>;
};

const FORMAT_VERSION = 1;
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ALGORITHM = 'aes-256-gcm';
const KEY_ID_LABEL = 'veriframe/key-id/v1';

type Parsed = { header: Buffer; keyId: string; iv: Buffer; ciphertext: Buffer; tag: Buffer };

/**
 * Wraps a 32-byte key with an id derived from the key itself, so operators configure only the
 * key, and with its per-purpose subkeys. The id is HKDF output, so it reveals nothing usable.
 */
export function masterKeyFrom(key: Buffer): MasterKey {
  if (key.length !== KEY_BYTES) {
    throw new Error(`master key must be exactly ${KEY_BYTES} bytes, got ${key.length}`);
  }
  // Copy so that a caller zeroing or reusing its buffer cannot change the ring underneath us.
  const master = Buffer.from(key);
  return Object.freeze({
    id: deriveSubkey(master, 'key-id', 6).toString('base64url'),
    key: master,
    legacyId: legacyKeyId(master),
    secretKey: deriveSubkey(master, 'secret-box'),
    codeKey: deriveSubkey(master, 'code-hash'),
    auditKey: deriveSubkey(master, 'audit-chain'),
  });
}

/** The id blobs carried before subkeys: kept only to recognise (and open) those blobs. */
function legacyKeyId(master: Buffer): string {
  return createHmac('sha256', master).update(KEY_ID_LABEL).digest().subarray(0, 6).toString('base64url');
}

/** `previous` keys only decrypt; every new encryption uses `current`. */
export function createKeyRing(current: Buffer, previous: Buffer[] = []): KeyRing {
  const currentKey = masterKeyFrom(current);
  const byId = new Map<string, MasterKey>();
  const legacyById = new Map<string, MasterKey>();
  for (const mk of [...previous.map(masterKeyFrom), currentKey]) {
    // The current key comes last so a duplicate of it among `previous` cannot shadow it.
    byId.set(mk.id, mk);
    legacyById.set(mk.legacyId, mk);
  }
  return Object.freeze({ current: currentKey, byId, legacyById });
}

/** The AES key for a blob's key id: a subkey, or the raw key for blobs older than subkeys. */
function aesKeyFor(ring: KeyRing, keyId: string): Buffer | undefined {
  return ring.byId.get(keyId)?.secretKey ?? ring.legacyById.get(keyId)?.key;
}

export function encryptSecret(ring: KeyRing, plaintext: Uint8Array, context: string): Buffer {
  const { id, secretKey: key } = ring.current;
  const header = encodeHeader(id);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(header, context));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([header, iv, ciphertext, cipher.getAuthTag()]);
}

/**
 * Throws a generic Error on any failure. Messages carry at most the (non-secret) key id: never
 * key bytes, plaintext or which check failed beyond that, so logs stay safe to ship.
 */
export function decryptSecret(ring: KeyRing, blob: Uint8Array, context: string): Buffer {
  const parsed = parseBlob(blob);
  const key = aesKeyFor(ring, parsed.keyId);
  if (!key) throw new Error(`unknown key id ${printable(parsed.keyId)}`);
  try {
    const decipher = createDecipheriv(ALGORITHM, key, parsed.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(additionalData(parsed.header, context));
    decipher.setAuthTag(parsed.tag);
    return Buffer.concat([decipher.update(parsed.ciphertext), decipher.final()]);
  } catch {
    // The underlying error says nothing useful beyond "authentication failed"; drop it.
    throw new Error(`secret could not be decrypted (key id ${printable(parsed.keyId)})`);
  }
}

/** The id of the key that sealed `blob` — lets rotation find rows still on an old key. */
export function keyIdOf(blob: Uint8Array): string {
  return parseBlob(blob).keyId;
}

function encodeHeader(keyId: string): Buffer {
  const id = Buffer.from(keyId, 'ascii');
  if (id.length === 0 || id.length > 255) throw new Error('key id must be 1–255 ascii bytes');
  return Buffer.concat([Buffer.from([FORMAT_VERSION, id.length]), id]);
}

// The header is self-delimiting (it carries its own length), so header ‖ context is unambiguous.
function additionalData(header: Buffer, context: string): Buffer {
  return Buffer.concat([header, Buffer.from(context, 'utf8')]);
}

function parseBlob(input: Uint8Array): Parsed {
  const blob = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (blob.length < 2) throw new Error('secret could not be decrypted (truncated blob)');
  const version = blob[0];
  if (version !== FORMAT_VERSION) {
    throw new Error(`secret could not be decrypted (unsupported format version ${version})`);
  }
  const idLength = blob[1] ?? 0;
  const headerLength = 2 + idLength;
  // An empty ciphertext is legal (empty secret), so the minimum is header + IV + tag.
  if (idLength === 0 || blob.length < headerLength + IV_BYTES + TAG_BYTES) {
    throw new Error('secret could not be decrypted (truncated blob)');
  }
  const ivEnd = headerLength + IV_BYTES;
  const tagStart = blob.length - TAG_BYTES;
  return {
    header: blob.subarray(0, headerLength),
    keyId: blob.subarray(2, headerLength).toString('latin1'),
    iv: blob.subarray(headerLength, ivEnd),
    ciphertext: blob.subarray(ivEnd, tagStart),
    tag: blob.subarray(tagStart),
  };
}

// A tampered key id may hold control bytes; keep error messages (and hence logs) clean.
function printable(keyId: string): string {
  return keyId.replace(/[^A-Za-z0-9_-]/g, '?');
}
