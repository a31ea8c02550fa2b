// Core domain tables: administrators and their API keys, resources, users, tokens, the three
// assignment tables and filters. Hand-written so that it runs unchanged on PostgreSQL 15+ and on
// PGlite: no extensions (gen_random_uuid() is core since PG13) and no schema-qualified names,
// because tests run each database in its own schema through search_path.
import { type CreateTableBuilder, type Kysely, sql } from 'kysely';

const uuidPk = sql`gen_random_uuid()`;

// Every table shares these; updated_at is set by the application on change (no triggers, so the
// hot-path UPDATEs stay plain and HOT-eligible).
function timestamps<T extends string>(t: CreateTableBuilder<T, any>, withUpdated = true) {
  const b = t.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`));
  return withUpdated ? b.addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`)) : b;
}

// Deleting an administrator must not delete what it created, only forget who did.
function createdBy<T extends string>(t: CreateTableBuilder<T, any>) {
  return t.addColumn('created_by', 'uuid', (c) => c.references('admins.id').onDelete('set null'));
}

async function index(db: Kysely<any>, name: string, table: string, expr: string, unique = false) {
  let b = db.schema.createIndex(name).on(table).expression(sql.raw(expr));
  if (unique) b = b.unique();
  await b.execute();
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('admins')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(uuidPk))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_by', 'uuid', (c) => c.references('admins.id').onDelete('set null'))
    .$call((t) => timestamps(t))
    .addCheckConstraint('admins_role_check', sql`role in ('superuser', 'admin')`)
    .execute();
  await index(db, 'admins_created_by_idx', 'admins', 'created_by');

  await db.schema
    .createTable('resources')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(uuidPk))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('allowed_origins', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('failed_attempts_limit', 'integer', (c) => c.notNull().defaultTo(5))
    .addColumn('otp_window', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('hotp_look_ahead', 'integer', (c) => c.notNull().defaultTo(10))
    .addColumn('auth_method', 'text', (c) => c.notNull().defaultTo('password+otp'))
    .addColumn('progressive_unlock', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('throttle_max_failures', 'integer', (c) => c.notNull().defaultTo(30))
    .addColumn('throttle_window_seconds', 'integer', (c) => c.notNull().defaultTo(300))
    .addColumn('code_ttl_seconds', 'integer', (c) => c.notNull().defaultTo(300))
    // null = no per-resource limit (the global one in system_settings still applies)
    .addColumn('token_quota', 'integer')
    .addColumn('settings', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('secret_hash', 'bytea')
    .addColumn('secret_rotated_at', 'timestamptz')
    .$call(createdBy)
    .$call((t) => timestamps(t))
    .addCheckConstraint('resources_name_check', sql`name <> ''`)
    .addCheckConstraint('resources_failed_attempts_limit_check', sql`failed_attempts_limit between 3 and 10`)
    .addCheckConstraint('resources_otp_window_check', sql`otp_window between 0 and 2`)
    .addCheckConstraint('resources_hotp_look_ahead_check', sql`hotp_look_ahead between 1 and 50`)
    .addCheckConstraint('resources_auth_method_check', sql`auth_method in ('password', 'otp', 'password+otp')`)
    .addCheckConstraint('resources_throttle_max_failures_check', sql`throttle_max_failures > 0`)
    .addCheckConstraint('resources_throttle_window_seconds_check', sql`throttle_window_seconds > 0`)
    .addCheckConstraint('resources_code_ttl_seconds_check', sql`code_ttl_seconds between 60 and 600`)
    .addCheckConstraint('resources_token_quota_check', sql`token_quota is null or token_quota >= 0`)
    .addCheckConstraint('resources_settings_check', sql`jsonb_typeof(settings) = 'object'`)
    .addCheckConstraint('resources_secret_hash_check', sql`secret_hash is null or octet_length(secret_hash) = 32`)
    .execute();
  // Case-insensitive so that "Intranet" and "intranet" cannot both exist.
  await index(db, 'resources_name_key', 'resources', 'lower(name)', true);
  await index(db, 'resources_created_by_idx', 'resources', 'created_by');

  await db.schema
    .createTable('admin_resources')
    .addColumn('admin_id', 'uuid', (c) => c.notNull().references('admins.id').onDelete('cascade'))
    .addColumn('resource_id', 'uuid', (c) => c.notNull().references('resources.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('admin_resources_pkey', ['admin_id', 'resource_id'])
    .execute();
  await index(db, 'admin_resources_resource_id_idx', 'admin_resources', 'resource_id');

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(uuidPk))
    .addColumn('admin_id', 'uuid', (c) => c.notNull().references('admins.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('expires_at', 'timestamptz')
    .addUniqueConstraint('api_keys_key_hash_key', ['key_hash'])
    .addCheckConstraint('api_keys_key_hash_check', sql`octet_length(key_hash) = 32`)
    .execute();
  await index(db, 'api_keys_admin_id_idx', 'api_keys', 'admin_id');

  await db.schema
    .createTable('users')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(uuidPk))
    .addColumn('login', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('first_name', 'text')
    .addColumn('last_name', 'text')
    .addColumn('password_hash', 'text')
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .$call(createdBy)
    .$call((t) => timestamps(t))
    .addCheckConstraint('users_login_check', sql`login <> ''`)
    .execute();
  // text_pattern_ops serves both equality (uniqueness, login lookup by lower(login) = $1) and
  // prefix search (lower(login) like 'ab%') whatever the database collation is.
  await index(db, 'users_login_key', 'users', 'lower(login) text_pattern_ops', true);
  await index(db, 'users_email_idx', 'users', 'lower(email) text_pattern_ops');
  await index(db, 'users_last_name_idx', 'users', 'lower(last_name) text_pattern_ops');
  await index(db, 'users_created_at_id_idx', 'users', 'created_at, id');
  await index(db, 'users_created_by_idx', 'users', 'created_by');

  await db.schema
    .createTable('tokens')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(uuidPk))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('serial_number', 'text')
    .addColumn('algorithm', 'text', (c) => c.notNull().defaultTo('SHA1'))
    .addColumn('digits', 'integer', (c) => c.notNull().defaultTo(6))
    .addColumn('period', 'integer', (c) => c.notNull().defaultTo(30))
    .addColumn('ocra_suite', 'text')
    .addColumn('secret_enc', 'bytea')
    .addColumn('pin_hash', 'text')
    .addColumn('pin_position', 'text', (c) => c.notNull().defaultTo('before'))
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('locked_at', 'timestamptz')
    .addColumn('locked_reason', 'text')
    .addColumn('unlock_at', 'timestamptz')
    .addColumn('lock_count', 'integer', (c) => c.notNull().defaultTo(0))
    // -1 so that HOTP counter 0 and any TOTP step are acceptable the first time.
    .addColumn('last_step', 'bigint', (c) => c.notNull().defaultTo(-1))
    .addColumn('drift', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_failed_code_hash', 'bytea')
    .addColumn('last_failed_at', 'timestamptz')
    .addColumn('bypass_until', 'timestamptz')
    .addColumn('bypass_permanent', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('last_used_at', 'timestamptz')
    .$call(createdBy)
    .$call((t) => timestamps(t))
    .addUniqueConstraint('tokens_serial_number_key', ['serial_number'])
    // Target of the composite foreign key from resource_user_tokens: the token used for a user in
    // a resource must belong to that very user.
    .addUniqueConstraint('tokens_id_user_id_key', ['id', 'user_id'])
    .addCheckConstraint('tokens_kind_check', sql`kind in ('hardware', 'software', 'universal')`)
    .addCheckConstraint('tokens_type_check', sql`type in ('totp', 'hotp', 'ocra', 'email', 'sms', 'bot')`)
    // Hardware and universal tokens are OATH generators; delivered codes only exist as software.
    .addCheckConstraint('tokens_kind_type_check', sql`kind = 'software' or type in ('totp', 'hotp', 'ocra')`)
    .addCheckConstraint('tokens_algorithm_check', sql`algorithm in ('SHA1', 'SHA256', 'SHA512')`)
    .addCheckConstraint('tokens_digits_check', sql`digits in (6, 8)`)
    .addCheckConstraint('tokens_period_check', sql`period in (30, 60)`)
    .addCheckConstraint('tokens_pin_position_check', sql`pin_position in ('before', 'after')`)
    .addCheckConstraint('tokens_ocra_suite_check', sql`(type = 'ocra') = (ocra_suite is not null)`)
    // OATH tokens cannot work without a secret; delivered codes live in otp_challenges instead.
    .addCheckConstraint('tokens_secret_enc_check', sql`(type in ('totp', 'hotp', 'ocra')) = (secret_enc is not null)`)
    .addCheckConstraint('tokens_counters_check', sql`failed_attempts >= 0 and consecutive_failures >= 0 and lock_count >= 0`)
    .addCheckConstraint('tokens_last_step_check', sql`last_step >= -1`)
    .execute();
  await index(db, 'tokens_user_id_idx', 'tokens', 'user_id');
  await index(db, 'tokens_name_idx', 'tokens', 'lower(name) text_pattern_ops');
  await index(db, 'tokens_created_at_id_idx', 'tokens', 'created_at, id');
  await index(db, 'tokens_created_by_idx', 'tokens', 'created_by');

  for (const [table, other, otherTable] of [
    ['resource_users', 'user_id', 'users'],
    ['resource_tokens', 'token_id', 'tokens'],
  ] as const) {
    await db.schema
      .createTable(table)
      .addColumn('resource_id', 'uuid', (c) => c.notNull().references('resources.id').onDelete('cascade'))
      .addColumn(other, 'uuid', (c) => c.notNull().references(`${otherTable}.id`).onDelete('cascade'))
      .$call(createdBy)
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addPrimaryKeyConstraint(`${table}_pkey`, ['resource_id', other])
      .execute();
    await index(db, `${table}_${other}_idx`, table, other);
    await index(db, `${table}_created_by_idx`, table, 'created_by');
  }

  await db.schema
    .createTable('resource_user_tokens')
    .addColumn('resource_id', 'uuid', (c) => c.notNull().references('resources.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('token_id', 'uuid', (c) => c.notNull().references('tokens.id').onDelete('cascade'))
    .$call(createdBy)
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // One token per user per resource (seed rule).
    .addPrimaryKeyConstraint('resource_user_tokens_pkey', ['resource_id', 'user_id'])
    // The token must be owned by the user. No ON UPDATE action: moving or unassigning a token
    // that is still used here fails (23503) until these rows are deleted first, so a token never
    // silently changes hands together with its resource access.
    .addForeignKeyConstraint('resource_user_tokens_token_owner_fkey', ['token_id', 'user_id'], 'tokens', ['id', 'user_id'], (c) => c.onDelete('cascade'))
    .execute();
  await index(db, 'resource_user_tokens_token_id_idx', 'resource_user_tokens', 'token_id, user_id');
  await index(db, 'resource_user_tokens_user_id_idx', 'resource_user_tokens', 'user_id');
  await index(db, 'resource_user_tokens_created_by_idx', 'resource_user_tokens', 'created_by');

  await db.schema
    .createTable('filters')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(uuidPk))
    .addColumn('resource_id', 'uuid', (c) => c.notNull().references('resources.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('mode', 'text')
    .addColumn('config', 'jsonb', (c) => c.notNull())
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .$call(createdBy)
    .$call((t) => timestamps(t))
    .addCheckConstraint('filters_type_check', sql`type in ('ip', 'country', 'time', 'userAgent')`)
    // A time filter is a set of allowed windows, so allow/deny has no meaning for it.
    .addCheckConstraint('filters_mode_check', sql`(type = 'time' and mode is null) or (type <> 'time' and mode is not null and mode in ('allow', 'deny'))`)
    .addCheckConstraint('filters_config_check', sql`jsonb_typeof(config) = 'object'`)
    .execute();
  await index(db, 'filters_resource_id_idx', 'filters', 'resource_id');
  await index(db, 'filters_created_by_idx', 'filters', 'created_by');
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'filters',
    'resource_user_tokens',
    'resource_tokens',
    'resource_users',
    'tokens',
    'users',
    'api_keys',
    'admin_resources',
    'resources',
    'admins',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
