// The devices the demo users would hold, computed on the demo's server so a newcomer needs no
// phone or hardware token: live TOTP codes from the enrolled otpauth URI, the next codes of a
// hardware HOTP token from its CSV line, and an OCRA calculator. Veriframe's own pure OTP engine
// does the maths (the same code an authenticator app implements).
import { readFileSync } from 'node:fs';
import { base32Decode, hotp, ocra, parseOcraSuite, timeStep, totp, type OtpAlgorithm, type OtpDigits, type TotpPeriod } from '../server/src/otp/index.js';
import type { Call } from './admin-api.js';

export interface TotpParams {
  secret: Buffer;
  /** The secret as base32, as apps ask for it when typed in. */
  base32: string;
  algorithm: OtpAlgorithm;
  digits: OtpDigits;
  period: TotpPeriod;
}

/** The parameters inside an otpauth URI, read as an authenticator app reads them. */
export function parseOtpauth(uri: string): TotpParams {
  const url = new URL(uri);
  const base32 = url.searchParams.get('secret') ?? '';
  return {
    secret: base32Decode(base32),
    base32,
    algorithm: (url.searchParams.get('algorithm') ?? 'SHA1') as OtpAlgorithm,
    digits: Number(url.searchParams.get('digits') ?? 6) as OtpDigits,
    period: Number(url.searchParams.get('period') ?? 30) as TotpPeriod,
  };
}

/** The code an app shows at `nowMs`, and the seconds until it changes. */
export function liveCode(p: TotpParams, nowMs: number): { code: string; remaining: number } {
  const next = (timeStep(nowMs, p.period) + 1) * p.period * 1000;
  return { code: totp(p.secret, nowMs, p), remaining: Math.ceil((next - nowMs) / 1000) };
}

/**
 * `count` codes that are surely wrong at `nowMs` (none of the codes a ±2-step window accepts),
 * all different, since the same wrong code repeated within a minute counts once.
 */
export function wrongCodes(p: TotpParams, nowMs: number, count: number): string[] {
  const valid = new Set([-2, -1, 0, 1, 2].map((d) => totp(p.secret, nowMs + d * p.period * 1000, p)));
  const out: string[] = [];
  for (let i = 0; out.length < count; i++) {
    const code = String(i).padStart(p.digits, '0');
    if (!valid.has(code)) out.push(code);
  }
  return out;
}

export interface HardwareToken {
  serialNumber: string;
  secret: Buffer;
}

/** The lines of the shipped CSV (`serialNumber,secret`, header first), as the import reads them. */
export function readHardwareCsv(file: string): { text: string; tokens: HardwareToken[] } {
  const text = readFileSync(file, 'utf8');
  const tokens = text
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.trim())
    .map((l) => {
      const [serialNumber = '', secret = ''] = l.split(',').map((c) => c.trim());
      return { serialNumber, secret: base32Decode(secret) };
    });
  return { text, tokens };
}

const HOTP = { algorithm: 'SHA1', digits: 6 } as const;
export const hotpCode = (t: HardwareToken, counter: number) => hotp(t.secret, counter, HOTP);

/**
 * The counter of the next code Veriframe will accept, found with the admin API's "check"
 * (which consumes nothing): the server accepts the 10 codes after the last one used, so
 * probing every 10th counter finds that window and the lowest valid counter in it is the next.
 * `from` is a counter known to be at or below it. Undefined when nothing matches far ahead.
 */
export async function nextHotpCounter(call: Call, tokenId: string, t: HardwareToken, from: number): Promise<number | undefined> {
  const valid = async (c: number) => (await call<{ valid: boolean }>('POST', `/api/v1/tokens/${tokenId}/check`, { otp: hotpCode(t, c) })).valid;
  for (let c = from; c < from + 1000; c += 10) {
    if (!(await valid(c))) continue;
    for (let lower = Math.max(from, c - 9); lower < c; lower++) if (await valid(lower)) return lower;
    return c;
  }
  return undefined;
}

/** The response dave's token would show for `challenge`, or why the challenge is not one. */
export function ocraResponse(suite: string, secretBase32: string, challenge: string): { response: string } | { error: string } {
  const { question } = parseOcraSuite(suite);
  const q = challenge.replace(/\s+/g, '');
  const pattern = question.format === 'N' ? /^[0-9]+$/ : question.format === 'H' ? /^[0-9A-Fa-f]+$/ : /^[A-Za-z0-9]+$/;
  const kind = question.format === 'N' ? 'digits' : question.format === 'H' ? 'hex digits' : 'letters or digits';
  if (q.length !== question.length || !pattern.test(q)) return { error: `The challenge is ${question.length} ${kind}, as the widget shows it.` };
  return { response: ocra(suite, base32Decode(secretBase32), { question: q }) };
}
