import fs from 'node:fs/promises';
import path from 'node:path';
import { PGlite, types, type PGliteOptions } from '@electric-sql/pglite';
import { CamelCasePlugin, Kysely, Migrator, PostgresDialect, sql, type MigrationResultSet } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { DatabaseTarget } from '../config.js';
import type { Logger } from '../logger.js';
import { attachChangeFeed, pgliteChangeFeed, postgresChangeFeed } from './changes.js';
import { migrations } from './migrations/index.js';
import { checkWritable, dataDirError, fileErrorCode, isEmptyDir } from './data-dir.js';
import { guardQueries, probeWith, type QueryLimit } from './guard.js';
import { lockDataDir } from './lock.js';
import { PreparedPGliteDialect } from './pglite-dialect.js';
import { prepareRepeatedStatements } from './prepared.js';
import type { Database } from './types.js';

export type { Database };
export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
  /**
   * From now on a PostgreSQL statement unanswered for `ms` on a connection whose session is no
   * longer busy ends that connection (guard.ts); 0 turns the guard off. Nothing on PGlite, which
   * has no network to lose.
   */
  limitQueries(ms: number): void;
  /** PostgreSQL only: the connection pool (its counts are reported at /metrics). */
  pool?: pg.Pool;
}

// Keys inside jsonb values are data, not column names: they must come back as they were written
// (the event chain hashes them).
export const createPlugins = () => [new MemoCamelCasePlugin({ maintainNestedObjectKeys: true })];

/**
 * CamelCasePlugin converts every column name of every result row, character by character; the
 * names are few and recur, so each conversion is remembered (DESIGN §9: result mapping was a
 * visible part of the hot path's event-loop time).
 */
class MemoCamelCasePlugin extends CamelCasePlugin {
  readonly #camel = new Map<string, string>();
  readonly #snake = new Map<string, string>();

  override camelCase(str: string): string {
    return memo(this.#camel, str, () => super.camelCase(str));
  }

  override snakeCase(str: string): string {
    return memo(this.#snake, str, () => super.snakeCase(str));
  }
}

// Column names and aliases are a bounded set; the bound only guards against unexpected ones.
function memo(map: Map<string, string>, key: string, make: () => string): string {
  let value = map.get(key);
  if (value === undefined) {
    if (map.size >= 10_000) map.clear();
    map.set(key, (value = make()));
  }
  return value;
}
const plugins = createPlugins();

// PGlite must hand back the same JavaScript types as node-postgres, so that code and tests behave
// alike on both engines: int8 as a string, bytea as a Buffer.
export const pgliteOptions: PGliteOptions = {
  parsers: {
    [types.INT8]: (x: string) => x,
    [types.BYTEA]: (x: string) => Buffer.from(x.slice(2), 'hex'),
  },
};

/**
 * Opens the database described by the configuration. `schema` isolates tests on a shared server;
 * `log` hears of connections lost (without it they are only dropped, never thrown).
 */
export async function openDatabase(
  target: DatabaseTarget,
  opts: {
    schema?: string;
    poolSize?: number;
    log?: Pick<Logger, 'warn' | 'info'>;
    resourceCache?: boolean;
    /** PGlite: false sends every statement unprepared, through PGlite's query() (the bench's "before"). */
    preparePglite?: boolean;
  } = {},
): Promise<DatabaseHandle> {
  if (target.kind === 'postgres') {
    const limit = { ms: 0 };
    const pool = createPostgresPool(target.url, {
      max: opts.poolSize ?? 10,
      limit,
      ...(opts.schema ? { schema: opts.schema } : {}),
      ...(opts.log ? { log: opts.log } : {}),
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins });
    // Without a feed nothing is cached: every request reads the resource (VERIFRAME_RESOURCE_CACHE=false).
    const feed =
      opts.resourceCache === false ? undefined : postgresChangeFeed({ connectionString: target.url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS }, opts.log);
    if (feed) attachChangeFeed(db, feed);
    return {
      db,
      kind: 'postgres',
      pool,
      close: async () => {
        await feed?.close();
        await db.destroy();
      },
      limitQueries: (ms) => void (limit.ms = ms),
    };
  }
  let pglite: PGlite;
  let unlock = async () => {};
  if (target.kind === 'pglite-file') {
    const dir = path.join(target.dataDir, 'pgdata');
    await checkWritable(target.dataDir);
    const fresh = await isEmptyDir(dir);
    await checkWritable(dir);
    unlock = await lockDataDir(target.dataDir);
    pglite = await PGlite.create(dir, pgliteOptions).catch(async (err: unknown) => {
      // A first start that failed half-way (the disk filled up) must not leave half a cluster
      // that the next start would take for a database.
      if (fresh) await fs.rm(dir, { recursive: true, force: true }).catch(() => {});
      await unlock();
      throw fileErrorCode(err) ? dataDirError(dir, err) : err;
    });
  } else {
    pglite = await PGlite.create(pgliteOptions);
  }
  if (opts.schema) {
    await pglite.exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(opts.schema)}; SET search_path TO ${quoteIdent(opts.schema)}`);
  }
  // The dialect closes the PGlite instance when Kysely is destroyed, which flushes it to disk.
  // Statements run repeatedly are prepared, as on PostgreSQL (pglite-prepared.ts).
  const dialect = opts.preparePglite === false ? new PGliteDialect(pglite) : new PreparedPGliteDialect(pglite);
  const db = new Kysely<Database>({ dialect, plugins });
  const feed = opts.resourceCache === false ? undefined : pgliteChangeFeed(pglite);
  if (feed) attachChangeFeed(db, feed);
  return {
    db,
    kind: 'pglite',
    close: async () => {
      await feed?.close();
      await db.destroy();
      await unlock();
    },
    limitQueries: () => {},
  };
}

/** How long a request waits for a connection before it is answered 503 (db/faults.ts). */
export const CONNECT_TIMEOUT_MS = 3_000;

/**
 * The connection pool for PostgreSQL: `schema` as the search_path of every connection, and every
 * connection preparing the statements it runs repeatedly (see prepared.ts).
 *
 * A connection that dies (PostgreSQL restarting: 57P01, a failover, a cut network) emits 'error'
 * on its client and, while idle, on the pool; an 'error' event nobody listens to ends Node, so
 * both are listened to. The pool then drops the client (it is no longer queryable) and opens a
 * new one for the next request: no reconnection logic is needed beyond not dying. A request
 * waits at most CONNECT_TIMEOUT_MS for a connection, so an unreachable server gives a fast 503;
 * with `limit`, a statement unanswered on a silent network ends its connection (guard.ts).
 */
export function createPostgresPool(url: string, opts: { max: number; schema?: string; log?: Pick<Logger, 'warn'>; limit?: QueryLimit }): pg.Pool {
  const connection = { connectionString: url, ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}) };
  const pool = new pg.Pool({ ...connection, max: opts.max, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, keepAlive: true, keepAliveInitialDelayMillis: 10_000 });
  const probe = probeWith(connection);
  // Not `err`/`code`: the logger censors fields named code, and the stack says nothing here.
  const lost = (err: Error) =>
    opts.log?.warn({ reason: err.message, sqlstate: (err as { code?: unknown }).code }, 'database connection lost; a new one is opened at the next request');
  pool.on('error', lost);
  pool.on('connect', (client) => {
    // Checked out, a client's 'error' is not the pool's: without this, a connection dying
    // between two statements of a transaction would end the process. The statement that uses
    // it next fails, and the pool discards it on release.
    client.on('error', () => {});
    prepareRepeatedStatements(client);
    if (opts.limit) guardQueries(client, opts.limit, probe);
  });
  return pool;
}

export function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe identifier ${JSON.stringify(name)}`);
  return `"${name}"`;
}

export function createMigrator(db: Db, schema?: string): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    // Without an explicit schema Kysely would find a migration table of another schema on the
    // same server and think this one is migrated already.
    migrationTableSchema: schema ?? 'public',
  });
}

/** Applies every pending migration; throws with the failing migration's name on error. */
export async function migrateToLatest(db: Db, schema?: string): Promise<MigrationResultSet> {
  const result = await createMigrator(db, schema).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const cause = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${cause}`, { cause: result.error });
  }
  return result;
}

/** True when the database answers a trivial query within the timeout. */
export async function isReachable(db: Db, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  try {
    return await Promise.race([sql`select 1`.execute(db).then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
