// Console sessions keep only the SHA-256 of their CSRF value (like the cookie's), so a copy of
// the table gives neither half of a session. The value itself is derived from the cookie (see
// console/sessions.ts), which lets a reloaded page get it again without it being stored.
// Sessions opened before this migration have no derivable value: they end, and administrators
// sign in again (a session lasts 12 h at most anyway).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`delete from console_sessions`.execute(db);
  await sql`alter table console_sessions drop column csrf`.execute(db);
  await sql`alter table console_sessions add column csrf_hash bytea not null`.execute(db);
  await sql`alter table console_sessions add constraint console_sessions_csrf_hash_check check (octet_length(csrf_hash) = 32)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from console_sessions`.execute(db);
  await sql`alter table console_sessions drop column csrf_hash`.execute(db);
  await sql`alter table console_sessions add column csrf text not null`.execute(db);
}
