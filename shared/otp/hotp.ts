// HOTP (RFC 4226) without the HMAC: the 8-byte big-endian counter that is MACed, and the "dynamic
// truncation" of the MAC to a 31-bit number shown as the last N decimal digits. The caller computes
// the HMAC (node:crypto on the server, WebCrypto in the authenticator app), so both share the
// maths and the RFC vectors check both. TOTP and OCRA reuse the pieces below.

export type OtpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';
export type OtpDigits = 6 | 8;
export type TotpPeriod = 30 | 60;

export type HotpOptions = {
  digits: OtpDigits;
  algorithm: OtpAlgorithm;
};
export type TotpOptions = HotpOptions & { period: TotpPeriod };

export const OTP_ALGORITHMS: readonly OtpAlgorithm[] = ['SHA1', 'SHA256', 'SHA512'];
const MAX_COUNTER = (1n << 64n) - 1n;

export function isOtpAlgorithm(value: unknown): value is OtpAlgorithm {
  return typeof value === 'string' && (OTP_ALGORITHMS as readonly string[]).includes(value);
}

/** Throws on anything but the three OATH algorithms (typos must not pass). */
export function assertAlgorithm(algorithm: string): asserts algorithm is OtpAlgorithm {
  if (!isOtpAlgorithm(algorithm)) throw new Error('unsupported OTP algorithm (expected SHA1, SHA256 or SHA512)');
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

export function counterBytes(counter: bigint | number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, toCounter(counter));
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

export function assertPeriod(period: number): asserts period is TotpPeriod {
  if (period !== 30 && period !== 60) throw new Error('TOTP period must be 30 or 60 seconds');
}

/** Number of whole periods since the Unix epoch, computed without floating-point division. */
export function timeStep(nowMs: number, period: number): number {
  if (!Number.isInteger(period) || period < 1) throw new Error('a time step must be a positive whole number of seconds');
  if (!Number.isFinite(nowMs) || nowMs < 0) throw new Error('TOTP time must be a non-negative number of milliseconds');
  const ms = Math.floor(nowMs);
  const periodMs = period * 1000;
  return (ms - (ms % periodMs)) / periodMs;
}

/** Milliseconds until the current code of a `period`-second TOTP token changes. */
export function msUntilNextStep(nowMs: number, period: number): number {
  const periodMs = period * 1000;
  return periodMs - (Math.floor(nowMs) % periodMs);
}

export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

export function hexToBytes(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new Error('invalid hex string');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
