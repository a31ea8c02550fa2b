import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { createPlugins, createPostgresPool, migrateToLatest, pgliteOptions, quoteIdent, type Db } from '../../server/src/db/index.js';
import { PreparedPGliteDialect } from '../../server/src/db/pglite-dialect.js';
import { attachChangeFeed, pgliteChangeFeed, postgresChangeFeed } from '../../server/src/db/changes.js';
import type { Database } from '../../server/src/db/types.js';

export type DbMode = 'pglite' | 'postgres';

export interface TestDb {
  db: Db;
  mode: DbMode;
  schema: string;
  /** Drops the schema (and with it every row the test wrote). */
  close(): Promise<void>;
}

/**
 * Every database test runs on PGlite, and again on real PostgreSQL when TEST_DATABASE_URL is
 * set, so both engines the product supports are checked by the same assertions.
 */
export function dbModes(): DbMode[] {
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

// A PGlite instance costs seconds and a lot of memory: one per test process, a schema per test
// db. It is closed when its last user lets go, because an open instance keeps the process alive
// for seconds after the tests end. Users are the open test dbs and, in scripts/test-worker.mjs,
// the worker itself, which keeps the instance for every file it runs.
let sharedPglite: Promise<PGlite> | undefined;
let users = 0;
const pgliteInstance = () => (sharedPglite ??= PGlite.create(pgliteOptions));

async function releasePglite() {
  if (--users > 0 || !sharedPglite) return;
  const pglite = sharedPglite;
  sharedPglite = undefined;
  await (await pglite).close();
}

/** Keeps the process's PGlite (once created) open until the returned function is called. */
export function holdPglite(): () => Promise<void> {
  users++;
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    await releasePglite();
  };
}

const freshSchemaName = () => `vf_t_${process.pid}_${randomBytes(4).toString('hex')}`;

export async function openTestDb(mode: DbMode, opts: { migrate?: boolean; poolSize?: number } = {}): Promise<TestDb> {
  const schema = freshSchemaName();
  const testDb = mode === 'pglite' ? await openPglite(schema) : await openPostgres(schema, opts.poolSize ?? 5);
  if (opts.migrate !== false) await migrateBesideOthers(testDb.db, schema);
  return testDb;
}

/**
 * Migrates the schema, again when the migrator's look at the catalog met another test's schema
 * being dropped: on PostgreSQL, test processes share a database, and Kysely's introspection
 * (has_schema_privilege over every schema) fails with 3F000 when one vanishes under it. The
 * migrations run in one transaction, so a failed attempt left nothing behind.
 */
async function migrateBesideOthers(db: Db, schema: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await migrateToLatest(db, schema);
      return;
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const othersGone = cause?.code === '3F000' && !cause.message?.includes(`"${schema}"`);
      if (!othersGone || attempt === 5) throw err;
    }
  }
}

async function openPglite(schema: string): Promise<TestDb> {
  const pglite = await pgliteInstance();
  users++;
  // PGlite has one session, so one search_path: test dbs of a process are used one at a time.
  await pglite.exec(`CREATE SCHEMA ${quoteIdent(schema)}; SET search_path TO ${quoteIdent(schema)}`);
  // Not destroyed on close: destroying the dialect would close the shared instance. The server's
  // own dialect (prepared statements included), so the tests run what production runs.
  const db = new Kysely<Database>({ dialect: new PreparedPGliteDialect(pglite), plugins: createPlugins() });
  // As openDatabase does: the resource cache of the hot path is tested, not bypassed.
  const feed = pgliteChangeFeed(pglite);
  attachChangeFeed(db, feed);
  return {
    db,
    mode: 'pglite',
    schema,
    close: async () => {
      await feed.close();
      await pglite.exec(`SET search_path TO public; DROP SCHEMA ${quoteIdent(schema)} CASCADE`);
      await releasePglite();
    },
  };
}

function postgresUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  return url;
}

async function openPostgres(schema: string, poolSize: number): Promise<TestDb> {
  const admin = new pg.Client({ connectionString: postgresUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${quoteIdent(schema)}`);
  } finally {
    await admin.end();
  }
  // The server's own pool (prepared statements included), so the tests run what production runs.
  const pool = createPostgresPool(postgresUrl(), { max: poolSize, schema });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: createPlugins() });
  // Named, so a test can end exactly this session (as a restart of PostgreSQL would).
  const feed = postgresChangeFeed({ connectionString: postgresUrl(), application_name: `vf-feed-${schema}` });
  attachChangeFeed(db, feed);
  return {
    db,
    mode: 'postgres',
    schema,
    close: async () => {
      await feed.close();
      await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(db);
      await db.destroy();
    },
  };
}

/** Creates an empty database on the PostgreSQL server of TEST_DATABASE_URL; returns its URL and a dropper. */
export async function createScratchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `vf_scratch_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
  await admin.end();
  const url = new URL(postgresUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: postgresUrl() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      await c.end();
    },
  };
}
