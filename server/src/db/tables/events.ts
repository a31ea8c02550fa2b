// The event log and its chain state.
// Columns are camelCase here and snake_case in SQL (CamelCasePlugin); keep in step with ./migrations.
import type { ColumnType, Generated, GeneratedAlways, Insertable, Selectable } from 'kysely';
import type { DefaultTimestamp, DefaultInt8, Bytea, DefaultJson, JsonObject } from './columns.js';

export type EventResult = 'success' | 'failure';

/** Free-form event details (never secrets, OTPs or passwords). */
export type EventDetails = JsonObject;

export interface EventsTable {
  id: GeneratedAlways<string>;
  createdAt: DefaultTimestamp;
  type: string;
  actorAdminId: string | null;
  /** 'admin:<id>', 'cli', 'system', 'widget', ... */
  actor: string | null;
  resourceId: string | null;
  userId: string | null;
  tokenId: string | null;
  ip: string | null;
  result: EventResult | null;
  reason: string | null;
  details: DefaultJson<EventDetails>;
  /** Set by the sealer: SHA-256(previous hash ‖ canonical row). */
  hash: Bytea | null;
}

export interface EventChainStateTable {
  /** Always 1: a single row, inserted by the migration. */
  id: Generated<number>;
  /** 0 = nothing sealed yet. */
  lastSealedId: DefaultInt8;
  /** 32 zero bytes before the first seal. */
  lastHash: ColumnType<Bytea, Bytea | undefined, Bytea>;
  /** Id of the master key whose audit subkey chains the events; null = not keyed yet (migration 0005). */
  keyId: ColumnType<string | null, string | null | undefined, string | null>;
  /** HMAC of (lastSealedId, lastHash) under that subkey; null while not keyed. */
  mac: ColumnType<Bytea | null, Bytea | null | undefined, Bytea | null>;
  updatedAt: DefaultTimestamp;
}

export type EventRow = Selectable<EventsTable>;
export type NewEvent = Insertable<EventsTable>;
