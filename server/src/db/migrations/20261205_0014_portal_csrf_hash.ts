// Portal sessions keep only the SHA-256 of their CSRF value, like console sessions (0009): the
// value is derived from the cookie (http/csrf.ts), so a reloaded page gets it again without it
// being stored. Sessions opened before this migration have no derivable value: they end, and
// users sign in again (a portal session lasts 10 minutes idle at most).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`delete from portal_sessions`.execute(db);
  await sql`alter table portal_sessions drop column csrf`.execute(db);
  await sql`alter table portal_sessions add column csrf_hash bytea not null`.execute(db);
  await sql`alter table portal_sessions add constraint portal_sessions_csrf_hash_check check (octet_length(csrf_hash) = 32)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from portal_sessions`.execute(db);
  await sql`alter table portal_sessions drop column csrf_hash`.execute(db);
  await sql`alter table portal_sessions add column csrf text not null`.execute(db);
}
