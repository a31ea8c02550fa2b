import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { hitRateLimit, LIMITS, type RateLimit } from '../auth/rate-windows.js';
import { ipBucket } from '../auth/throttle.js';
import type { Config } from '../config.js';
import type { Db } from '../db/index.js';
import { appError } from '../errors.js';
import { requestClientIp } from '../http/client-ip.js';
import type { BundleAssets } from '../http/bundle-assets.js';
import { adminErrors, jsonBody, jsonResponse } from '../http/openapi.js';
import { sameOriginOnly } from '../http/same-origin.js';
import { validationHook } from '../http/validation.js';
import { createBackup, deleteBackup, readBackup, replaceBackup } from './backups.js';
import { mountAppPages } from './page.js';
import * as s from './schema.js';

// The authenticator app (DESIGN §13): its page and bundles, and its small API under /app/api —
// the server's clock for time correction, and server backups that only the app can decrypt.
// No accounts: a backup is found by its random id and changed with its write key.

export interface AuthenticatorRouteDeps {
  db: Db;
  now: () => Date;
  config: Pick<Config, 'publicUrl' | 'trustedProxies'>;
  assets: BundleAssets;
}

export const BACKUP_KEY_HEADER = 'X-Veriframe-Backup-Key';
const tags = ['Authenticator app'];
const err = (description: string) => ({ description, content: adminErrors[404].content });

const routes = {
  time: createRoute({
    method: 'get',
    path: '/app/api/time',
    tags,
    summary: "The server's clock, for the app's time correction",
    responses: { 200: jsonResponse('The current time.', s.timeView) },
  }),
  create: createRoute({
    method: 'post',
    path: '/app/api/backups',
    tags,
    summary: 'Store a new encrypted backup; returns its id and write key',
    request: { body: jsonBody(s.backupCreateBody) },
    responses: {
      201: jsonResponse('The backup is stored.', s.backupCreated),
      400: adminErrors[400],
      413: adminErrors[413],
      429: err('Too many backups written from this address; try later.'),
    },
  }),
  read: createRoute({
    method: 'get',
    path: '/app/api/backups/{id}',
    tags,
    summary: 'Read an encrypted backup by its id',
    request: { params: s.backupIdParams },
    responses: {
      200: jsonResponse('The encrypted backup.', s.backupView),
      404: err('No backup has this id.'),
      429: err('Too many backups read from this address; try later.'),
    },
  }),
  replace: createRoute({
    method: 'put',
    path: '/app/api/backups/{id}',
    tags,
    summary: 'Replace an encrypted backup (needs its write key in X-Veriframe-Backup-Key)',
    request: { params: s.backupIdParams, headers: s.backupKeyHeaders, body: jsonBody(s.backupBody) },
    responses: {
      200: jsonResponse('The backup is replaced.', s.backupUpdated),
      400: adminErrors[400],
      403: err('The write key is missing or wrong.'),
      404: err('No backup has this id.'),
      413: adminErrors[413],
      429: err('Too many backups written from this address; try later.'),
    },
  }),
  remove: createRoute({
    method: 'delete',
    path: '/app/api/backups/{id}',
    tags,
    summary: 'Delete an encrypted backup (needs its write key in X-Veriframe-Backup-Key)',
    request: { params: s.backupIdParams, headers: s.backupKeyHeaders },
    responses: {
      204: { description: 'Deleted.' },
      403: err('The write key is missing or wrong.'),
      404: err('No backup has this id.'),
      429: err('Too many backups written from this address; try later.'),
    },
  }),
};

export function authenticatorRoutes(deps: AuthenticatorRouteDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  const { db } = deps;
  app.use('/app/api/*', sameOriginOnly(deps.config.publicUrl));
  app.use('/app/api/*', async (c, next) => {
    await next();
    c.res.headers.set('Cache-Control', 'no-store'); // in place: see baseHeaders
  });

  const limit = async (c: Context, rule: RateLimit, now: Date) => {
    const hit = await hitRateLimit(db, rule, ipBucket(requestClientIp(c, deps.config.trustedProxies)), now);
    if (!hit.ok) {
      c.header('Retry-After', String(hit.retryAfter));
      throw appError('throttled', { details: { retryAfter: hit.retryAfter } });
    }
  };

  app.openapi(routes.time, (c) => {
    const now = deps.now();
    return c.json({ epochMs: now.getTime(), iso: now.toISOString() }, 200);
  });
  app.openapi(routes.create, async (c) => {
    const now = deps.now();
    await limit(c, LIMITS.appBackupWritePerIp, now);
    const { data, expiresInSeconds } = c.req.valid('json');
    return c.json(await createBackup(db, data, now, expiresInSeconds), 201);
  });
  app.openapi(routes.read, async (c) => {
    const now = deps.now();
    await limit(c, LIMITS.appBackupReadPerIp, now);
    return c.json(await readBackup(db, c.req.valid('param').id, now), 200);
  });
  app.openapi(routes.replace, async (c) => {
    const now = deps.now();
    await limit(c, LIMITS.appBackupWritePerIp, now);
    const key = c.req.header(BACKUP_KEY_HEADER);
    return c.json(await replaceBackup(db, c.req.valid('param').id, key, c.req.valid('json').data, now), 200);
  });
  app.openapi(routes.remove, async (c) => {
    const now = deps.now();
    await limit(c, LIMITS.appBackupWritePerIp, now);
    await deleteBackup(db, c.req.valid('param').id, c.req.header(BACKUP_KEY_HEADER), now);
    return c.body(null, 204);
  });
  mountAppPages(app, deps.assets);
  return app;
}
