// Self-service portal (DESIGN §12):
// - a unique index on the portal address kept in resources.settings, so two resources never
//   share `/self-service/{address}` (the resources domain checks first for a clear 409; the
//   index decides races);
// - portal_sessions: server-side sessions behind the `vf_ss` cookie, stored by the SHA-256 of
//   their id, so a database reader cannot take one over; `stage` says how far sign-in got;
// - portal_codes: codes the portal sends (sign-in by e-mail, confirming a new e-mail address or
//   phone number), stored as keyed hashes, single use, with an attempt counter.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Enrolment during login: a widget transaction may wait in 'enroll', and its amr says so.
  await sql`alter table widget_transactions drop constraint widget_transactions_state_check`.execute(db);
  await sql`alter table widget_transactions add constraint widget_transactions_state_check check (state in ('identify', 'enroll', 'otp', 'done', 'failed', 'expired'))`.execute(
    db,
  );
  await sql`alter table widget_transactions drop constraint widget_transactions_amr_check`.execute(db);
  await sql`alter table widget_transactions add constraint widget_transactions_amr_check check (amr <@ array['pwd', 'otp', 'bypass', 'enroll']::text[])`.execute(
    db,
  );

  await sql`create unique index resources_self_service_address_idx on resources ((settings #>> '{selfService,address}')) where settings #>> '{selfService,address}' is not null`.execute(
    db,
  );

  await db.schema
    .createTable('portal_sessions')
    .addColumn('id_hash', 'bytea', (c) => c.primaryKey())
    .addColumn('resource_id', 'uuid', (c) => c.notNull().references('resources.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (c) => c.references('users.id').onDelete('cascade'))
    // The login as typed, for sign-in steps before the user is known (never a secret).
    .addColumn('login', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('csrf', 'text', (c) => c.notNull())
    // A token being enrolled: created, not yet confirmed by a code, so not yet assigned.
    .addColumn('pending_token_id', 'uuid', (c) => c.references('tokens.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('portal_sessions_stage_check', sql`stage in ('password', 'code', 'otp', 'signed_in')`)
    .addCheckConstraint('portal_sessions_id_hash_check', sql`octet_length(id_hash) = 32`)
    .execute();
  await db.schema.createIndex('portal_sessions_expires_at_idx').on('portal_sessions').column('expires_at').execute();
  await db.schema.createIndex('portal_sessions_user_id_idx').on('portal_sessions').column('user_id').execute();

  await db.schema
    .createTable('portal_codes')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('session_hash', 'bytea', (c) => c.notNull().references('portal_sessions.id_hash').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    // Where the code went (a new e-mail address or phone number to confirm); null for sign-in.
    .addColumn('target', 'text')
    .addColumn('code_hash', 'bytea', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('portal_codes_purpose_check', sql`purpose in ('sign_in', 'email', 'phone')`)
    .addCheckConstraint('portal_codes_attempts_check', sql`attempts >= 0`)
    .execute();
  await db.schema.createIndex('portal_codes_session_hash_idx').on('portal_codes').column('session_hash').execute();
  await db.schema.createIndex('portal_codes_expires_at_idx').on('portal_codes').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('portal_codes').execute();
  await db.schema.dropTable('portal_sessions').execute();
  await sql`drop index resources_self_service_address_idx`.execute(db);
  await sql`delete from widget_transactions where state = 'enroll' or 'enroll' = any(amr)`.execute(db);
  await sql`alter table widget_transactions drop constraint widget_transactions_state_check`.execute(db);
  await sql`alter table widget_transactions add constraint widget_transactions_state_check check (state in ('identify', 'otp', 'done', 'failed', 'expired'))`.execute(
    db,
  );
  await sql`alter table widget_transactions drop constraint widget_transactions_amr_check`.execute(db);
  await sql`alter table widget_transactions add constraint widget_transactions_amr_check check (amr <@ array['pwd', 'otp', 'bypass']::text[])`.execute(db);
}
