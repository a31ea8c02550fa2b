// Kysely types for the schema in ./migrations. The app runs Kysely with CamelCasePlugin, so table
// keys stay snake_case (snakeCase() leaves them unchanged) while columns are camelCase here and
// snake_case in SQL. Keep this file in step with the migrations: a column added there and not here
// is invisible to the compiler, which is the point of having it.
import type { ColumnType, Generated, GeneratedAlways, Insertable, Selectable, Updateable } from 'kysely';

// --- column helpers ---------------------------------------------------------------------------

/** timestamptz: read as Date, written as Date or ISO string. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null, Date | string | null>;
/** timestamptz with a `now()` default. */
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** int8: pg returns it as a string so no precision is lost; the PGlite setup must match. */
type Int8 = ColumnType<string, string | number | bigint, string | number | bigint>;
type DefaultInt8 = ColumnType<string, string | number | bigint | undefined, string | number | bigint>;
/** bytea: pg returns Buffer; the PGlite setup must parse bytea into Buffer too. */
type Bytea = Buffer;

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
// undefined members are allowed because JSON.stringify drops them, which lets optional fields of
// domain types be stored without mapping.
export type JsonObject = { [key: string]: JsonValue | undefined };
/**
 * jsonb: read as T; written as T or as a JSON string. pg serialises a JS array parameter as a
 * PostgreSQL array, not JSON, so arrays (and anything not a plain object) should go in as
 * JSON.stringify(value).
 */
type Json<T> = ColumnType<T, T | string, T | string>;
type DefaultJson<T> = ColumnType<T, T | string | undefined, T | string>;

// --- enum-like values (each mirrors a CHECK constraint) ----------------------------------------

export type AdminRole = 'superuser' | 'admin';
export type AuthMethod = 'password' | 'otp' | 'password+otp';
export type TokenKind = 'hardware' | 'software' | 'universal';
export type TokenType = 'totp' | 'hotp' | 'ocra' | 'email' | 'sms' | 'bot';
export type HashAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';
export type OtpDigits = 6 | 8;
export type TotpPeriod = 30 | 60;
export type PinPosition = 'before' | 'after';
export type FilterType = 'ip' | 'country' | 'time' | 'userAgent';
export type FilterMode = 'allow' | 'deny';
export type EventResult = 'success' | 'failure';
export type WidgetState = 'identify' | 'otp' | 'done' | 'failed' | 'expired';
export type Amr = 'pwd' | 'otp' | 'bypass';
export type ChallengeKind = 'code' | 'ocra' | 'transaction';
export type SigningAlg = 'ES256' | 'ES384' | 'ES512' | 'EdDSA';

// --- jsonb shapes ---------------------------------------------------------------------------

/** Self-service and future per-resource settings; the resources domain owns the shape. */
export type ResourceSettings = JsonObject;
/** Filter configuration; its shape depends on `type` and is validated by the filters domain. */
export type FilterConfig = JsonObject;
/** Free-form event details (never secrets, OTPs or passwords). */
export type EventDetails = JsonObject;

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

// --- tables ---------------------------------------------------------------------------------

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

export interface UsersTable {
  id: Generated<string>;
  /** Unique case-insensitively; look up with lower(login) = lower($1) to use the index. */
  login: string;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  /** argon2id PHC string; null = the user has no password. */
  passwordHash: string | null;
  active: Generated<boolean>;
  createdBy: string | null;
  createdAt: DefaultTimestamp;
  updatedAt: DefaultTimestamp;
}

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

export interface FiltersTable {
  id: Generated<string>;
  resourceId: string;
  type: FilterType;
  /** null for 'time' filters, required otherwise. */
  mode: FilterMode | null;
  config: Json<FilterConfig>;
  enabled: Generated<boolean>;
  createdBy: string | null;
  createdAt: DefaultTimestamp;
  updatedAt: DefaultTimestamp;
}

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
  updatedAt: DefaultTimestamp;
}

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

export interface AuthThrottleTable {
  resourceId: string;
  ip: string;
  windowStart: DefaultTimestamp;
  failures: Generated<number>;
}

export interface LoginAttemptsTable {
  resourceId: string;
  /** lower() of the NFC login as typed. */
  loginKey: string;
  failures: Generated<number>;
  lockCount: Generated<number>;
  lockedUntil: NullableTimestamp;
  updatedAt: DefaultTimestamp;
}

export interface RateWindowsTable {
  bucket: string;
  key: string;
  windowStart: Timestamp;
  count: Generated<number>;
}

export interface SystemSettingsTable {
  key: string;
  value: Json<JsonValue>;
  updatedAt: DefaultTimestamp;
}

/** Server-side console sessions; the cookie value is stored only as its SHA-256. */
export interface ConsoleSessionsTable {
  id: Generated<string>;
  tokenHash: Bytea;
  adminId: string;
  csrf: string;
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

export interface Database {
  admins: AdminsTable;
  admin_resources: AdminResourcesTable;
  api_keys: ApiKeysTable;
  resources: ResourcesTable;
  users: UsersTable;
  tokens: TokensTable;
  resource_users: ResourceUsersTable;
  resource_tokens: ResourceTokensTable;
  resource_user_tokens: ResourceUserTokensTable;
  filters: FiltersTable;
  events: EventsTable;
  event_chain_state: EventChainStateTable;
  widget_transactions: WidgetTransactionsTable;
  otp_challenges: OtpChallengesTable;
  signing_keys: SigningKeysTable;
  used_jtis: UsedJtisTable;
  auth_throttle: AuthThrottleTable;
  login_attempts: LoginAttemptsTable;
  rate_windows: RateWindowsTable;
  system_settings: SystemSettingsTable;
  console_sessions: ConsoleSessionsTable;
  console_nonces: ConsoleNoncesTable;
  console_enrolments: ConsoleEnrolmentsTable;
}

// --- row aliases ----------------------------------------------------------------------------

export type AdminRow = Selectable<AdminsTable>;
export type NewAdmin = Insertable<AdminsTable>;
export type AdminUpdate = Updateable<AdminsTable>;

export type AdminResourceRow = Selectable<AdminResourcesTable>;
export type NewAdminResource = Insertable<AdminResourcesTable>;
export type AdminResourceUpdate = Updateable<AdminResourcesTable>;

export type ApiKeyRow = Selectable<ApiKeysTable>;
export type NewApiKey = Insertable<ApiKeysTable>;
export type ApiKeyUpdate = Updateable<ApiKeysTable>;

export type ResourceRow = Selectable<ResourcesTable>;
export type NewResource = Insertable<ResourcesTable>;
export type ResourceUpdate = Updateable<ResourcesTable>;

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;

export type TokenRow = Selectable<TokensTable>;
export type NewToken = Insertable<TokensTable>;
export type TokenUpdate = Updateable<TokensTable>;

export type ResourceUserRow = Selectable<ResourceUsersTable>;
export type NewResourceUser = Insertable<ResourceUsersTable>;
export type ResourceUserUpdate = Updateable<ResourceUsersTable>;

export type ResourceTokenRow = Selectable<ResourceTokensTable>;
export type NewResourceToken = Insertable<ResourceTokensTable>;
export type ResourceTokenUpdate = Updateable<ResourceTokensTable>;

export type ResourceUserTokenRow = Selectable<ResourceUserTokensTable>;
export type NewResourceUserToken = Insertable<ResourceUserTokensTable>;
export type ResourceUserTokenUpdate = Updateable<ResourceUserTokensTable>;

export type FilterRow = Selectable<FiltersTable>;
export type NewFilter = Insertable<FiltersTable>;
export type FilterUpdate = Updateable<FiltersTable>;

export type EventRow = Selectable<EventsTable>;
export type NewEvent = Insertable<EventsTable>;
export type EventUpdate = Updateable<EventsTable>;

export type EventChainStateRow = Selectable<EventChainStateTable>;
export type EventChainStateUpdate = Updateable<EventChainStateTable>;

export type WidgetTransactionRow = Selectable<WidgetTransactionsTable>;
export type NewWidgetTransaction = Insertable<WidgetTransactionsTable>;
export type WidgetTransactionUpdate = Updateable<WidgetTransactionsTable>;

export type OtpChallengeRow = Selectable<OtpChallengesTable>;
export type NewOtpChallenge = Insertable<OtpChallengesTable>;
export type OtpChallengeUpdate = Updateable<OtpChallengesTable>;

export type SigningKeyRow = Selectable<SigningKeysTable>;
export type NewSigningKey = Insertable<SigningKeysTable>;
export type SigningKeyUpdate = Updateable<SigningKeysTable>;

export type UsedJtiRow = Selectable<UsedJtisTable>;
export type NewUsedJti = Insertable<UsedJtisTable>;

export type AuthThrottleRow = Selectable<AuthThrottleTable>;
export type NewAuthThrottle = Insertable<AuthThrottleTable>;
export type AuthThrottleUpdate = Updateable<AuthThrottleTable>;

export type SystemSettingRow = Selectable<SystemSettingsTable>;
export type NewSystemSetting = Insertable<SystemSettingsTable>;
export type SystemSettingUpdate = Updateable<SystemSettingsTable>;
