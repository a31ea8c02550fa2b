// Push tokens: the device behind each one and the challenges waiting for it (DESIGN §13).
// Columns are camelCase here and snake_case in SQL (CamelCasePlugin); keep in step with ./migrations.
import type { Generated, Selectable } from 'kysely';
import type { Bytea, DefaultTimestamp, Json, JsonObject, NullableTimestamp, Timestamp } from './columns.js';

export type PushPurpose = 'login' | 'transaction';
export type PushStatus = 'pending' | 'approved' | 'denied';

export interface PushDevicesTable {
  tokenId: string;
  /** SHA-256 of the one-time enrolment secret; null once used (or never issued again). */
  enrolHash: Bytea | null;
  enrolExpiresAt: NullableTimestamp;
  /** SPKI DER of the device's ECDSA P-256 public key; null until the app registered. */
  publicKey: Bytea | null;
  registeredAt: NullableTimestamp;
  lastSeenAt: NullableTimestamp;
  createdAt: DefaultTimestamp;
}

export interface PushChallengesTable {
  id: Generated<string>;
  tokenId: string;
  resourceId: string;
  purpose: PushPurpose;
  details: Json<JsonObject>;
  /** Keyed hash of the transaction data (purpose 'transaction' only). */
  dataHash: Bytea | null;
  status: Generated<PushStatus>;
  createdAt: DefaultTimestamp;
  expiresAt: Timestamp;
  decidedAt: NullableTimestamp;
  usedAt: NullableTimestamp;
}

/** The Web Push subscription of a push token's device (one per token). */
export interface PushSubscriptionsTable {
  tokenId: string;
  /** The push service's capability URL (https); never logged. */
  endpoint: string;
  /** The subscriber's P-256 public key, uncompressed (65 bytes). */
  p256dh: Bytea;
  /** The subscriber's auth secret (16 bytes). */
  auth: Bytea;
  createdAt: DefaultTimestamp;
  updatedAt: DefaultTimestamp;
}

export type PushDeviceRow = Selectable<PushDevicesTable>;
export type PushChallengeRow = Selectable<PushChallengesTable>;
export type PushSubscriptionRow = Selectable<PushSubscriptionsTable>;
