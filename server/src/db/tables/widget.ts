// Widget transactions.
// Columns are camelCase here and snake_case in SQL (CamelCasePlugin); keep in step with ./migrations.
import type { ColumnType, Generated, Selectable } from 'kysely';
import type { Timestamp, NullableTimestamp, DefaultTimestamp, Bytea } from './columns.js';

export type WidgetState = 'identify' | 'enroll' | 'otp' | 'done' | 'failed' | 'expired';
/** 'enroll': the second factor was a token enrolled during this sign-in (DESIGN §12). */
export type Amr = 'pwd' | 'otp' | 'bypass' | 'enroll';

export interface WidgetTransactionsTable {
  /** SHA-256 of the 128-bit transaction id; the id itself is never stored. */
  idHash: Bytea;
  resourceId: string;
  origin: string;
  nonce: string;
  instance: string | null;
  state: Generated<WidgetState>;
  userId: string | null;
  tokenId: string | null;
  amr: ColumnType<Amr[], Amr[] | undefined, Amr[]>;
  attempts: Generated<number>;
  maxAttempts: Generated<number>;
  challengeId: string | null;
  clientIp: string | null;
  userAgent: string | null;
  expiresAt: Timestamp;
  createdAt: DefaultTimestamp;
  completedAt: NullableTimestamp;
}

export type WidgetTransactionRow = Selectable<WidgetTransactionsTable>;
