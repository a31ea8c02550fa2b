// HOTP (RFC 4226) on the server: the shared maths (shared/otp/hotp.ts: counter bytes, dynamic
// truncation) with node:crypto's HMAC. The authenticator app runs the same maths on WebCrypto.
import { createHmac } from 'node:crypto';
import {
  assertAlgorithm,
  assertDigits,
  counterBytes as sharedCounterBytes,
  dynamicTruncate,
  toCounter,
  truncateToDigits,
  type HotpOptions,
  type OtpAlgorithm,
  type OtpDigits,
} from '../../../shared/otp/hotp.js';

export { assertDigits, dynamicTruncate, toCounter, truncateToDigits, type HotpOptions, type OtpAlgorithm, type OtpDigits };

const NODE_DIGEST: Record<OtpAlgorithm, string> = { SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512' };

/** Node's digest name; throws on anything but the three OATH algorithms (typos must not pass). */
export function digestName(algorithm: OtpAlgorithm): string {
  assertAlgorithm(algorithm);
  return NODE_DIGEST[algorithm];
}

export function hmacDigest(algorithm: OtpAlgorithm, key: Uint8Array, message: Uint8Array): Buffer {
  if (key.length === 0) throw new Error('an OTP secret must not be empty');
  return createHmac(digestName(algorithm), key).update(message).digest();
}

export const toBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);

export function counterBytes(counter: bigint | number): Buffer {
  return toBuffer(sharedCounterBytes(counter));
}

export function hotp(secret: Uint8Array, counter: bigint | number, opts: HotpOptions): string {
  assertDigits(opts.digits);
  return truncateToDigits(hmacDigest(opts.algorithm, secret, counterBytes(counter)), opts.digits);
}
