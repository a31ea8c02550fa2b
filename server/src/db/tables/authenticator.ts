// Authenticator app server backups (migration 0009): opaque blobs the app encrypted itself.
// Columns are camelCase here and snake_case in SQL (CamelCasePlugin); keep in step with ./migrations.
import type { Selectable } from 'kysely';
import type { Bytea, DefaultTimestamp } from './columns.js';

export interface AppBackupsTable {
  /** Random, chosen by the server (128 bits, base64url). */
  id: string;
  /** SHA-256 of the write key the app got when it created the backup. */
  writeKeyHash: Bytea;
  /** The app's ciphertext (base64url of its envelope); the server cannot decrypt it. */
  data: string;
  createdAt: DefaultTimestamp;
  updatedAt: DefaultTimestamp;
}

export type AppBackupRow = Selectable<AppBackupsTable>;
