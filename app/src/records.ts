// What the vault stores. Every record is encrypted as a whole (JSON under the vault key); `kind`
// says who owns it: 'otp' records are this app's TOTP/HOTP/OCRA tokens, 'push' records belong to
// app/src/push/ (their `data` is theirs). Push tokens are never backed up nor transferred (their
// key pair is bound to this device, and the seed's product forbids it).
import type { OtpAlgorithm, OtpDigits, TotpPeriod } from '../../shared/otp/hotp.js';

export type OtpRecord = {
  id: string;
  kind: 'otp';
  type: 'totp' | 'hotp' | 'ocra';
  issuer: string;
  account: string;
  /** base32 */
  secret: string;
  algorithm: OtpAlgorithm;
  digits: OtpDigits;
  period: TotpPeriod;
  /** HOTP: the next counter, as a decimal string (64-bit). */
  counter: string;
  /** OCRA: the suite, e.g. OCRA-1:HOTP-SHA1-6:QN08. */
  suite?: string;
  createdAt: string;
};

export type PushRecord = {
  id: string;
  kind: 'push';
  /** What the token list shows, e.g. "Demo shop — alice". */
  label: string;
  /** Owned by app/src/push/. */
  data: Record<string, unknown>;
  createdAt: string;
};

export type TokenRecord = OtpRecord | PushRecord;

/** The records a backup or a transfer may carry: never push tokens. */
export const portable = (records: readonly TokenRecord[]): OtpRecord[] => records.filter((r): r is OtpRecord => r.kind === 'otp');

export const newId = (): string => crypto.randomUUID();

export const tokenTitle = (r: TokenRecord): string => (r.kind === 'push' ? r.label : r.issuer ? `${r.issuer}` : r.account);
