// The admin web console (DESIGN §11):
// - resources.builtin: marks the built-in resource "Veriframe console" the console signs in with
//   (its allowed origin is PUBLIC_URL's origin, known only at run time: the server sets it at
//   start, see console/resource.ts).
// - admins.console_user_id: the one user of that resource an administrator signs in as.
// - console_sessions: server-side sessions (only a hash of the cookie value is stored), shared
//   by every instance; idle and absolute expiry are checked against last_seen_at/expires_at.
// - console_nonces: nonces minted for the sign-in page, single use (hash only).
// - console_enrolments: one-time enrolment links of `veriframe admin create|reset-access`.
import { type Kysely, sql } from 'kysely';

export const CONSOLE_RESOURCE_NAME = 'Veriframe console';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('resources').addColumn('builtin', 'text').execute();
  await sql`create unique index resources_builtin_key on resources (builtin) where builtin is not null`.execute(db);
  await db.schema
    .alterTable('admins')
    .addColumn('console_user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .execute();
  await sql`create unique index admins_console_user_id_key on admins (console_user_id) where console_user_id is not null`.execute(db);

  // An installation may already have a resource with this name (names are unique
  // case-insensitively): the built-in one then takes a distinct name.
  const taken = await sql<{ n: number }>`select count(*)::int as n from resources where lower(name) = lower(${CONSOLE_RESOURCE_NAME})`.execute(db);
  const name = taken.rows[0]!.n > 0 ? `${CONSOLE_RESOURCE_NAME} (built-in)` : CONSOLE_RESOURCE_NAME;
  await sql`insert into resources (name, auth_method, builtin) values (${name}, 'password+otp', 'console')`.execute(db);

  await db.schema
    .createTable('console_sessions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('token_hash', 'bytea', (c) => c.notNull().unique())
    .addColumn('admin_id', 'uuid', (c) => c.notNull().references('admins.id').onDelete('cascade'))
    .addColumn('csrf', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('ip', 'text')
    .execute();
  await db.schema.createIndex('console_sessions_admin_id_idx').on('console_sessions').column('admin_id').execute();
  await db.schema.createIndex('console_sessions_expires_at_idx').on('console_sessions').column('expires_at').execute();

  await db.schema
    .createTable('console_nonces')
    .addColumn('nonce_hash', 'bytea', (c) => c.primaryKey())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('console_nonces_expires_at_idx').on('console_nonces').column('expires_at').execute();

  await db.schema
    .createTable('console_enrolments')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('admin_id', 'uuid', (c) => c.notNull().references('admins.id').onDelete('cascade'))
    .addColumn('code_hash', 'bytea', (c) => c.notNull().unique())
    .addColumn('pending_token_id', 'uuid', (c) => c.references('tokens.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('console_enrolments').execute();
  await db.schema.dropTable('console_nonces').execute();
  await db.schema.dropTable('console_sessions').execute();
  await sql`delete from resources where builtin = 'console'`.execute(db);
  await db.schema.alterTable('admins').dropColumn('console_user_id').execute();
  await db.schema.alterTable('resources').dropColumn('builtin').execute();
}
