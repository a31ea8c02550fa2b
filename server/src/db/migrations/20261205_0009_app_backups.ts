// Authenticator app (DESIGN §13): server backups that the server cannot read. The app encrypts
// its tokens with a key derived from the user's backup password before upload; the server keeps
// the opaque blob under a random id, and the SHA-256 of a write key that only the app holds
// (needed to replace or delete the blob).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('app_backups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('write_key_hash', 'bytea', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('app_backups_write_key_hash_check', sql`octet_length(write_key_hash) = 32`)
    .addCheckConstraint('app_backups_data_check', sql`length(data) <= 700000`)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('app_backups').execute();
}
