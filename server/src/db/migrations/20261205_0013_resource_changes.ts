// Every change to a resource or its filters is announced on the channel `veriframe_resources`
// (the resource id as payload; `*` after a TRUNCATE), at commit, to every instance listening.
// The authentication hot path keeps resources (credential, policy, filters) in a short-lived
// cache (auth/resource-cache.ts) that drops an entry when its notification arrives. A trigger
// rather than the application announcing its own writes: a write from another instance, the
// CLI, a migration or plain SQL is announced alike.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function veriframe_resource_changed() returns trigger language plpgsql as $$
    begin
      if tg_level = 'STATEMENT' then
        perform pg_notify('veriframe_resources', '*');
      elsif tg_table_name = 'resources' then
        perform pg_notify('veriframe_resources', (case when tg_op = 'DELETE' then old.id else new.id end)::text);
      else
        if tg_op <> 'INSERT' then perform pg_notify('veriframe_resources', old.resource_id::text); end if;
        if tg_op <> 'DELETE' then perform pg_notify('veriframe_resources', new.resource_id::text); end if;
      end if;
      return null;
    end $$`.execute(db);
  for (const table of ['resources', 'filters']) {
    await sql`create trigger ${sql.raw(`${table}_changed`)} after insert or update or delete on ${sql.table(table)} for each row execute function veriframe_resource_changed()`.execute(
      db,
    );
    await sql`create trigger ${sql.raw(`${table}_truncated`)} after truncate on ${sql.table(table)} for each statement execute function veriframe_resource_changed()`.execute(
      db,
    );
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['resources', 'filters']) {
    await sql`drop trigger ${sql.raw(`${table}_changed`)} on ${sql.table(table)}`.execute(db);
    await sql`drop trigger ${sql.raw(`${table}_truncated`)} on ${sql.table(table)}`.execute(db);
  }
  await sql`drop function veriframe_resource_changed()`.execute(db);
}
