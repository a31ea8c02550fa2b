import { sql } from 'kysely';

// An expression that makes the statement it appears in commit asynchronously: PostgreSQL answers
// at once and writes the commit to disk with the next WAL flush (at the latest within
// wal_writer_delay, 200 ms), instead of waiting for fdatasync (~3 ms on the machines measured,
// most of a small write's cost; bench/README.md). `set_config(…, true)` lasts until the end of
// the transaction, here the statement's own, so the session keeps synchronous_commit = on; it is
// read at commit, so where the expression stands in the statement does not matter, only that it
// is evaluated (a RETURNING item of a data-modifying CTE always is).
//
// Only for writes whose loss in a crash of PostgreSQL is harmless: the change is visible to
// every other session at once, as with a synchronous commit, and a later synchronous commit (the
// attempt's own outcome, its event) flushes the WAL up to itself, this change included. What a
// crash can lose is only a statement whose request never got to its durable write.
// No effect on PGlite (set_config works; there is no separate flush to wait for).
export const asyncCommit = sql<string>`set_config('synchronous_commit', 'off', true)`;
