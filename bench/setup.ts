// What every benchmark needs: a database of its own (PGlite in memory or, with BENCH_PGLITE_DIR=1,
// on a data directory; or a fresh schema on the PostgreSQL server of BENCH_DATABASE_URL, dropped
// afterwards), the real application on it, the bare-Hono baselines on the same database handle,
// and HTTP servers on 127.0.0.1.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import pg from 'pg';
import { hashApiKey } from '../server/src/admins/keys-service.js';
import { createApp } from '../server/src/app.js';
import { loadConfig } from '../server/src/config.js';
import { createKeyRing } from '../server/src/crypto/secretbox.js';
import { migrateToLatest, openDatabase, quoteIdent, type DatabaseHandle, type Db } from '../server/src/db/index.js';
import { createLogger } from '../server/src/logger.js';

export type Progress = (line: string) => void;
export type DbKind = 'pglite' | 'postgres';

/** Whether the bench's PGlite databases live on a data directory (BENCH_PGLITE_DIR=1), as `veriframe serve` keeps them, or in memory. */
export const pgliteOnDisk = () => process.env.BENCH_PGLITE_DIR === '1';

/** PUBLIC_URL of the bench app (the widget's issuer); nothing listens there. */
export const BENCH_PUBLIC_URL = 'http://127.0.0.1:8787';

export interface BenchDatabase {
  handle: DatabaseHandle;
  /** The DATABASE_URL the app is configured with. */
  url: string;
  /** PostgreSQL: the schema of this database (another process can open it too). */
  schema?: string;
}

/**
 * Runs `use` on `count` fresh, migrated databases of one kind, closed (and their schemas dropped)
 * afterwards. For PostgreSQL, returns `{ skipped }` instead when the server cannot be reached, so
 * the rest of the bench still runs.
 */
export async function withDatabases<T>(
  kind: DbKind,
  postgresUrl: string,
  count: number,
  use: (dbs: BenchDatabase[]) => Promise<T>,
  // BENCH_PGLITE_UNPREPARED=1: PGlite without prepared statements (db/pglite-prepared.ts), for a before/after.
  // `pgliteDataDir`: PGlite on that data directory (as `veriframe serve` runs it) instead of in memory.
  opts: { preparePglite?: boolean; pgliteDataDir?: string } = { preparePglite: process.env.BENCH_PGLITE_UNPREPARED !== '1' },
): Promise<T | { skipped: string }> {
  const handles: DatabaseHandle[] = [];
  if (kind === 'pglite') {
    // BENCH_PGLITE_DIR=1: every PGlite database on a fresh data directory, removed afterwards.
    const ownDir = !opts.pgliteDataDir && pgliteOnDisk() ? await fs.mkdtemp(path.join(os.tmpdir(), 'vf-bench-')) : undefined;
    const dataDir = opts.pgliteDataDir ?? ownDir;
    try {
      for (let i = 0; i < count; i++) {
        const target = dataDir ? { kind: 'pglite-file' as const, dataDir: `${dataDir}/${i}` } : { kind: 'pglite-memory' as const };
        const handle = await openDatabase(target, { preparePglite: opts.preparePglite ?? true });
        handles.push(handle);
        await migrateToLatest(handle.db);
      }
      // The app is handed the open database: its DATABASE_URL (config) only has to be a valid one.
      return await use(handles.map((handle) => ({ handle, url: 'pglite://memory' })));
    } finally {
      for (const h of handles) await h.close();
      if (ownDir) await fs.rm(ownDir, { recursive: true, force: true });
    }
  }
  const admin = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (err) {
    await admin.end().catch(() => {});
    return { skipped: `PostgreSQL not reachable at ${redactUrl(postgresUrl)}: ${err instanceof Error ? err.message : String(err)}` };
  }
  const created: string[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const schema = `vf_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
      await admin.query(`CREATE SCHEMA ${quoteIdent(schema)}`);
      created.push(schema);
      const handle = await openDatabase({ kind: 'postgres', url: postgresUrl }, { schema });
      handles.push(handle);
      await migrateToLatest(handle.db, schema);
    }
    return await use(handles.map((handle, i) => ({ handle, url: postgresUrl, schema: created[i]! })));
  } finally {
    for (const h of handles) await h.close();
    for (const schema of created) await admin.query(`DROP SCHEMA ${quoteIdent(schema)} CASCADE`).catch(() => {});
    await admin.end();
  }
}

/** The real application on a bench database, with the given master key and no logging. */
export function benchApp(db: Db, databaseUrl: string, masterKey: Buffer = randomBytes(32)) {
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    VERIFRAME_MASTER_KEY: masterKey.toString('base64'),
    PUBLIC_URL: BENCH_PUBLIC_URL,
    LOG_LEVEL: 'silent',
    VERIFRAME_AUTO_MIGRATE: 'false',
    // The load generator names each widget login's client in X-Forwarded-For (driver-worker.ts).
    TRUSTED_PROXIES: '127.0.0.1',
  });
  // A key ring depends on the key alone: createKeyRing(masterKey) elsewhere (seeding) is this one.
  return createApp({ config, db, log: createLogger('silent'), keyRing: createKeyRing(masterKey) });
}

/**
 * The baselines: the least each measured route must do, on the same database handle (pool,
 * plugins) and behind the same HTTP adapter as the app.
 *
 * - GET /baseline (admin request): read the bearer header, hash it, find the key by its unique index.
 * - POST /baseline/otp (OTP verify): parse the JSON body, then one `UPDATE tokens … WHERE id = $1
 *   RETURNING …` on the token row, as a successful verification's conditional update is.
 */
export function baselineApp(db: Db, now: () => Date = () => new Date()) {
  const app = new Hono();
  app.get('/baseline', async (c) => {
    const key = /^Bearer[ ]+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    if (!key) return c.json({ error: 'unauthorized' }, 401);
    const row = await db.selectFrom('api_keys').select(['id', 'adminId']).where('keyHash', '=', hashApiKey(key)).executeTakeFirst();
    if (!row) return c.json({ error: 'invalid_api_key' }, 401);
    return c.json({ keyId: row.id, adminId: row.adminId });
  });
  app.post('/baseline/otp', async (c) => {
    const body = (await c.req.json()) as { tokenId?: unknown };
    if (typeof body.tokenId !== 'string') return c.json({ result: false }, 400);
    const row = await db
      .updateTable('tokens')
      .set({ failedAttempts: 0, lastUsedAt: now() })
      .where('id', '=', body.tokenId)
      .where('locked', '=', false)
      .where('active', '=', true)
      .returning(['id', 'lastStep'])
      .executeTakeFirst();
    return c.json({ result: row !== undefined });
  });
  return app;
}

type FetchHandler = (req: Request) => Response | Promise<Response>;

export interface Served {
  /** http://127.0.0.1:port */
  origin: string;
  close(): Promise<void>;
}

/** Serves `fetch` on 127.0.0.1 (random port) until closed; closing drops every connection. */
export async function serveLocal(fetchHandler: FetchHandler): Promise<Served> {
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: fetchHandler, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets from the load driver would otherwise hold close() open.
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
}
