// Push tokens (DESIGN §13):
// - tokens.type may be 'push' (software only, no OATH secret: the existing checks say so);
// - push_devices: one row per push token: the hash of its one-time enrolment secret (single use,
//   expiring) and, once the app registered, the device's public key (SPKI DER, ECDSA P-256);
// - push_challenges: a login or transaction waiting for the device's signed answer; the row is
//   the state every server instance shares (the app's stream on one instance sees a challenge
//   opened on another by reading it here).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table tokens drop constraint tokens_type_check`.execute(db);
  await sql`alter table tokens add constraint tokens_type_check check (type in ('totp', 'hotp', 'ocra', 'email', 'sms', 'bot', 'push'))`.execute(db);

  await db.schema
    .createTable('push_devices')
    .addColumn('token_id', 'uuid', (c) => c.primaryKey().references('tokens.id').onDelete('cascade'))
    .addColumn('enrol_hash', 'bytea')
    .addColumn('enrol_expires_at', 'timestamptz')
    .addColumn('public_key', 'bytea')
    .addColumn('registered_at', 'timestamptz')
    .addColumn('last_seen_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'push_devices_enrol_check',
      sql`(enrol_hash is null) = (enrol_expires_at is null) and (enrol_hash is null or octet_length(enrol_hash) = 32)`,
    )
    .execute();

  await db.schema
    .createTable('push_challenges')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('token_id', 'uuid', (c) => c.notNull().references('tokens.id').onDelete('cascade'))
    .addColumn('resource_id', 'uuid', (c) => c.notNull().references('resources.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    // What the app shows (resource name, login, IP, country, user agent, data); never a secret.
    .addColumn('details', 'jsonb', (c) => c.notNull())
    .addColumn('data_hash', 'bytea')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('decided_at', 'timestamptz')
    // Set when the waiting sign-in took the decision: an approval completes one sign-in only.
    .addColumn('used_at', 'timestamptz')
    .addCheckConstraint('push_challenges_purpose_check', sql`purpose in ('login', 'transaction')`)
    .addCheckConstraint('push_challenges_status_check', sql`status in ('pending', 'approved', 'denied')`)
    .addCheckConstraint('push_challenges_data_check', sql`(purpose = 'transaction') = (data_hash is not null)`)
    .execute();
  await sql`create index push_challenges_pending_idx on push_challenges (token_id, created_at) where status = 'pending'`.execute(db);
  await db.schema.createIndex('push_challenges_expires_at_idx').on('push_challenges').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('push_challenges').execute();
  await db.schema.dropTable('push_devices').execute();
  await sql`delete from tokens where type = 'push'`.execute(db);
  await sql`alter table tokens drop constraint tokens_type_check`.execute(db);
  await sql`alter table tokens add constraint tokens_type_check check (type in ('totp', 'hotp', 'ocra', 'email', 'sms', 'bot'))`.execute(db);
}
