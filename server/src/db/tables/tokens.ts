// Tokens and their challenges (sent codes, OCRA and transaction questions).
// Columns are camelCase here and snake_case in SQL (CamelCasePlugin); keep in step with ./migrations.
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { Timestamp, NullableTimestamp, DefaultTimestamp, DefaultInt8, Bytea } from './columns.js';

export type TokenKind = 'hardware' | 'software' | 'universal';
export type TokenType = 'totp' | 'hotp' | 'ocra' | 'email' | 'sms' | 'bot';
export type HashAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';
export type OtpDigits = 6 | 8;
export type TotpPeriod = 30 | 60;
export type PinPosition = 'before' | 'after';
export type ChallengeKind = 'code' | 'ocra' | 'transaction';

export interface TokensTable {
  id: Generated<string>;
  kind: TokenKind;
  type: TokenType;
  name: string;
  serialNumber: string | null;
  algorithm: Generated<HashAlgorithm>;
  digits: Generated<OtpDigits>;
  period: Generated<TotpPeriod>;
  /** Required for (and only for) type 'ocra'. */
  ocraSuite: string | null;
  /** AES-256-GCM blob with key id; required for totp/hotp/ocra, null for email/sms/bot. */
  secretEnc: Bytea | null;
  /** argon2id PHC string of the PIN. */
  pinHash: string | null;
  pinPosition: Generated<PinPosition>;
  active: Generated<boolean>;
  userId: string | null;
  /** Failures since the last success or unlock; compared with the resource's limit. */
  failedAttempts: Generated<number>;
  /** Failures across progressive unlocks; 100 locks until an administrator unlocks. */
  consecutiveFailures: Generated<number>;
  locked: Generated<boolean>;
  lockedAt: NullableTimestamp;
  lockedReason: string | null;
  /** Progressive unlock: the lock lifts by itself at this time; null = only manual unlock. */
  unlockAt: NullableTimestamp;
  /** Locks so far, for the doubling delay (30 s · 2^(n-1), capped at 1 h). */
  lockCount: Generated<number>;
  /** Last accepted HOTP counter or TOTP time step; -1 = none yet. */
  lastStep: DefaultInt8;
  /** Clock drift in time steps (TOTP) found by synchronisation. */
  drift: Generated<number>;
  lastFailedCodeHash: Bytea | null;
  lastFailedAt: NullableTimestamp;
  bypassUntil: NullableTimestamp;
  bypassPermanent: Generated<boolean>;
  lastUsedAt: NullableTimestamp;
  createdBy: string | null;
  createdAt: DefaultTimestamp;
  updatedAt: DefaultTimestamp;
}

export interface OtpChallengesTable {
  id: Generated<string>;
  tokenId: string;
  resourceId: string;
  kind: ChallengeKind;
  /** Required for kind 'code'. */
  codeHash: Bytea | null;
  /** Required for kinds 'ocra' and 'transaction': the question shown to the user. */
  challenge: string | null;
  /** Required for kind 'transaction': keyed hash of the transaction data the answer confirms. */
  dataHash: Bytea | null;
  expiresAt: Timestamp;
  sentAt: NullableTimestamp;
  usedAt: NullableTimestamp;
  attempts: Generated<number>;
  createdAt: DefaultTimestamp;
}

/** The code confirming a new e-mail/SMS/bot token (migration 0010); one per token. */
export interface TokenConfirmationsTable {
  tokenId: string;
  codeHash: Bytea;
  attempts: Generated<number>;
  sentAt: Timestamp;
  expiresAt: Timestamp;
}

export type TokenRow = Selectable<TokensTable>;
export type NewToken = Insertable<TokensTable>;
export type TokenUpdate = Updateable<TokensTable>;
