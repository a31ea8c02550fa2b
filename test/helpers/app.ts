import { randomBytes } from 'node:crypto';
import { createApp, type App } from '../../server/src/app.js';
import { ensureBootstrapKey } from '../../server/src/admins/service.js';
import { loadConfig } from '../../server/src/config.js';
import { createKeyRing } from '../../server/src/crypto/secretbox.js';
import type { Delivery } from '../../server/src/delivery/types.js';
import { createLogger } from '../../server/src/logger.js';
import type { TestDb } from './db.js';

export interface TestApp {
  app: App;
  /** A superuser API key registered the way VERIFRAME_ADMIN_KEY registers one. */
  adminKey: string;
  request(path: string, init?: RequestInit & { json?: unknown; key?: string | null }): Promise<Response>;
}

export interface TestAppOptions {
  now?: () => Date;
  /** Configuration variables (e.g. VERIFRAME_TOKEN_QUOTA), parsed as the server parses them. */
  env?: Record<string, string>;
  delivery?: Delivery;
  /** Receives every log line at trace level (to check that no secret is ever logged). */
  logLines?: string[];
}

export async function createTestApp(testDb: TestDb, opts: TestAppOptions = {}): Promise<TestApp> {
  const adminKey = `vf_test_${randomBytes(24).toString('base64url')}`;
  await ensureBootstrapKey(testDb.db, adminKey);
  const config = loadConfig({ DATABASE_URL: 'pglite://memory', LOG_LEVEL: 'silent', ...opts.env });
  const app = createApp({
    config,
    db: testDb.db,
    log: opts.logLines ? createLogger('trace', { write: (line: string) => void opts.logLines!.push(line) }) : createLogger('silent'),
    keyRing: createKeyRing(randomBytes(32)),
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.delivery ? { delivery: opts.delivery } : {}),
  });
  const request: TestApp['request'] = (path, init = {}) => {
    const { json, key, ...rest } = init;
    const headers = new Headers(rest.headers);
    const auth = key === undefined ? adminKey : key;
    if (auth !== null) headers.set('authorization', `Bearer ${auth}`);
    if (json !== undefined) headers.set('content-type', 'application/json');
    return Promise.resolve(app.request(path, { ...rest, headers, body: json !== undefined ? JSON.stringify(json) : rest.body }));
  };
  return { app, adminKey, request };
}
