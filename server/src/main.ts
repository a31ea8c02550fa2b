import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { sql } from 'kysely';
import { ensureConsoleResource } from './console/resource.js';
import { createApp } from './app.js';
import { ensureBootstrapKey } from './admins/keys-service.js';
import type { Config } from './config.js';
import { loadKeyRing } from './crypto/master-key.js';
import { migrateToLatest, openDatabase, type DatabaseHandle } from './db/index.js';
import { checkWritable } from './db/data-dir.js';
import { isDatabaseUnavailable } from './db/faults.js';
import { startMaintenance } from './maintenance.js';
import { createDelivery } from './delivery/index.js';
import { startSealer } from './events/chain.js';
import { drainServer, trackConnections } from './http/drain.js';
import { ensureSigningKey } from './jwt/keys.js';
import type { Logger } from './logger.js';
import { closePushStreams } from './push/stream.js';

export interface RunningServer {
  url: string;
  port: number;
  database: DatabaseHandle;
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), then closes the database. */
  close(graceMs?: number): Promise<void>;
}

export async function listen(app: { fetch: (req: Request) => Response | Promise<Response> }, port: number, host: string): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname: host }, () => resolve(server));
    trackConnections(server as HttpServer);
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE' ? new Error(`port ${port} on ${host} is already in use (set PORT or DEMO_PORT to another one)`) : err);
    });
  });
}

/** Closes an HTTP server gracefully: no new connections, requests in flight finish (see http/drain.ts). */
export async function closeServer(server: ServerType, graceMs: number): Promise<void> {
  await drainServer(server as HttpServer, graceMs);
}

/** How long a start waits for a PostgreSQL server that is not reachable yet. */
export const START_WAIT_MS = 10_000;

/**
 * Waits until PostgreSQL answers, up to START_WAIT_MS: servers and their database are often
 * started together, and the database may take a moment. Anything else than an outage (wrong
 * password, no such database) fails at once.
 */
async function waitForDatabase(database: DatabaseHandle, url: string, log: Logger): Promise<void> {
  const deadline = Date.now() + START_WAIT_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      await sql`select 1`.execute(database.db);
      return;
    } catch (err) {
      if (!isDatabaseUnavailable(err)) throw err;
      const host = new URL(url).host;
      if (Date.now() >= deadline) {
        throw new Error(`the database at ${host} is not reachable (${(err as Error).message}): start it, or check DATABASE_URL`, { cause: err });
      }
      if (attempt === 0) log.warn({ host, reason: (err as Error).message }, `database not reachable yet; waiting up to ${START_WAIT_MS / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

export async function openConfiguredDatabase(config: Config, log: Logger): Promise<DatabaseHandle> {
  const database = await openDatabase(config.database, { log, resourceCache: config.resourceCache });
  try {
    if (config.database.kind === 'postgres') await waitForDatabase(database, config.database.url, log);
    if (config.autoMigrate) {
      const result = await migrateToLatest(database.db);
      const applied = result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
      if (applied.length) log.info({ migrations: applied }, 'database migrated');
    }
  } catch (err) {
    await database.close();
    throw err;
  }
  return database;
}

export async function startServer(config: Config, log: Logger): Promise<RunningServer> {
  // Before the master key is written there: an unusable directory is named in one line.
  if (config.database.kind === 'pglite-file') await checkWritable(config.dataDir);
  const keyRing = await loadKeyRing({
    configured: config.masterKey,
    previous: config.previousMasterKeys,
    dataDir: config.database.kind === 'pglite-file' ? config.dataDir : undefined,
    log: (msg) => log.warn(msg),
  });
  const database = await openConfiguredDatabase(config, log);
  try {
    if (config.adminKey && (await ensureBootstrapKey(database.db, config.adminKey)) === 'created') {
      log.info('superuser API key from VERIFRAME_ADMIN_KEY registered');
    }
    // Migrations are done: from now on a statement that hangs is a lost connection (503).
    database.limitQueries(config.dbQueryTimeoutMs);
    // The widget's signing key exists from the first start, so the JWKS is never empty.
    await ensureSigningKey(database.db, keyRing, new Date());
    // The console resource's allowed origin is PUBLIC_URL's, known only now (DESIGN §11).
    await ensureConsoleResource(database.db, config.publicUrl);
    const app = createApp({
      config,
      db: database.db,
      log,
      keyRing,
      delivery: createDelivery(config, log),
      ...(database.pool ? { dbPool: database.pool } : {}),
    });
    const server = await listen(app, config.port, config.host);
    const port = (server.address() as AddressInfo).port;
    // Started once listening succeeded, so a failed start leaves no timer behind.
    const sealer = startSealer(database.db, keyRing, log);
    const maintenance = startMaintenance(database, log);
    let closing: Promise<void> | undefined;
    return {
      url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
      port,
      database,
      close(graceMs = 10_000) {
        // Requests finishing during the grace may still append events; then the sealer chains
        // them in a last pass (so the tail of the audit log is sealed, and deleting its last
        // events is detected) before the database closes under it.
        // Push streams never finish on their own within the grace: they are ended first.
        if (!closing) closePushStreams();
        closing ??= closeServer(server, graceMs)
          .finally(() => Promise.all([sealer.finish(), maintenance.stop()]))
          .finally(() => database.close());
        return closing;
      },
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}
