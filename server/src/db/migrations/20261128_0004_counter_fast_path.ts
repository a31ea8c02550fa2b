// The row counters of 0003 on the hot path (DESIGN §9, measured by `npm run bench`): every event
// INSERT, and so every authentication, adds to a counter stripe. 0003 picks the stripe with one
// ordered scan over the counter's stripes (FOR UPDATE SKIP LOCKED, LIMIT 1); measured on
// PostgreSQL that scan was two thirds of the trigger's cost, ~0.1 ms of server CPU per INSERT.
// The stripe it picks is nearly always the backend's home stripe, so that one is now tried first,
// found by its key; only when another transaction holds it does the ordered scan of 0003 run, as
// before. Same semantics: never waits while any stripe is free, queues for the home stripe only
// after a second of every stripe being held.
import { type Kysely, sql } from 'kysely';

/** As in 0003 (the number of stripes it created per counter). */
const STRIPES = 16;

const body = (fastPath: boolean) => sql`
  create or replace function row_counts_add(counter text, d bigint) returns void language plpgsql set search_path from current as $$
  declare
    home constant int := pg_backend_pid() % ${sql.lit(STRIPES)};
    give_up constant timestamptz := clock_timestamp() + interval '1 second';
  begin
    ${
      fastPath
        ? sql.raw(`update row_counts set n = n + d
    where name = counter and stripe = (select stripe from row_counts where name = counter and stripe = home for update skip locked);
    if found then
      return;
    end if;`)
        : sql.raw('')
    }
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
  $$`;

export async function up(db: Kysely<any>): Promise<void> {
  await body(true).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await body(false).execute(db);
}
