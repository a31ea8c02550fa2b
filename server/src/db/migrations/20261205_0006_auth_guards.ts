// Guards of the one authentication pipeline (DESIGN §10):
// - login_attempts: a failure counter per login and resource with a progressive delay, so
//   password guessing spread over many IPs is limited like guessing from one.
// - rate_windows: fixed-window counters for actions that are not guesses but cost something
//   (sending a code, starting a widget transaction), keyed by a bucket name and a key.
// - otp_challenges of kind 'transaction': OCRA "confirm what you see" challenges, random and
//   bound to a keyed hash of the transaction data, kept apart from login challenges so that an
//   answer for one is never accepted as the other.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('login_attempts')
    .addColumn('resource_id', 'uuid', (c) => c.notNull().references('resources.id').onDelete('cascade'))
    // lower() of the NFC login as typed: unknown logins are counted too, so counting tells nothing.
    .addColumn('login_key', 'text', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lock_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('login_attempts_pkey', ['resource_id', 'login_key'])
    .addCheckConstraint('login_attempts_counts_check', sql`failures >= 0 and lock_count >= 0`)
    .execute();
  await db.schema.createIndex('login_attempts_updated_at_idx').on('login_attempts').column('updated_at').execute();

  await db.schema
    .createTable('rate_windows')
    .addColumn('bucket', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('window_start', 'timestamptz', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('rate_windows_pkey', ['bucket', 'key'])
    .execute();
  await db.schema.createIndex('rate_windows_window_start_idx').on('rate_windows').column('window_start').execute();

  await db.schema.alterTable('otp_challenges').addColumn('data_hash', 'bytea').execute();
  await sql`alter table otp_challenges drop constraint otp_challenges_kind_check`.execute(db);
  await sql`alter table otp_challenges drop constraint otp_challenges_content_check`.execute(db);
  await sql`alter table otp_challenges add constraint otp_challenges_kind_check check (kind in ('code', 'ocra', 'transaction'))`.execute(db);
  await sql`alter table otp_challenges add constraint otp_challenges_content_check check (
    (kind = 'code' and code_hash is not null) or (kind = 'ocra' and challenge is not null)
    or (kind = 'transaction' and challenge is not null and data_hash is not null))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from otp_challenges where kind = 'transaction'`.execute(db);
  await sql`alter table otp_challenges drop constraint otp_challenges_kind_check`.execute(db);
  await sql`alter table otp_challenges drop constraint otp_challenges_content_check`.execute(db);
  await sql`alter table otp_challenges add constraint otp_challenges_kind_check check (kind in ('code', 'ocra'))`.execute(db);
  await sql`alter table otp_challenges add constraint otp_challenges_content_check check ((kind = 'code' and code_hash is not null) or (kind = 'ocra' and challenge is not null))`.execute(
    db,
  );
  await db.schema.alterTable('otp_challenges').dropColumn('data_hash').execute();
  await db.schema.dropTable('rate_windows').execute();
  await db.schema.dropTable('login_attempts').execute();
}
