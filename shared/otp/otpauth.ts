// Key URI Format (Google Authenticator, also read by most other apps):
//   otpauth://TYPE/ISSUER:ACCOUNT?secret=BASE32&issuer=ISSUER&algorithm=…&digits=…&period=…
// The issuer appears both in the label (older apps) and as a parameter (newer apps prefer it).
// The server writes these URIs (enrolment QR codes), the authenticator app reads them.
import { base32Decode, base32Encode } from './base32.js';
import { assertDigits, isOtpAlgorithm, toCounter, type OtpAlgorithm, type OtpDigits, type TotpPeriod } from './hotp.js';
import { parseOcraSuite } from './ocra.js';

export type OtpauthUriOptions = {
  type: 'totp' | 'hotp';
  secret: Uint8Array;
  issuer: string;
  account: string;
  algorithm: OtpAlgorithm;
  digits: OtpDigits;
  /** TOTP only; required for it. */
  period?: TotpPeriod;
  /** HOTP only; required for it: the next counter the app should use. */
  counter?: bigint | number;
};

const ALGORITHMS: readonly string[] = ['SHA1', 'SHA256', 'SHA512'];

function labelPart(value: string, name: string): string {
  // The colon separates issuer from account in the label, and apps split on it after decoding.
  if (value.length === 0) throw new Error(`otpauth ${name} must not be empty`);
  if (value.includes(':')) throw new Error(`otpauth ${name} must not contain ':'`);
  // encodeURIComponent writes spaces as %20, which the format requires (not '+').
  return encodeURIComponent(value);
}

export function otpauthUri(opts: OtpauthUriOptions): string {
  if (opts.type !== 'totp' && opts.type !== 'hotp') throw new Error("otpauth type must be 'totp' or 'hotp'");
  if (!ALGORITHMS.includes(opts.algorithm)) throw new Error('otpauth algorithm must be SHA1, SHA256 or SHA512');
  assertDigits(opts.digits);
  if (opts.secret.length === 0) throw new Error('otpauth secret must not be empty');
  const issuer = labelPart(opts.issuer, 'issuer');
  const account = labelPart(opts.account, 'account');
  const params = [`secret=${base32Encode(opts.secret)}`, `issuer=${issuer}`, `algorithm=${opts.algorithm}`, `digits=${opts.digits}`];
  if (opts.type === 'totp') {
    if (opts.period !== 30 && opts.period !== 60) throw new Error('otpauth TOTP period must be 30 or 60');
    params.push(`period=${opts.period}`);
  } else {
    if (opts.counter === undefined) throw new Error('otpauth HOTP needs a counter');
    params.push(`counter=${toCounter(opts.counter)}`);
  }
  return `otpauth://${opts.type}/${issuer}:${account}?${params.join('&')}`;
}

/** A token as an authenticator app stores it, read from an otpauth:// URI. */
export type ParsedOtpauth = {
  type: 'totp' | 'hotp' | 'ocra';
  secret: Uint8Array;
  /** '' when the URI names none. */
  issuer: string;
  account: string;
  algorithm: OtpAlgorithm;
  digits: OtpDigits;
  /** TOTP: 30 or 60. */
  period: TotpPeriod;
  /** HOTP: the next counter to use. */
  counter: bigint;
  /** OCRA (our extension, `otpauth://ocra/…?suite=OCRA-1:…`): the suite. */
  suite?: string;
};

export type OtpauthErrorCode = 'scheme' | 'type' | 'secret' | 'algorithm' | 'digits' | 'period' | 'counter' | 'suite' | 'label';
/** Why a URI was refused; `otpauthCode` lets an app say it in the user's language. Never holds the secret. */
export type OtpauthError = Error & { otpauthCode: OtpauthErrorCode };

function refuse(code: OtpauthErrorCode, message: string): OtpauthError {
  return Object.assign(new Error(message), { otpauthCode: code });
}

export const isOtpauthError = (err: unknown): err is OtpauthError => err instanceof Error && 'otpauthCode' in err;

function decodePart(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, '%20')).trim();
  } catch {
    throw refuse('label', 'the otpauth label is not valid percent-encoding');
  }
}

function parseSecret(text: string | null): Uint8Array {
  if (!text) throw refuse('secret', 'the otpauth URI has no secret');
  let secret: Uint8Array;
  try {
    secret = base32Decode(text);
  } catch (err) {
    throw refuse('secret', `the otpauth secret is not base32 (${(err as Error).message.replace(/^invalid base32: /, '')})`);
  }
  if (secret.length === 0) throw refuse('secret', 'the otpauth secret is empty');
  return secret;
}

function numberParam(params: URLSearchParams, name: 'digits' | 'period', fallback: number, allowed: readonly number[]): number {
  const raw = params.get(name);
  const value = raw === null || raw === '' ? fallback : Number(raw);
  if (!allowed.includes(value)) throw refuse(name, `otpauth ${name} must be ${allowed.join(' or ')}`);
  return value;
}

/** Reads `otpauth://totp|hotp|ocra/[ISSUER:]ACCOUNT?secret=…`, with the usual defaults (SHA1, 6 digits, 30 s). */
export function parseOtpauthUri(uri: string): ParsedOtpauth {
  const match = /^otpauth:\/\/([A-Za-z]+)\/([^?#]*)(?:\?([^#]*))?/i.exec(uri.trim());
  if (!match) throw refuse('scheme', 'not an otpauth:// URI');
  const type = match[1]!.toLowerCase();
  if (type !== 'totp' && type !== 'hotp' && type !== 'ocra') throw refuse('type', 'otpauth type must be totp, hotp or ocra');
  const params = new URLSearchParams(match[3] ?? '');
  const label = decodePart(match[2]!);
  const colon = label.indexOf(':');
  const labelIssuer = colon >= 0 ? label.slice(0, colon).trim() : '';
  const account = colon >= 0 ? label.slice(colon + 1).trim() : label;
  const algorithm = (params.get('algorithm') || 'SHA1').toUpperCase();
  if (!isOtpAlgorithm(algorithm)) throw refuse('algorithm', 'otpauth algorithm must be SHA1, SHA256 or SHA512');
  const parsed: ParsedOtpauth = {
    type,
    secret: parseSecret(params.get('secret')),
    issuer: params.get('issuer')?.trim() || labelIssuer,
    account,
    algorithm,
    digits: numberParam(params, 'digits', 6, [6, 8]) as OtpDigits,
    period: numberParam(params, 'period', 30, [30, 60]) as TotpPeriod,
    counter: 0n,
  };
  if (type === 'hotp') {
    const raw = params.get('counter') ?? '0';
    if (!/^\d{1,20}$/.test(raw)) throw refuse('counter', 'otpauth counter must be a whole number');
    try {
      parsed.counter = toCounter(BigInt(raw));
    } catch {
      throw refuse('counter', 'otpauth counter must be between 0 and 2^64-1');
    }
  }
  if (type === 'ocra') {
    const suite = params.get('suite') ?? params.get('ocrasuite') ?? '';
    try {
      parseOcraSuite(suite);
    } catch (err) {
      throw refuse('suite', (err as Error).message);
    }
    parsed.suite = suite;
  }
  return parsed;
}
