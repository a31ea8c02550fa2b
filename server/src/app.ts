import { OpenAPIHono } from '@hono/zod-openapi';
import { requireAdmin } from './admins/keys-auth.js';
import { adminRoutes } from './admins/routes.js';
import { authRoutes } from './auth/routes.js';
import type { Config } from './config.js';
import type { KeyRing } from './crypto/secretbox.js';
import { isReachable, type Db } from './db/index.js';
import { outboxRoutes } from './delivery/routes.js';
import type { Delivery } from './delivery/types.js';
import { appError } from './errors.js';
import { eventRoutes } from './events/routes.js';
import { filterRoutes } from './filters/routes.js';
import { finishDocument } from './http/api-document.js';
import { createAppAssets } from './authenticator/assets.js';
import { authenticatorRoutes } from './authenticator/routes.js';
import { createConsoleAssets, type ConsoleAssets } from './console/assets.js';
import { consoleRoutes } from './console/routes.js';
import type { BundleAssets } from './http/bundle-assets.js';
import { docsRoutes } from './http/docs.js';
import { errorResponse, notFound, onError } from './http/errors.js';
import { limitBody } from './http/body-limit.js';
import { baseHeaders, requestLog } from './http/middleware.js';
import { validationHook } from './http/validation.js';
import { jwtRoutes } from './jwt/routes.js';
import type { Logger } from './logger.js';
import { httpMetrics, metricsRoutes, type PoolStats } from './metrics/routes.js';
import { portalRoutes } from './portal/routes.js';
import { pushRoutes } from './push/routes.js';
import { createWebPushSender, useWebPush, type WebPushSender } from './push/web-push.js';
import { resourceRoutes } from './resources/routes.js';
import { tokenRoutes } from './tokens/routes.js';
import { userDetailRoutes } from './users/detail-routes.js';
import { userRoutes } from './users/routes.js';
import { createWidgetAssets, type WidgetAssets } from './widget/assets.js';
import { describeWidgetApi } from './widget/openapi.js';
import { widgetRoutes } from './widget/routes.js';

export interface AppDeps {
  config: Config;
  db: Db;
  log: Logger;
  keyRing: KeyRing;
  /** E-mail/SMS/bot delivery; its dev outbox is served at /dev/outbox with VERIFRAME_DEV_OUTBOX=1. */
  delivery?: Delivery;
  /** The clock; tests move it instead of waiting. */
  now?: () => Date;
  /** The widget bundles; default: dist/widget, or built in memory in development. */
  widgetAssets?: WidgetAssets;
  /** The PostgreSQL pool, whose connections GET /metrics reports. */
  dbPool?: PoolStats;
  /** The console bundles; default: dist/console, or built in memory in development. */
  consoleAssets?: ConsoleAssets;
  /** The authenticator app's bundles; default: dist/app, or built in memory in development. */
  appAssets?: BundleAssets;
  /** Web Push of push challenges; default: made from the VAPID configuration, none without it. */
  webPush?: WebPushSender;
}

export const VERSION = '0.1.0';
export const IMPORT_MAX_BYTES = 16 * 1024 * 1024;

/** Builds the whole HTTP application. No side effects: nothing listens and nothing is written. */
export function createApp(deps: AppDeps) {
  const now = deps.now ?? (() => new Date());
  const app = new OpenAPIHono({ defaultHook: validationHook });

  // CSV imports of 10 000 hardware tokens exceed 1 MB; every other body is small.
  const importLimit = limitBody(IMPORT_MAX_BYTES);
  const defaultLimit = limitBody();
  app.use('*', httpMetrics, requestLog(deps.log), baseHeaders, (c, next) => (c.req.path === '/api/v1/tokens/import' ? importLimit : defaultLimit)(c, next));

  app.get('/healthz', (c) => c.json({ status: 'ok', version: VERSION }));
  app.get('/readyz', async (c) => ((await isReachable(deps.db)) ? c.json({ status: 'ready' }) : errorResponse(c, appError('database_unavailable'))));

  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'An administrator API key: `Authorization: Bearer vf_...`.',
  });
  // Built once, on first request, when every route is registered; finishDocument adds the
  // operationIds and security declarations (DESIGN §14).
  let document: ReturnType<typeof app.getOpenAPI31Document> | undefined;
  app.get('/api/v1/openapi.json', (c) =>
    c.json(
      (document ??= finishDocument(
        app.getOpenAPI31Document({
          openapi: '3.1.0',
          info: {
            title: 'Veriframe API',
            version: VERSION,
            license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' },
            description: 'Administration and authentication API of Veriframe. Errors: `{"error": {"code", "message", "field"?}}`.',
          },
          servers: [{ url: deps.config.publicUrl }],
          // The order the reference shows (and opens the first of): what a site owner needs first.
          tags: [
            { name: 'Authentication', description: 'Server-to-server checks of passwords and codes (resource credentials).' },
            { name: 'Widget result', description: 'The signing keys (JWKS) and the single-use check of a widget result.' },
            { name: 'Widget', description: "The embeddable widget's own API." },
            { name: 'Resources' },
            { name: 'Assignments' },
            { name: 'Filters' },
            { name: 'Users' },
            { name: 'Tokens' },
            { name: 'Events' },
            { name: 'Administrators' },
            { name: 'Console', description: "The web console's sign-in and session (DESIGN §11)." },
            { name: 'Authenticator app', description: 'Server clock and encrypted backups of the authenticator app (DESIGN §13).' },
            { name: 'Authenticator app (push)', description: 'Push devices: enrolment, challenges and signed answers (DESIGN §13).' },
          ],
        }),
      )),
    ),
  );

  app.route('/', docsRoutes('/api/v1/openapi.json'));
  // Prometheus text, only with VERIFRAME_METRICS_TOKEN (else 404, like any unknown path).
  app.route('/', metricsRoutes({ db: deps.db, token: deps.config.metricsToken, now, ...(deps.dbPool ? { pool: deps.dbPool } : {}) }));
  // The iframe page, its bundles and its JSON API (outside /api/v1: no API keys involved).
  // One set of bundles for the widget and the portal page (portal.js is built with them).
  const assets = deps.widgetAssets ?? createWidgetAssets({ production: deps.config.production, log: deps.log });
  app.route(
    '/',
    widgetRoutes({
      db: deps.db,
      keyRing: deps.keyRing,
      log: deps.log,
      now,
      config: deps.config,
      assets,
      ...(deps.delivery ? { delivery: deps.delivery } : {}),
    }),
  );
  // The self-service portals' JSON API (cookie sessions on each portal's own path).
  app.route(
    '/',
    portalRoutes({
      db: deps.db,
      keyRing: deps.keyRing,
      log: deps.log,
      now,
      config: deps.config,
      assets,
      ...(deps.delivery ? { delivery: deps.delivery } : {}),
    }),
  );
  // The dev outbox exists only when asked for (VERIFRAME_DEV_OUTBOX=1, set by `serve --demo`).
  if (deps.delivery && deps.config.devOutbox) app.route('/', outboxRoutes(deps.delivery, deps.config));

  // Web Push when configured (VERIFRAME_VAPID_*): challenges opened on this database ring the device.
  const vapid = deps.config.webPush;
  useWebPush(deps.db, deps.webPush ?? (vapid ? createWebPushSender({ db: deps.db, vapid, log: deps.log }) : undefined));
  // The authenticator app's push API: every call is signed by the device (DESIGN §13).
  app.route('/app/api/push', pushRoutes({ db: deps.db, now }));

  // The authentication API uses resource credentials, not admin keys. It is registered before
  // the admin sub-app, whose Bearer check covers everything else under /api/v1.
  app.route('/api/v1/auth', authRoutes({ db: deps.db, keyRing: deps.keyRing, log: deps.log, now, ...(deps.delivery ? { delivery: deps.delivery } : {}) }));
  // JWKS (public) and POST /api/v1/verify (resource credentials), also ahead of the admin check.
  app.route('/', jwtRoutes({ db: deps.db, keyRing: deps.keyRing, now, issuer: deps.config.publicUrl }));
  app.openAPIRegistry.registerComponent('securitySchemes', 'resourceSecret', {
    type: 'http',
    scheme: 'basic',
    description: 'HTTP Basic: the resource id as user name and its verification secret (`vfs_...`) as password.',
  });

  // The web console's sign-in, session and enrolment API (DESIGN §11); its pages and bundles.
  app.route(
    '/',
    consoleRoutes({
      db: deps.db,
      keyRing: deps.keyRing,
      now,
      config: deps.config,
      assets: deps.consoleAssets ?? createConsoleAssets({ production: deps.config.production, log: deps.log }),
    }),
  );

  // The authenticator app (DESIGN §13): its page, bundles, service worker and /app/api.
  app.route(
    '/',
    authenticatorRoutes({
      db: deps.db,
      now,
      config: deps.config,
      assets: deps.appAssets ?? createAppAssets({ production: deps.config.production, log: deps.log }),
    }),
  );

  const admin = new OpenAPIHono({ defaultHook: validationHook });
  admin.use('*', requireAdmin(deps.db, now));
  // Each domain's sub-app is mounted at its prefix and names its routes relative to it.
  admin.route('/admins', adminRoutes(deps.db, now));
  admin.route(
    '/tokens',
    tokenRoutes({
      db: deps.db,
      keyRing: deps.keyRing,
      now,
      issuer: 'Veriframe',
      publicUrl: deps.config.publicUrl,
      ...(deps.config.tokenQuota !== undefined ? { quota: deps.config.tokenQuota } : {}),
      ...(deps.delivery ? { delivery: deps.delivery } : {}),
    }),
  );
  admin.route('/resources', resourceRoutes({ db: deps.db, now, publicUrl: deps.config.publicUrl }));
  admin.route('/resources', filterRoutes({ db: deps.db, now }));
  admin.route('/users', userRoutes({ db: deps.db, now }));
  admin.route('/users', userDetailRoutes({ db: deps.db, now }));
  admin.route('/events', eventRoutes({ db: deps.db, keyRing: deps.keyRing }));
  app.route('/api/v1', admin);
  // Last, so the reference at /docs opens on the authentication API, not on the iframe's calls.
  describeWidgetApi(app);

  app.notFound(notFound);
  app.onError(onError(deps.log));
  return app;
}

export type App = ReturnType<typeof createApp>;
