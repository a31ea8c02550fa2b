// token_confirmations: the code an administrator asks for to confirm a new e-mail, SMS or bot
// token (DESIGN §11: a token is not usable until confirmed). It goes to the address of the
// token's user, is stored as a keyed hash, lives 10 minutes and allows a few attempts. Not an
// otp_challenge: those belong to a resource's sign-ins, and a code sent to confirm a token must
// never open a sign-in.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('token_confirmations')
    .addColumn('token_id', 'uuid', (c) => c.primaryKey().references('tokens.id').onDelete('cascade'))
    .addColumn('code_hash', 'bytea', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('token_confirmations_attempts_check', sql`attempts >= 0`)
    .execute();
  await db.schema.createIndex('token_confirmations_expires_at_idx').on('token_confirmations').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('token_confirmations').execute();
}
