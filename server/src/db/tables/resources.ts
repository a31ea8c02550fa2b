// Resources and what is assigned to them.
// Columns are camelCase here and snake_case in SQL (CamelCasePlugin); keep in step with ./migrations.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { NullableTimestamp, DefaultTimestamp, Bytea, DefaultJson, JsonObject } from './columns.js';

export type AuthMethod = 'password' | 'otp' | 'password+otp';

/** Self-service and future per-resource settings; the resources domain owns the shape. */
export type ResourceSettings = JsonObject;

export interface ResourcesTable {
  id: Generated<string>;
  /** Unique case-insensitively. */
  name: string;
  active: Generated<boolean>;
  allowedOrigins: ColumnType<string[], string[] | undefined, string[]>;
  failedAttemptsLimit: Generated<number>;
  otpWindow: Generated<number>;
  hotpLookAhead: Generated<number>;
  authMethod: Generated<AuthMethod>;
  progressiveUnlock: Generated<boolean>;
  throttleMaxFailures: Generated<number>;
  throttleWindowSeconds: Generated<number>;
  codeTtlSeconds: Generated<number>;
  /** null = no per-resource limit. */
  tokenQuota: number | null;
  settings: DefaultJson<ResourceSettings>;
  /** SHA-256 of the verification secret (32 bytes). */
  secretHash: Bytea | null;
  secretRotatedAt: NullableTimestamp;
  /** 'console' for the built-in "Veriframe console" resource; null for every other. */
  builtin: ColumnType<string | null, string | null | undefined, string | null>;
  createdBy: string | null;
  createdAt: DefaultTimestamp;
  updatedAt: DefaultTimestamp;
}

export interface ResourceUsersTable {
  resourceId: string;
  userId: string;
  createdBy: string | null;
  createdAt: DefaultTimestamp;
}

export interface ResourceTokensTable {
  resourceId: string;
  tokenId: string;
  createdBy: string | null;
  createdAt: DefaultTimestamp;
}

/** One token per user per resource; the token must belong to the user (composite FK). */
export interface ResourceUserTokensTable {
  resourceId: string;
  userId: string;
  tokenId: string;
  createdBy: string | null;
  createdAt: DefaultTimestamp;
}

export type ResourceRow = Selectable<ResourcesTable>;
export type NewResource = Insertable<ResourcesTable>;
export type ResourceUpdate = Updateable<ResourcesTable>;
