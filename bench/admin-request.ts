// Admin request overhead: what the whole stack (middleware, key lookup, conditional touch,
// OpenAPI route, JSON) costs on top of the one indexed query that authenticating a key needs.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import pg from 'pg';
import { ensureBootstrapKey, hashApiKey } from '../server/src/admins/service.js';
import { createApp } from '../server/src/app.js';
import { loadConfig } from '../server/src/config.js';
import { createKeyRing } from '../server/src/crypto/secretbox.js';
import { migrateToLatest, openDatabase, quoteIdent, type DatabaseHandle, type Db } from '../server/src/db/index.js';
import { createLogger } from '../server/src/logger.js';
import { summarize, type LoadDriver, type LoadSample } from './load.js';

export interface LoadSettings {
  concurrency: number;
  /** Unmeasured requests before every segment. */
  warmupMs: number;
  /** Length of one measured segment. */
  segmentMs: number;
  /** Baseline and app each get this many segments, interleaved. */
  rounds: number;
}

export interface AdminRequestResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  baselineRps: number;
  baselineP50Ms: number;
  baselineP99Ms: number;
  baselineRequests: number;
  ratio: number;
  concurrency: number;
  /** Measured time per side. */
  durationMs: number;
}

type Progress = (line: string) => void;

const newAdminKey = () => `vf_${randomBytes(32).toString('base64url')}`;

/** Runs baseline and app against an in-memory PGlite. */
export async function benchPglite(driver: LoadDriver, settings: LoadSettings, progress: Progress): Promise<AdminRequestResult> {
  const handle = await openDatabase({ kind: 'pglite-memory' });
  try {
    await migrateToLatest(handle.db);
    return await benchOn(handle, 'pglite://memory', driver, settings, progress);
  } finally {
    await handle.close();
  }
}

/**
 * Runs baseline and app in a fresh schema on the PostgreSQL server of `url`, dropped at the end.
 * Returns a reason string instead when the server cannot be reached, so the rest of the bench runs.
 */
export async function benchPostgres(url: string, driver: LoadDriver, settings: LoadSettings, progress: Progress): Promise<AdminRequestResult | { skipped: string }> {
  const schema = `vf_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${quoteIdent(schema)}`);
  } catch (err) {
    await admin.end().catch(() => {});
    return { skipped: `PostgreSQL not reachable at ${redactUrl(url)}: ${err instanceof Error ? err.message : String(err)}` };
  }
  let handle: DatabaseHandle | undefined;
  try {
    handle = await openDatabase({ kind: 'postgres', url }, { schema });
    await migrateToLatest(handle.db, schema);
    return await benchOn(handle, url, driver, settings, progress);
  } finally {
    await handle?.close();
    await admin.query(`DROP SCHEMA ${quoteIdent(schema)} CASCADE`).finally(() => admin.end());
  }
}

/** The real application on a bench database, with a fresh master key and no logging. */
export function benchApp(db: DatabaseHandle['db'], databaseUrl: string) {
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    VERIFRAME_MASTER_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'silent',
    VERIFRAME_AUTO_MIGRATE: 'false',
  });
  return createApp({ config, db, log: createLogger('silent'), keyRing: createKeyRing(config.masterKey!) });
}

async function benchOn(handle: DatabaseHandle, databaseUrl: string, driver: LoadDriver, settings: LoadSettings, progress: Progress): Promise<AdminRequestResult> {
  const { db, kind } = handle;
  const apiKey = newAdminKey();
  await ensureBootstrapKey(db, apiKey);
  const headers = { authorization: `Bearer ${apiKey}` };

  const app = benchApp(db, databaseUrl);

  return withServer(baselineApp(db).fetch, (baselineOrigin) =>
    withServer(app.fetch, async (appOrigin) => {
      const targets = { baseline: `${baselineOrigin}/baseline`, app: `${appOrigin}/api/v1/admins/me` };
      // The first /me sets last_used_at; from then on its touch is the no-op conditional update
      // that a busy key sees in production.
      await checkOnce(targets.baseline, headers);
      await checkOnce(targets.app, headers);

      // Interleaved B A, A B, B A…: the machine's other load drifts during a run, and the ratio
      // must not depend on which side happened to run during a quiet moment.
      // One unmeasured pass over both first: the server's JIT is cold at the start, and it
      // would otherwise be charged to whichever side runs first.
      for (const url of Object.values(targets)) {
        await driver.run({ url, headers, concurrency: settings.concurrency, warmupMs: 2 * settings.warmupMs, durationMs: 0 });
      }
      const samples: Record<keyof typeof targets, LoadSample[]> = { baseline: [], app: [] };
      for (let round = 0; round < settings.rounds; round++) {
        const order: (keyof typeof targets)[] = round % 2 === 0 ? ['baseline', 'app'] : ['app', 'baseline'];
        for (const side of order) {
          const sample = await driver.run({
            url: targets[side],
            headers,
            concurrency: settings.concurrency,
            warmupMs: settings.warmupMs,
            durationMs: settings.segmentMs,
          });
          samples[side].push(sample);
          progress(`${kind}: round ${round + 1}/${settings.rounds} ${side === 'app' ? '/admins/me' : 'baseline  '} ${Math.round(sample.requests / (sample.elapsedMs / 1000))} req/s`);
        }
      }
      const me = summarize(samples.app);
      const baseline = summarize(samples.baseline);
      return {
        rps: me.rps,
        p50Ms: me.p50Ms,
        p99Ms: me.p99Ms,
        requests: me.requests,
        baselineRps: baseline.rps,
        baselineP50Ms: baseline.p50Ms,
        baselineP99Ms: baseline.p99Ms,
        baselineRequests: baseline.requests,
        ratio: me.rps / baseline.rps,
        concurrency: settings.concurrency,
        durationMs: settings.segmentMs * settings.rounds,
      };
    }),
  );
}

/**
 * The least any key-authenticated route must do: read the bearer header, hash it, find the key
 * by its unique index. Same database handle (pool, plugins) and same HTTP adapter as the app.
 */
function baselineApp(db: Db) {
  const app = new Hono();
  app.get('/baseline', async (c) => {
    const key = /^Bearer[ ]+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    if (!key) return c.json({ error: 'unauthorized' }, 401);
    const row = await db.selectFrom('api_keys').select(['id', 'adminId']).where('keyHash', '=', hashApiKey(key)).executeTakeFirst();
    if (!row) return c.json({ error: 'invalid_api_key' }, 401);
    return c.json({ keyId: row.id, adminId: row.adminId });
  });
  return app;
}

/** One request up front, so a broken setup fails with its real answer rather than as load errors. */
async function checkOnce(url: string, headers: Record<string, string>) {
  const res = await fetch(url, { headers });
  const body = await res.text();
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}: ${body.slice(0, 200)}`);
}

type FetchHandler = (req: Request) => Response | Promise<Response>;

/** Serves `fetch` on 127.0.0.1 (random port) for the duration of `use`, then closes every connection. */
async function withServer<T>(fetchHandler: FetchHandler, use: (origin: string) => Promise<T>): Promise<T> {
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: fetchHandler, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  try {
    const { port } = server.address() as AddressInfo;
    return await use(`http://127.0.0.1:${port}`);
  } finally {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Keep-alive sockets from the load driver would otherwise hold close() open.
      if ('closeAllConnections' in server) server.closeAllConnections();
    });
  }
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
}
