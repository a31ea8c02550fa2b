import { createHmac, randomBytes } from 'node:crypto';
import { renderSVG } from 'uqr';
import { decryptSecret, encryptSecret, type KeyRing } from '../crypto/secretbox.js';
import { appError } from '../errors.js';
import { base32Decode, otpauthUri, type OtpAlgorithm } from '../otp/index.js';
import type { TokenRow } from './repository.js';

/** DESIGN §4: generated secrets are as long as the HMAC's output. */
export const generatedSecretBytes: Record<OtpAlgorithm, number> = { SHA1: 20, SHA256: 32, SHA512: 64 };
export const MIN_SECRET_BYTES = 16;

export const generateSecret = (algorithm: OtpAlgorithm): Buffer => randomBytes(generatedSecretBytes[algorithm]);

/** Decodes an administrator-supplied base32 secret; refuses anything below 128 bits. */
export function parseSecret(base32: string, field = 'secret'): Buffer {
  let secret: Buffer;
  try {
    secret = base32Decode(base32);
  } catch {
    throw appError('invalid_secret', { message: 'The secret is not valid base32 (A-Z, 2-7).', field });
  }
  if (secret.length < MIN_SECRET_BYTES) {
    throw appError('invalid_secret', { message: `The secret has ${secret.length * 8} bits; at least 128 are required.`, field });
  }
  return secret;
}

// The ciphertext is bound to its row: a secret copied to another token fails to decrypt.
export const secretContext = (tokenId: string) => `token:${tokenId}`;

export const sealSecret = (ring: KeyRing, tokenId: string, secret: Uint8Array): Buffer => encryptSecret(ring, secret, secretContext(tokenId));

export function openSecret(ring: KeyRing, token: Pick<TokenRow, 'id' | 'secretEnc'>): Buffer {
  if (!token.secretEnc) throw new Error(`token ${token.id} has no secret`);
  return decryptSecret(ring, token.secretEnc, secretContext(token.id));
}

/**
 * A keyed hash of a wrong code, so the same wrong code re-sent within a minute is recognised
 * without storing the code (a plain hash of six digits could be reversed by trying them all).
 */
export const failedCodeHash = (ring: KeyRing, tokenId: string, code: string): Buffer => keyedCodeHash(ring, 'failed-code', tokenId, code);

/** HMAC of a code under the master key's code-hash subkey, separated by purpose and token. */
export function keyedCodeHash(ring: KeyRing, purpose: string, tokenId: string, code: string): Buffer {
  return createHmac('sha256', ring.current.codeKey).update(`${purpose}\0${tokenId}\0${code}`).digest();
}

export interface Enrollment {
  otpauthUri: string;
  qrSvg: string;
}

/** The otpauth URI and its QR code, for the one response that may show them. */
export function enrollment(
  token: Pick<TokenRow, 'type' | 'algorithm' | 'digits' | 'period' | 'name' | 'serialNumber'>,
  secret: Uint8Array,
  issuer: string,
  account?: string,
): Enrollment {
  const type = token.type === 'hotp' ? 'hotp' : 'totp';
  const uri = otpauthUri({
    type,
    secret,
    issuer,
    account: (account ?? token.serialNumber ?? token.name).replaceAll(':', ' '),
    algorithm: token.algorithm,
    digits: token.digits,
    ...(type === 'totp' ? { period: token.period } : { counter: 0 }),
  });
  return { otpauthUri: uri, qrSvg: renderSVG(uri) };
}
