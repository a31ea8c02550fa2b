// Result-token signing keys and spent token ids.
// Columns are camelCase here and snake_case in SQL (CamelCasePlugin); keep in step with ./migrations.
import type { Generated, Selectable } from 'kysely';
import type { Timestamp, NullableTimestamp, DefaultTimestamp, Bytea, Json, JsonValue } from './columns.js';

export type SigningAlg = 'ES256' | 'ES384' | 'ES512' | 'EdDSA';

/** Public half of a signing key as published in /.well-known/jwks.json. */
export type PublicJwk = {
  kty: string;
  crv?: string;
  x?: string;
  y?: string;
  kid?: string;
  alg?: string;
  use?: string;
  [key: string]: JsonValue | undefined;
};

export interface SigningKeysTable {
  kid: string;
  alg: Generated<SigningAlg>;
  publicJwk: Json<PublicJwk>;
  /** Private key encrypted with the master key. */
  privateEnc: Bytea;
  createdAt: DefaultTimestamp;
  /** Signing starts at this time (publish in JWKS earlier for overlap). */
  activatesAt: DefaultTimestamp;
  /** Signing stops; still published for verification until expiresAt. */
  retiresAt: NullableTimestamp;
  expiresAt: NullableTimestamp;
}

export interface UsedJtisTable {
  jti: string;
  resourceId: string;
  usedAt: DefaultTimestamp;
  expiresAt: Timestamp;
}

export type SigningKeyRow = Selectable<SigningKeysTable>;
