// Self-service portal sessions and the codes the portal sends (migration 0008).
// Columns are camelCase here and snake_case in SQL (CamelCasePlugin); keep in step with ./migrations.
import type { Generated, Selectable } from 'kysely';
import type { Bytea, DefaultTimestamp, NullableTimestamp, Timestamp } from './columns.js';

export type PortalStage = 'password' | 'code' | 'otp' | 'push' | 'signed_in';
export type PortalCodePurpose = 'sign_in' | 'email' | 'phone';

/** A self-service portal session; the cookie holds the id, this row its SHA-256. */
export interface PortalSessionsTable {
  idHash: Bytea;
  resourceId: string;
  userId: string | null;
  login: string;
  stage: PortalStage;
  /** SHA-256 of the session's CSRF value (http/csrf.ts), never the value. */
  csrfHash: Bytea;
  pendingTokenId: Generated<string | null>;
  /** At stage 'push': the challenge whose decision in the app completes the sign-in (0015). */
  pushChallengeId: Generated<string | null>;
  createdAt: DefaultTimestamp;
  lastSeenAt: DefaultTimestamp;
  expiresAt: Timestamp;
}

/** A code the portal sent: sign-in by e-mail, or confirming a new address. */
export interface PortalCodesTable {
  id: Generated<string>;
  sessionHash: Bytea;
  purpose: PortalCodePurpose;
  target: string | null;
  codeHash: Bytea;
  attempts: Generated<number>;
  expiresAt: Timestamp;
  usedAt: NullableTimestamp;
  createdAt: DefaultTimestamp;
}

export type PortalSessionRow = Selectable<PortalSessionsTable>;
export type PortalCodeRow = Selectable<PortalCodesTable>;
