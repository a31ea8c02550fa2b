// Web Push subscriptions of push tokens (DESIGN §13, "Web Push when configured"): where the
// push service of the device's browser takes messages for it (endpoint) and the keys the
// message is encrypted to (RFC 8291: the subscriber's P-256 public key and its 16-byte auth
// secret). One per push token: the app registers its service worker's subscription again when it
// changes, and a reissued token (new enrolment) drops it. The endpoint is a capability URL: it is
// never logged, only its origin.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('push_subscriptions')
    .addColumn('token_id', 'uuid', (c) => c.primaryKey().references('tokens.id').onDelete('cascade'))
    .addColumn('endpoint', 'text', (c) => c.notNull())
    .addColumn('p256dh', 'bytea', (c) => c.notNull())
    .addColumn('auth', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('push_subscriptions_endpoint_check', sql`endpoint like 'https://%' and length(endpoint) <= 2048`)
    .addCheckConstraint('push_subscriptions_keys_check', sql`octet_length(p256dh) = 65 and octet_length(auth) = 16`)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('push_subscriptions').execute();
}
