import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { ServerType } from '@hono/node-server';
import { createApp, type App } from '../../server/src/app.js';
import { ensureBootstrapKey } from '../../server/src/admins/keys-service.js';
import { loadConfig } from '../../server/src/config.js';
import { ensureConsoleResource } from '../../server/src/console/resource.js';
import { createKeyRing, type KeyRing } from '../../server/src/crypto/secretbox.js';
import type { Delivery } from '../../server/src/delivery/types.js';
import { createLogger } from '../../server/src/logger.js';
import { listen } from '../../server/src/main.js';
import type { PoolStats } from '../../server/src/metrics/routes.js';
import type { TestDb } from './db.js';

export interface TestApp {
  app: App;
  /** A superuser API key registered the way VERIFRAME_ADMIN_KEY registers one. */
  adminKey: string;
  /** The app's key ring, for tests that sign or decrypt as the server does. */
  keyRing: KeyRing;
  request(path: string, init?: RequestInit & { json?: unknown; key?: string | null }): Promise<Response>;
  /** A JSON call with the superuser key (or `key`), its body parsed: the shape most tests want. */
  call(method: string, path: string, json?: unknown, key?: string): Promise<CallResult>;
}

export type JsonBody = Record<string, unknown> & { error?: { code: string; message?: string; field?: string; details?: unknown } };
export interface CallResult {
  status: number;
  text: string;
  body: JsonBody;
}

export interface TestAppOptions {
  now?: () => Date;
  /** Configuration variables (e.g. VERIFRAME_TOKEN_QUOTA), parsed as the server parses them. */
  env?: Record<string, string>;
  delivery?: Delivery;
  /** Receives every log line at trace level (to check that no secret is ever logged). */
  logLines?: string[];
  /** The server's master keys (default: a random one). */
  keyRing?: KeyRing;
  /** Connection counts reported at /metrics as the PostgreSQL pool's. */
  dbPool?: PoolStats;
}

export async function createTestApp(testDb: TestDb, opts: TestAppOptions = {}): Promise<TestApp> {
  const adminKey = `vf_test_${randomBytes(24).toString('base64url')}`;
  await ensureBootstrapKey(testDb.db, adminKey);
  const keyRing = opts.keyRing ?? createKeyRing(randomBytes(32));
  const config = loadConfig({ DATABASE_URL: 'pglite://memory', LOG_LEVEL: 'silent', ...opts.env });
  // As startServer does: the console resource allows PUBLIC_URL's origin before any request.
  await ensureConsoleResource(testDb.db, config.publicUrl);
  const app = createApp({
    config,
    db: testDb.db,
    log: opts.logLines ? createLogger('trace', { write: (line: string) => void opts.logLines!.push(line) }) : createLogger('silent'),
    keyRing,
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.delivery ? { delivery: opts.delivery } : {}),
    ...(opts.dbPool ? { dbPool: opts.dbPool } : {}),
  });
  const request: TestApp['request'] = (path, init = {}) => {
    const { json, key, ...rest } = init;
    const headers = new Headers(rest.headers);
    const auth = key === undefined ? adminKey : key;
    if (auth !== null) headers.set('authorization', `Bearer ${auth}`);
    if (json !== undefined) headers.set('content-type', 'application/json');
    return Promise.resolve(app.request(path, { ...rest, headers, body: json !== undefined ? JSON.stringify(json) : rest.body }));
  };
  const call: TestApp['call'] = async (method, path, json, key) => {
    const res = await request(path, { method, ...(json !== undefined ? { json } : {}), ...(key ? { key } : {}) });
    const text = await res.text();
    return { status: res.status, text, body: (text ? JSON.parse(text) : {}) as JsonBody };
  };
  return { app, adminKey, keyRing, request, call };
}

export interface ListeningTestApp {
  api: TestApp;
  server: ServerType;
  /** The server's origin and PUBLIC_URL: http://localhost:<port>. */
  url: string;
}

/**
 * The test app on a real socket, for a browser or another process to reach. It listens first,
 * on a port of the system's choosing, so PUBLIC_URL can name it exactly; the app is plugged in
 * once it exists (the Node adapter passes the socket as the second argument, which the
 * client-address logic reads). `localhost` rather than 127.0.0.1, so a site on 127.0.0.1 is
 * another origin.
 */
export async function listenTestApp(testDb: TestDb, opts: TestAppOptions = {}): Promise<ListeningTestApp> {
  let app: App | undefined;
  const server = await listen(
    { fetch: ((req: Request, env: unknown) => app!.fetch(req, env as never)) as (req: Request) => Response | Promise<Response> },
    0,
    '127.0.0.1',
  );
  const url = `http://localhost:${(server.address() as AddressInfo).port}`;
  const api = await createTestApp(testDb, { ...opts, env: { ...opts.env, PUBLIC_URL: url } });
  app = api.app;
  return { api, server, url };
}
