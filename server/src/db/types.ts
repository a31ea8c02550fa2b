// Kysely types for the schema in ./migrations. The app runs Kysely with CamelCasePlugin, so table
// keys stay snake_case (snakeCase() leaves them unchanged) while columns are camelCase here and
// snake_case in SQL. The tables are typed in ./tables/, one file per domain; keep them in step
// with the migrations: a column added there and not here is invisible to the compiler, which is
// the point of having them. This file only puts them together.
import type { AdminsTable, AdminResourcesTable, ApiKeysTable } from './tables/admins.js';
import type { ResourcesTable, ResourceUsersTable, ResourceTokensTable, ResourceUserTokensTable } from './tables/resources.js';
import type { UsersTable } from './tables/users.js';
import type { TokensTable, OtpChallengesTable, TokenConfirmationsTable } from './tables/tokens.js';
import type { FiltersTable } from './tables/filters.js';
import type { EventsTable, EventChainStateTable } from './tables/events.js';
import type { WidgetTransactionsTable } from './tables/widget.js';
import type { SigningKeysTable, UsedJtisTable } from './tables/jwt.js';
import type { AuthThrottleTable, LoginAttemptsTable, RateWindowsTable } from './tables/auth.js';
import type { SystemSettingsTable } from './tables/system.js';
import type { PortalCodesTable, PortalSessionsTable } from './tables/portal.js';
import type { ConsoleEnrolmentsTable, ConsoleNoncesTable, ConsoleSessionsTable } from './tables/console.js';
import type { AppBackupsTable } from './tables/authenticator.js';
import type { PushChallengesTable, PushDevicesTable, PushSubscriptionsTable } from './tables/push.js';

export type { JsonObject, JsonPrimitive, JsonValue } from './tables/columns.js';
export * from './tables/admins.js';
export * from './tables/resources.js';
export * from './tables/users.js';
export * from './tables/tokens.js';
export * from './tables/filters.js';
export * from './tables/events.js';
export * from './tables/widget.js';
export * from './tables/jwt.js';
export * from './tables/auth.js';
export * from './tables/system.js';
export * from './tables/portal.js';
export * from './tables/console.js';
export * from './tables/authenticator.js';
export * from './tables/push.js';

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
  token_confirmations: TokenConfirmationsTable;
  signing_keys: SigningKeysTable;
  used_jtis: UsedJtisTable;
  auth_throttle: AuthThrottleTable;
  login_attempts: LoginAttemptsTable;
  rate_windows: RateWindowsTable;
  system_settings: SystemSettingsTable;
  portal_sessions: PortalSessionsTable;
  portal_codes: PortalCodesTable;
  console_sessions: ConsoleSessionsTable;
  console_nonces: ConsoleNoncesTable;
  console_enrolments: ConsoleEnrolmentsTable;
  app_backups: AppBackupsTable;
  push_devices: PushDevicesTable;
  push_challenges: PushChallengesTable;
  push_subscriptions: PushSubscriptionsTable;
}
