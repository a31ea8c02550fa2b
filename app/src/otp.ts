// The shared OTP maths (shared/otp) with WebCrypto's HMAC: the same truncation, OCRA DataInput
// and RFC vectors as the server's node:crypto version.
import { base32Decode } from '../../shared/otp/base32.js';
import { counterBytes, timeStep, truncateToDigits, type OtpAlgorithm } from '../../shared/otp/hotp.js';
import { ocraDataInput, ocraResponse, parseOcraSuite } from '../../shared/otp/ocra.js';
import type { OtpRecord } from './records.js';

const HASH: Record<OtpAlgorithm, string> = { SHA1: 'SHA-1', SHA256: 'SHA-256', SHA512: 'SHA-512' };

export async function hmac(algorithm: OtpAlgorithm, key: Uint8Array, message: Uint8Array): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey('raw', key as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: HASH[algorithm] }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, message as Uint8Array<ArrayBuffer>));
}

export async function hotpCode(secret: Uint8Array, counter: bigint | number, algorithm: OtpAlgorithm, digits: number): Promise<string> {
  return truncateToDigits(await hmac(algorithm, secret, counterBytes(counter)), digits);
}

export function totpCode(secret: Uint8Array, nowMs: number, algorithm: OtpAlgorithm, digits: number, period: number): Promise<string> {
  return hotpCode(secret, timeStep(nowMs, period), algorithm, digits);
}

export type OcraRequest = { question: string; counter?: bigint; pin?: string; session?: string; nowMs?: number };

export async function ocraCode(suite: string, secret: Uint8Array, req: OcraRequest): Promise<string> {
  const parsed = parseOcraSuite(suite);
  const pinHash =
    parsed.pin && req.pin !== undefined ? new Uint8Array(await crypto.subtle.digest(HASH[parsed.pin], new TextEncoder().encode(req.pin))) : undefined;
  const data = ocraDataInput(suite, {
    question: req.question,
    ...(req.counter !== undefined ? { counter: req.counter } : {}),
    ...(pinHash ? { pinHash } : {}),
    ...(req.session !== undefined ? { session: req.session } : {}),
    ...(req.nowMs !== undefined ? { nowMs: req.nowMs } : {}),
  });
  return ocraResponse(parsed, await hmac(parsed.algorithm, secret, data));
}

/** The code a TOTP or HOTP record shows now (HOTP: for its stored counter). */
export function recordCode(r: OtpRecord, nowMs: number): Promise<string> {
  const secret = base32Decode(r.secret);
  return r.type === 'hotp' ? hotpCode(secret, BigInt(r.counter), r.algorithm, r.digits) : totpCode(secret, nowMs, r.algorithm, r.digits, r.period);
}
