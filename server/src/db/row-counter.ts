import { sql } from 'kysely';
import type { Db } from './index.js';

/** The counters migration 0003 keeps in `row_counts`, by the table they count. */
type RowCounter = 'tokens' | 'events';

/**
 * The exact number of rows of a counted table: the sum of its counter's stripes, which triggers
 * keep in the same transaction as every insert and delete (migrations 0003/0004), so 16 rows are
 * read instead of the whole table. Inside a transaction it includes that transaction's own
 * changes, like count(*) would.
 */
export async function readRowCount(db: Db, name: RowCounter): Promise<number> {
  const row = await sql<{ n: string | null }>`select sum(n)::text as n from row_counts where name = ${name}`.execute(db);
  return Number(row.rows[0]?.n ?? 0);
}
