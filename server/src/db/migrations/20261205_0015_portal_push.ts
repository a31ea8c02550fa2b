// Push approval in the portal's own sign-in (DESIGN §12/§13): a session may wait at stage 'push'
// for the user's authenticator app, and remembers which challenge completes it (the widget's
// transactions do the same with their challenge_id). A purged challenge leaves the session
// waiting for nothing, which the portal answers as "start again".
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table portal_sessions drop constraint portal_sessions_stage_check`.execute(db);
  await sql`alter table portal_sessions add constraint portal_sessions_stage_check check (stage in ('password', 'code', 'otp', 'push', 'signed_in'))`.execute(
    db,
  );
  await sql`alter table portal_sessions add column push_challenge_id uuid references push_challenges(id) on delete set null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from portal_sessions where stage = 'push'`.execute(db);
  await sql`alter table portal_sessions drop column push_challenge_id`.execute(db);
  await sql`alter table portal_sessions drop constraint portal_sessions_stage_check`.execute(db);
  await sql`alter table portal_sessions add constraint portal_sessions_stage_check check (stage in ('password', 'code', 'otp', 'signed_in'))`.execute(db);
}
