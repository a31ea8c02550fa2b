import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { ensureConsoleResource } from './console/resource.js';
import { createApp } from './app.js';
import { ensureBootstrapKey } from './admins/keys-service.js';
import type { Config } from './config.js';
import { loadMasterKey } from './crypto/master-key.js';
import { createKeyRing } from './crypto/secretbox.js';
import { migrateToLatest, openDatabase, type DatabaseHandle } from './db/index.js';
import { startMaintenance } from './db/maintenance.js';
import { createDelivery } from './delivery/index.js';
import { startSealer } from './events/chain.js';
import { ensureSigningKey } from './jwt/keys.js';
import type { Logger } from './logger.js';

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
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE' ? new Error(`port ${port} on ${host} is already in use (set PORT or DEMO_PORT to another one)`) : err);
    });
  });
}

/** Closes an HTTP server gracefully: idle keep-alive sockets now, busy ones when done or at the deadline. */
export async function closeServer(server: ServerType, graceMs: number): Promise<void> {
  const http = server as import('node:http').Server;
  const closed = new Promise<void>((resolve) => http.close(() => resolve()));
  http.closeIdleConnections?.();
  const deadline = setTimeout(() => http.closeAllConnections?.(), graceMs);
  deadline.unref();
  await closed;
  clearTimeout(deadline);
}

export async function openConfiguredDatabase(config: Config, log: Logger): Promise<DatabaseHandle> {
  const database = await openDatabase(config.database);
  try {
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
  const masterKey = await loadMasterKey({
    configured: config.masterKey,
    dataDir: config.database.kind === 'pglite-file' ? config.dataDir : undefined,
    log: (msg) => log.warn(msg),
  });
  const database = await openConfiguredDatabase(config, log);
  try {
    if (config.adminKey && (await ensureBootstrapKey(database.db, config.adminKey)) === 'created') {
      log.info('superuser API key from VERIFRAME_ADMIN_KEY registered');
    }
    const keyRing = createKeyRing(masterKey);
    // The widget's signing key exists from the first start, so the JWKS is never empty.
    await ensureSigningKey(database.db, keyRing, new Date());
    // The console resource's allowed origin is PUBLIC_URL's, known only now (DESIGN §11).
    await ensureConsoleResource(database.db, config.publicUrl);
    const app = createApp({ config, db: database.db, log, keyRing, delivery: createDelivery(config, log) });
    const server = await listen(app, config.port, config.host);
    const port = (server.address() as AddressInfo).port;
    // Started once listening succeeded, so a failed start leaves no timer behind.
    const sealer = startSealer(database.db, log);
    const maintenance = startMaintenance(database, log);
    let closing: Promise<void> | undefined;
    return {
      url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
      port,
      database,
      close(graceMs = 10_000) {
        // Requests finishing during the grace may still append events; the sealer stops after
        // them and before the database closes under it.
        closing ??= closeServer(server, graceMs)
          .finally(() => Promise.all([sealer.stop(), maintenance.stop()]))
          .finally(() => database.close());
        return closing;
      },
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}
