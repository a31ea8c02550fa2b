// The admin console's sign-in: sessions, single-use sign-in nonces, enrolment links (migration 0007).
// Columns are camelCase here and snake_case in SQL (CamelCasePlugin); keep in step with ./migrations.
import type { Generated } from 'kysely';
import type { Bytea, NullableTimestamp, Timestamp } from './columns.js';

/** Server-side console sessions; the cookie value is stored only as its SHA-256. */
export interface ConsoleSessionsTable {
  id: Generated<string>;
  tokenHash: Bytea;
  adminId: string;
  /** SHA-256 of the session's CSRF value (migration 0009); the value is derived from the cookie. */
  csrfHash: Bytea;
  createdAt: Timestamp;
  lastSeenAt: Timestamp;
  /** The absolute end (created + 12 h). */
  expiresAt: Timestamp;
  revokedAt: NullableTimestamp;
  ip: string | null;
}

export interface ConsoleNoncesTable {
  nonceHash: Bytea;
  expiresAt: Timestamp;
}

export interface ConsoleEnrolmentsTable {
  id: Generated<string>;
  adminId: string;
  codeHash: Bytea;
  pendingTokenId: string | null;
  createdAt: Timestamp;
  expiresAt: Timestamp;
  usedAt: NullableTimestamp;
}
