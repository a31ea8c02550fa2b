// The Kysely dialect of the embedded database: kysely-pglite-dialect's, with statements run
// through pglite-prepared.ts (named prepared statements for the ones a session runs repeatedly).
//
// As in kysely-pglite-dialect, PGlite is one session and so one connection: it is handed to one
// user at a time, and a Kysely transaction keeps it from `begin` to `commit`, so every statement
// of a transaction (prepared ones included) runs inside it and nothing else runs in between.
import type { PGlite } from '@electric-sql/pglite';
import { CompiledQuery, type DatabaseConnection, type Driver, type QueryResult, type TransactionSettings } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { queryPrepared } from './pglite-prepared.js';

export class PreparedPGliteDialect extends PGliteDialect {
  readonly #pglite: PGlite;

  constructor(pglite: PGlite) {
    super(pglite);
    this.#pglite = pglite;
  }

  override createDriver(): Driver {
    return new PreparedPGliteDriver(this.#pglite);
  }
}

class PreparedPGliteConnection implements DatabaseConnection {
  constructor(readonly pglite: PGlite) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const result = await queryPrepared<R>(this.pglite, compiledQuery.sql, compiledQuery.parameters);
    // As kysely-pglite-dialect reports it (no count for 0 rows; Kysely then says 0).
    return result.affectedRows ? { numAffectedRows: BigInt(result.affectedRows), rows: result.rows } : { rows: result.rows };
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery, chunkSize: number): AsyncIterableIterator<QueryResult<R>> {
    if (!Number.isInteger(chunkSize) || chunkSize <= 0) throw new Error('chunkSize must be a positive integer');
    const { rows } = await this.executeQuery<R>(compiledQuery);
    for (let i = 0; i < rows.length; i += chunkSize) yield { rows: rows.slice(i, i + chunkSize) };
  }
}

class PreparedPGliteDriver implements Driver {
  #pglite: PGlite | undefined;
  #connection: PreparedPGliteConnection | undefined;
  readonly #queue: ((connection: PreparedPGliteConnection) => void)[] = [];

  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }

  async init(): Promise<void> {}

  // One user at a time: the next waits until the current one releases the connection.
  async acquireConnection(): Promise<DatabaseConnection> {
    if (!this.#pglite) throw new Error('PGLite not initialized');
    if (this.#connection) return new Promise((resolve) => this.#queue.push(resolve));
    this.#connection = new PreparedPGliteConnection(this.#pglite);
    return this.#connection;
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    if (connection !== this.#connection) throw new Error('Invalid connection');
    const next = this.#queue.shift();
    if (next) next(this.#connection);
    else this.#connection = undefined;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const begin = settings.isolationLevel ? `start transaction isolation level ${settings.isolationLevel}` : 'begin';
    await connection.executeQuery(CompiledQuery.raw(begin));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  // Closing PGlite flushes it to disk (as kysely-pglite-dialect does).
  async destroy(): Promise<void> {
    await this.#pglite?.close();
    this.#pglite = undefined;
  }
}
