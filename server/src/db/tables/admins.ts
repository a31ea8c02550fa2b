// Administrators and their API keys.
// Columns are camelCase here and snake_case in SQL (CamelCasePlugin); keep in step with ./migrations.
import type { ColumnType, Generated } from 'kysely';
import type { NullableTimestamp, DefaultTimestamp, Bytea } from './columns.js';

export type AdminRole = 'superuser' | 'admin';

export interface AdminsTable {
  id: Generated<string>;
  name: string;
  role: AdminRole;
  active: Generated<boolean>;
  createdBy: string | null;
  createdAt: DefaultTimestamp;
  updatedAt: DefaultTimestamp;
  /** The user of the built-in console resource this administrator signs in as (DESIGN §11). */
  consoleUserId: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface AdminResourcesTable {
  adminId: string;
  resourceId: string;
}

export interface ApiKeysTable {
  id: Generated<string>;
  adminId: string;
  name: string;
  /** First characters of the key, shown so an administrator can tell keys apart. */
  prefix: string;
  /** SHA-256 of the full key (32 bytes). */
  keyHash: Bytea;
  createdAt: DefaultTimestamp;
  lastUsedAt: NullableTimestamp;
  revokedAt: NullableTimestamp;
  expiresAt: NullableTimestamp;
}
