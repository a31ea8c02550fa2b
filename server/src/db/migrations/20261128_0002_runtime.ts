// Runtime state: the hash-chained event log, widget transactions, sent-code/OCRA challenges,
// JWT signing keys, single-use JWT ids, per-IP throttling and global settings. Every counter and
// single-use marker lives here so that many stateless server instances can share one database.
import { type Kysely, sql } from 'kysely';

async function index(db: Kysely<any>, name: string, table: string, expr: string, where?: string) {
  let b = db.schema.createIndex(name).on(table).expression(sql.raw(expr));
  if (where) b = b.where(sql.raw<boolean>(where));
  await b.execute();
}

export async function up(db: Kysely<any>): Promise<void> {
  // No foreign keys: an event must outlive the resource, user or token it talks about, and the
  // insert sits on the authentication hot path.
  await db.schema
    .createTable('events')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('actor_admin_id', 'uuid')
    .addColumn('actor', 'text')
    .addColumn('resource_id', 'uuid')
    .addColumn('user_id', 'uuid')
    .addColumn('token_id', 'uuid')
    .addColumn('ip', 'text')
    .addColumn('result', 'text')
    .addColumn('reason', 'text')
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    // Written by the sealer, never by the inserting request.
    .addColumn('hash', 'bytea')
    .addCheckConstraint('events_result_check', sql`result is null or result in ('success', 'failure')`)
    .addCheckConstraint('events_details_check', sql`jsonb_typeof(details) = 'object'`)
    .addCheckConstraint('events_hash_check', sql`hash is null or octet_length(hash) = 32`)
    .execute();
  await index(db, 'events_created_at_idx', 'events', 'created_at');
  await index(db, 'events_resource_id_id_idx', 'events', 'resource_id, id');
  await index(db, 'events_user_id_id_idx', 'events', 'user_id, id');
  await index(db, 'events_token_id_id_idx', 'events', 'token_id, id');
  await index(db, 'events_type_id_idx', 'events', 'type, id');
  // Most events (authentications) have no admin actor, so a partial index stays small.
  await index(db, 'events_actor_admin_id_id_idx', 'events', 'actor_admin_id, id', 'actor_admin_id is not null');
  // The sealer's work queue: rows leave this index as soon as they are sealed.
  await index(db, 'events_unsealed_idx', 'events', 'id', 'hash is null');

  await db.schema
    .createTable('event_chain_state')
    .addColumn('id', 'smallint', (c) => c.primaryKey().defaultTo(1))
    // 0 = nothing sealed yet (identity ids start at 1).
    .addColumn('last_sealed_id', 'bigint', (c) => c.notNull().defaultTo(0))
    // The genesis "previous hash" is 32 zero bytes, so the sealer never special-cases the start.
    .addColumn('last_hash', 'bytea', (c) => c.notNull().defaultTo(sql`decode(repeat('00', 32), 'hex')`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('event_chain_state_id_check', sql`id = 1`)
    .addCheckConstraint('event_chain_state_last_hash_check', sql`octet_length(last_hash) = 32`)
    .execute();
  await sql`insert into event_chain_state (id) values (1)`.execute(db);

  await db.schema
    .createTable('widget_transactions')
    .addColumn('id_hash', 'bytea', (c) => c.primaryKey())
    .addColumn('resource_id', 'uuid', (c) => c.notNull().references('resources.id').onDelete('cascade'))
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('instance', 'text')
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('identify'))
    // Plain ids, no foreign keys: every step re-reads the user and token (active, locked, owner)
    // anyway, and the row lives for ten minutes at most.
    .addColumn('user_id', 'uuid')
    .addColumn('token_id', 'uuid')
    .addColumn('amr', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(5))
    .addColumn('challenge_id', 'uuid')
    .addColumn('client_ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('completed_at', 'timestamptz')
    .addCheckConstraint('widget_transactions_id_hash_check', sql`octet_length(id_hash) = 32`)
    .addCheckConstraint('widget_transactions_state_check', sql`state in ('identify', 'otp', 'done', 'failed', 'expired')`)
    .addCheckConstraint('widget_transactions_amr_check', sql`amr <@ array['pwd', 'otp', 'bypass']::text[]`)
    .addCheckConstraint('widget_transactions_attempts_check', sql`attempts >= 0 and max_attempts > 0`)
    .execute();
  await index(db, 'widget_transactions_expires_at_idx', 'widget_transactions', 'expires_at');
  await index(db, 'widget_transactions_resource_id_idx', 'widget_transactions', 'resource_id');

  await db.schema
    .createTable('otp_challenges')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('token_id', 'uuid', (c) => c.notNull().references('tokens.id').onDelete('cascade'))
    .addColumn('resource_id', 'uuid', (c) => c.notNull().references('resources.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'bytea')
    .addColumn('challenge', 'text')
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz')
    .addColumn('used_at', 'timestamptz')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('otp_challenges_kind_check', sql`kind in ('code', 'ocra')`)
    // A sent code is only ever checked against its hash; an OCRA question is public by nature.
    .addCheckConstraint('otp_challenges_content_check', sql`(kind = 'code' and code_hash is not null) or (kind = 'ocra' and challenge is not null)`)
    .addCheckConstraint('otp_challenges_attempts_check', sql`attempts >= 0`)
    .execute();
  await index(db, 'otp_challenges_token_id_created_at_idx', 'otp_challenges', 'token_id, created_at');
  await index(db, 'otp_challenges_resource_id_idx', 'otp_challenges', 'resource_id');
  await index(db, 'otp_challenges_expires_at_idx', 'otp_challenges', 'expires_at');

  await db.schema
    .createTable('signing_keys')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('alg', 'text', (c) => c.notNull().defaultTo('ES256'))
    .addColumn('public_jwk', 'jsonb', (c) => c.notNull())
    .addColumn('private_enc', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('activates_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('retires_at', 'timestamptz')
    .addColumn('expires_at', 'timestamptz')
    .addCheckConstraint('signing_keys_alg_check', sql`alg in ('ES256', 'ES384', 'ES512', 'EdDSA')`)
    .addCheckConstraint('signing_keys_public_jwk_check', sql`jsonb_typeof(public_jwk) = 'object'`)
    .addCheckConstraint(
      'signing_keys_dates_check',
      sql`(retires_at is null or retires_at >= activates_at) and (expires_at is null or retires_at is null or expires_at >= retires_at)`,
    )
    .execute();

  // No foreign key: rows are purged by expires_at and must not slow down resource deletion.
  await db.schema
    .createTable('used_jtis')
    .addColumn('jti', 'text', (c) => c.primaryKey())
    .addColumn('resource_id', 'uuid', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await index(db, 'used_jtis_expires_at_idx', 'used_jtis', 'expires_at');

  await db.schema
    .createTable('auth_throttle')
    .addColumn('resource_id', 'uuid', (c) => c.notNull().references('resources.id').onDelete('cascade'))
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('window_start', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    // Leading resource_id also serves the foreign key.
    .addPrimaryKeyConstraint('auth_throttle_pkey', ['resource_id', 'ip'])
    .addCheckConstraint('auth_throttle_failures_check', sql`failures >= 0`)
    .execute();
  await index(db, 'auth_throttle_window_start_idx', 'auth_throttle', 'window_start');

  await db.schema
    .createTable('system_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'system_settings',
    'auth_throttle',
    'used_jtis',
    'signing_keys',
    'otp_challenges',
    'widget_transactions',
    'event_chain_state',
    'events',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
