// Prepared statements on PostgreSQL connections (DESIGN §9).
//
// node-postgres sends a query without a name as an unnamed statement, which the server parses,
// analyses and plans anew every time. For the small indexed queries of the authentication hot
// path that is most of the server's work: measured on 2 cores, planning the joined user/token
// read took ~0.6 ms of PostgreSQL CPU per request against ~0.1 ms to run it. So a statement seen
// a second time on a connection is prepared there under a name derived from its text, and from
// then on only bound and executed: PostgreSQL keeps its parse tree, and its plan cache chooses a
// generic plan only where that is not costlier than planning for each set of parameters.
//
// Bounded per connection: statements seen once (one-off texts such as multi-row INSERTs of a
// varying size) are not prepared, at most MAX_PREPARED are, and only plain DML is. When the
// server can no longer use a prepared statement (a migration changed the columns of a `select *`
// under a running instance: "cached plan must not change result type"; or the statement is gone
// after DISCARD ALL), that text runs unprepared on that connection from then on; the failed
// attempt did nothing, so outside a transaction it is simply sent again.
//
// PgBouncer in transaction-pooling mode needs `max_prepared_statements` (1.21+) for this.
//
// The embedded PGlite session prepares by the same rule (StatementNames), see pglite-prepared.ts.
import { createHash } from 'node:crypto';
import type pg from 'pg';

/** Prepared statements per connection at most. */
export const MAX_PREPARED = 100;
/** Texts remembered as "seen once" per connection at most (the memory is cleared when full). */
const MAX_SEEN = 1_000;

const DML = /^\s*(select|insert|update|delete|with)\b/i;

// feature_not_supported ("cached plan must not change result type"), invalid_sql_statement_name.
const UNUSABLE = new Set(['0A000', '26000']);

/**
 * Which statement texts of one session are prepared, and under which name: a DML text seen a
 * second time, up to MAX_PREPARED of them (see above). Shared by node-postgres connections and the
 * embedded PGlite session (pglite-prepared.ts).
 */
export class StatementNames {
  readonly #prepared = new Map<string, string>();
  readonly #seen = new Set<string>();
  readonly #unprepared = new Set<string>();

  /** The name to run `text` under, or undefined to run it unprepared this time. */
  nameFor(text: string): string | undefined {
    if (this.#unprepared.has(text)) return undefined;
    const known = this.#prepared.get(text);
    if (known || !DML.test(text)) return known;
    if (!this.#seen.has(text)) {
      if (this.#seen.size >= MAX_SEEN) this.#seen.clear();
      this.#seen.add(text);
      return undefined;
    }
    if (this.#prepared.size >= MAX_PREPARED) return undefined;
    this.#seen.delete(text);
    const name = statementName(text);
    this.#prepared.set(text, name);
    return name;
  }

  /** `text` runs unprepared from now on (its name stays counted: the session may keep it). */
  giveUp(text: string): void {
    this.#unprepared.add(text);
  }
}

/** The name of a prepared statement: derived from its text, so a session never holds two for one text. */
export const statementName = (text: string): string => `vf_${createHash('sha256').update(text).digest('base64url').slice(0, 32)}`;

/** True for a SQLSTATE that means the session can no longer use a prepared statement. */
export const isUnusablePrepared = (code: unknown): boolean => typeof code === 'string' && UNUSABLE.has(code);

/** Makes `client` prepare the statements it runs repeatedly (see above); call once per new connection. */
export function prepareRepeatedStatements(client: pg.ClientBase): void {
  const query = client.query.bind(client) as (...args: unknown[]) => Promise<pg.QueryResult>;
  const names = new StatementNames();

  // Only the promise form with a text and an array of values (what Kysely sends) is changed;
  // callbacks, query objects and cursors pass through as they are.
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const [text, values] = args;
    if (args.length > 2 || typeof text !== 'string' || (values !== undefined && !Array.isArray(values))) return query(...args);
    const name = names.nameFor(text);
    if (!name) return query(...args);
    return query({ name, text, values }).catch((err: unknown) => {
      if (!isUnusablePrepared((err as { code?: unknown } | null)?.code)) throw err;
      names.giveUp(text);
      // Inside a transaction the failure aborted it: then the first error is the one to report.
      return query(text, values).catch((retryErr: unknown) => {
        throw (retryErr as { code?: unknown } | null)?.code === '25P02' ? err : retryErr;
      });
    });
  };
}
