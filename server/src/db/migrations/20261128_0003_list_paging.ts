// Admin lists that stay flat at 100 000 tokens (DESIGN §9): exact totals without count(*) over
// the table, and searches served by indexes.
//
// Totals: `row_counts` holds the number of rows of tokens and of events, kept by statement-level
// triggers in the same transaction as the change, so a committed count is always the committed
// row count (no estimate: `total` is part of the API contract). Each counter is split over
// STRIPES rows, and reading the total sums them. A counter row stays locked from the change until
// commit: with one row every token creation and every authentication event (the hot path) would
// queue behind the previous one, and behind a whole CSV import for as long as it runs. So a
// change takes the first stripe no other transaction holds (FOR UPDATE SKIP LOCKED), starting at
// the one its backend's process id points to, so that connections mostly keep to their own
// stripe and a transaction that already holds one keeps using it. When other transactions hold
// all STRIPES rows of that counter at once, it retries every millisecond for up to a second (short
// transactions free theirs quickly) and only then queues for its home stripe.
//
// Statement-level triggers with transition tables fire once per INSERT/DELETE statement, so an
// import of 500 rows per statement costs one counter update per statement, not 500. TRUNCATE
// (tests, `audit` tooling) resets the counter. UPDATEs (the token hot path, the event sealer)
// fire nothing. The price: every event INSERT, also an authentication's, runs one trigger and
// one UPDATE of a small, HOT-updated counter row in its own transaction.
//
// Searches: token search matches the start of the serial number or of the name (see listTokens);
// `lower(name) text_pattern_ops` exists since 0001, the serial number gets the same kind of index.
// text_pattern_ops serves LIKE 'abc%' whatever the database collation is.
//
// Plain PostgreSQL and PL/pgSQL only: the migration runs on PGlite, where extensions are not
// available.
import { type Kysely, sql } from 'kysely';

/** Rows per counter. Readers sum whatever rows a counter has, so a later migration may add stripes. */
const STRIPES = 16;

/** The counters this migration maintains: counter name → table. */
const COUNTED = { tokens: 'tokens', events: 'events' } as const;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('row_counts')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('stripe', 'smallint', (c) => c.notNull())
    .addColumn('n', 'bigint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('row_counts_pkey', ['name', 'stripe'])
    .execute();

  // Adds `d` to a counter on a stripe this transaction may take without waiting (see above).
  // `search_path from current` pins the schema the migration ran in, so a session with another
  // search_path (psql, a maintenance script) still updates the right counter.
  await sql`
    create function row_counts_add(counter text, d bigint) returns void language plpgsql set search_path from current as $$
    declare
      home constant int := pg_backend_pid() % ${sql.lit(STRIPES)};
      give_up constant timestamptz := clock_timestamp() + interval '1 second';
    begin
      loop
        update row_counts set n = n + d
        where name = counter and stripe = (
          select stripe from row_counts where name = counter
          order by (stripe - home + ${sql.lit(STRIPES)}) % ${sql.lit(STRIPES)}
          limit 1 for update skip locked);
        exit when found;
        if clock_timestamp() > give_up then
          -- Long transactions hold every stripe: queue for the home one.
          update row_counts set n = n + d where name = counter and stripe = home;
          exit;
        end if;
        perform pg_sleep(0.001);
      end loop;
    end
    $$`.execute(db);
  // The counter name comes as the trigger argument, so one function serves every table. A
  // statement that changed no rows (e.g. DELETE of an unknown id) touches no counter row.
  await sql`
    create function row_counts_insert() returns trigger language plpgsql set search_path from current as $$
    declare
      d bigint;
    begin
      select count(*) into d from new_rows;
      if d > 0 then
        perform row_counts_add(tg_argv[0], d);
      end if;
      return null;
    end
    $$`.execute(db);
  await sql`
    create function row_counts_delete() returns trigger language plpgsql set search_path from current as $$
    declare
      d bigint;
    begin
      select count(*) into d from old_rows;
      if d > 0 then
        perform row_counts_add(tg_argv[0], -d);
      end if;
      return null;
    end
    $$`.execute(db);
  // TRUNCATE takes an exclusive lock on the table, so no change to it is in flight.
  await sql`
    create function row_counts_truncate() returns trigger language plpgsql set search_path from current as $$
    begin
      update row_counts set n = 0 where name = tg_argv[0];
      return null;
    end
    $$`.execute(db);

  for (const [name, table] of Object.entries(COUNTED)) {
    // Triggers first: CREATE TRIGGER locks the table against writes until this migration commits,
    // so the count(*) below sees every row, and every later row is counted by the triggers.
    // (Transition tables allow one event per trigger, hence one trigger per event.)
    await sql`
      create trigger ${sql.id(`${table}_count_insert`)} after insert on ${sql.id(table)}
      referencing new table as new_rows for each statement execute function row_counts_insert(${sql.lit(name)})`.execute(db);
    await sql`
      create trigger ${sql.id(`${table}_count_delete`)} after delete on ${sql.id(table)}
      referencing old table as old_rows for each statement execute function row_counts_delete(${sql.lit(name)})`.execute(db);
    await sql`
      create trigger ${sql.id(`${table}_count_truncate`)} after truncate on ${sql.id(table)}
      for each statement execute function row_counts_truncate(${sql.lit(name)})`.execute(db);
    await sql`
      insert into row_counts (name, stripe, n)
      select ${name}, s, case when s = 0 then (select count(*) from ${sql.id(table)}) else 0 end
      from generate_series(0, ${sql.lit(STRIPES - 1)}) as s`.execute(db);
  }

  await db.schema.createIndex('tokens_serial_number_lower_idx').on('tokens').expression(sql`lower(serial_number) text_pattern_ops`).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('tokens_serial_number_lower_idx').execute();
  for (const table of Object.values(COUNTED)) {
    for (const event of ['insert', 'delete', 'truncate']) {
      await sql`drop trigger ${sql.id(`${table}_count_${event}`)} on ${sql.id(table)}`.execute(db);
    }
  }
  await sql`drop function row_counts_insert(), row_counts_delete(), row_counts_truncate(), row_counts_add(text, bigint)`.execute(db);
  await db.schema.dropTable('row_counts').execute();
}
