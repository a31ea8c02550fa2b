// Key URI Format (Google Authenticator, also read by most other apps):
//   otpauth://TYPE/ISSUER:ACCOUNT?secret=BASE32&issuer=ISSUER&algorithm=…&digits=…&period=…
// The issuer appears both in the label (older apps) and as a parameter (newer apps prefer it).
import { base32Encode } from './base32.js';
import { assertDigits, toCounter, type OtpAlgorithm, type OtpDigits } from './hotp.js';
import type { TotpPeriod } from './totp.js';

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
