// HOTP (RFC 4226): HMAC over an 8-byte big-endian counter, then "dynamic truncation" to a
// 31-bit number shown as the last N decimal digits. TOTP and OCRA reuse the pieces below.
import { createHmac } from 'node:crypto';

export type OtpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';
export type OtpDigits = 6 | 8;

export type HotpOptions = {
  digits: OtpDigits;
  algorithm: OtpAlgorithm;
};

const NODE_DIGEST: Record<OtpAlgorithm, string> = { SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512' };
const MAX_COUNTER = (1n << 64n) - 1n;

/** Node's digest name; throws on anything but the three OATH algorithms (typos must not pass). */
export function digestName(algorithm: OtpAlgorithm): string {
  const name = Object.hasOwn(NODE_DIGEST, algorithm) ? NODE_DIGEST[algorithm] : undefined;
  if (!name) throw new Error(`unsupported OTP algorithm (expected SHA1, SHA256 or SHA512)`);
  return name;
}

export function hmacDigest(algorithm: OtpAlgorithm, key: Uint8Array, message: Uint8Array): Buffer {
  if (key.length === 0) throw new Error('an OTP secret must not be empty');
  return createHmac(digestName(algorithm), key).update(message).digest();
}

/** Counters are unsigned 64-bit on the wire; numbers must be exact (safe) integers. */
export function toCounter(counter: bigint | number): bigint {
  if (typeof counter === 'number' && !Number.isSafeInteger(counter)) {
    throw new Error('an OTP counter must be a safe integer');
  }
  const value = BigInt(counter);
  if (value < 0n || value > MAX_COUNTER) throw new Error('an OTP counter must be between 0 and 2^64-1');
  return value;
}

export function counterBytes(counter: bigint | number): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE(toCounter(counter));
  return out;
}

/**
 * RFC 4226 §5.3: the low 4 bits of the last byte pick an offset; the 31 bits from there (top bit
 * masked so signed/unsigned implementations agree) are the raw value.
 */
export function dynamicTruncate(mac: Uint8Array): number {
  const offset = mac[mac.length - 1]! & 0x0f;
  return ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
}

/** Truncated value as `digits` decimal digits with leading zeros (OCRA allows 4–10). */
export function truncateToDigits(mac: Uint8Array, digits: number): string {
  if (!Number.isInteger(digits) || digits < 1 || digits > 10) throw new Error('OTP digits must be between 1 and 10');
  // 10^10 exceeds 2^31, so 10 digits is simply the whole 31-bit value, zero-padded.
  return (dynamicTruncate(mac) % 10 ** digits).toString().padStart(digits, '0');
}

export function assertDigits(digits: number): asserts digits is OtpDigits {
  if (digits !== 6 && digits !== 8) throw new Error('OTP digits must be 6 or 8');
}

export function hotp(secret: Uint8Array, counter: bigint | number, opts: HotpOptions): string {
  assertDigits(opts.digits);
  return truncateToDigits(hmacDigest(opts.algorithm, secret, counterBytes(counter)), opts.digits);
}
