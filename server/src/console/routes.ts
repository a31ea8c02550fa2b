import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { adminResourceIds } from '../admins/repository.js';
import type { Config } from '../config.js';
import type { KeyRing } from '../crypto/secretbox.js';
import type { Db } from '../db/index.js';
import { appError } from '../errors.js';
import { appendEvent } from '../events/repository.js';
import { requestClientIp } from '../http/client-ip.js';
import { adminErrors, jsonBody, jsonResponse } from '../http/openapi.js';
import { validationHook } from '../http/validation.js';
import { verifyResultToken } from '../jwt/result.js';
import type { ConsoleAssets } from './assets.js';
import { finishEnrolment, startEnrolment } from './enrolment.js';
import { mountConsolePages } from './page.js';
import { adminOfConsoleUser, ensureConsoleResource } from './resource.js';
import * as s from './schema.js';
import {
  CSRF_HEADER,
  SESSION_COOKIE,
  SESSION_ABSOLUTE_MS,
  authenticateSession,
  consumeNonce,
  consoleCsrf,
  findLiveSession,
  mintNonce,
  openSession,
  purgeConsoleRows,
  revokeSession,
} from './sessions.js';

// The console's own JSON API under /console/api/ (DESIGN §11): the sign-in page's nonce, opening
// and closing a session, and the enrolment page. Everything else the console does goes through
// /api/v1 with the session cookie and the CSRF header.

export interface ConsoleRouteDeps {
  /** The console bundles; default: dist/console, or built in memory in development. */
  assets: ConsoleAssets;
  db: Db;
  keyRing: KeyRing;
  now: () => Date;
  config: Pick<Config, 'publicUrl' | 'trustedProxies'>;
}

const tags = ['Console'];
const noBody = { description: 'Done.' };
const routes = {
  signIn: createRoute({
    method: 'get',
    path: '/console/api/sign-in',
    tags,
    summary: 'A nonce for the console sign-in page and the console resource the widget signs in to',
    responses: { 200: jsonResponse('The widget parameters of this sign-in.', s.signInInfo) },
  }),
  open: createRoute({
    method: 'post',
    path: '/console/api/session',
    tags,
    summary: 'Open a console session with the widget result (sets the vf_console cookie)',
    request: { body: jsonBody(s.sessionBody) },
    responses: {
      201: jsonResponse('The session: its CSRF value and the administrator.', s.sessionView),
      400: adminErrors[400],
      401: adminErrors[401],
      403: adminErrors[403],
    },
  }),
  current: createRoute({
    method: 'get',
    path: '/console/api/session',
    tags,
    summary: 'The current console session (after a reload): its CSRF value and the administrator',
    responses: { 200: jsonResponse('The session.', s.sessionView), 401: adminErrors[401] },
  }),
  close: createRoute({
    method: 'delete',
    path: '/console/api/session',
    tags,
    summary: 'Sign out: revoke the session and clear the cookie (needs X-Veriframe-CSRF)',
    responses: { 204: noBody, 401: adminErrors[401], 403: adminErrors[403] },
  }),
  enrolStart: createRoute({
    method: 'post',
    path: '/console/api/enrol/start',
    tags,
    summary: 'Enrolment link: a new authenticator secret (QR code) for the administrator',
    request: { body: jsonBody(s.enrolStartBody) },
    responses: { 200: jsonResponse('The secret, shown once.', s.enrolStartView), 404: adminErrors[404] },
  }),
  enrolFinish: createRoute({
    method: 'post',
    path: '/console/api/enrol/finish',
    tags,
    summary: 'Enrolment link: set the password and confirm the authenticator with one code',
    request: { body: jsonBody(s.enrolFinishBody) },
    responses: {
      204: noBody,
      400: adminErrors[400],
      404: adminErrors[404],
      422: { description: 'The code is not valid for the new authenticator.', content: adminErrors[404].content },
    },
  }),
};

/** POSTs and DELETEs come from our own pages only: a browser names the page's origin. */
function sameOrigin(publicUrl: string): MiddlewareHandler {
  const ours = new URL(publicUrl).origin;
  return async (c, next) => {
    if (c.req.method !== 'GET') {
      const origin = c.req.header('origin');
      if (origin !== undefined && origin !== ours) throw appError('cross_site_request');
      const site = c.req.header('sec-fetch-site');
      if (site !== undefined && site !== 'same-origin' && site !== 'none') throw appError('cross_site_request');
    }
    await next();
  };
}

export function consoleRoutes(deps: ConsoleRouteDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  const { db } = deps;
  const secure = new URL(deps.config.publicUrl).protocol === 'https:';
  const ours = new URL(deps.config.publicUrl).origin;
  app.use('/console/api/*', sameOrigin(deps.config.publicUrl));

  async function view(adminId: string, csrf: string, expiresAt: Date) {
    const admin = await db
      .selectFrom('admins as a')
      .leftJoin('users as u', 'u.id', 'a.consoleUserId')
      .select(['a.id', 'a.name', 'a.role', 'u.login'])
      .where('a.id', '=', adminId)
      .executeTakeFirstOrThrow();
    const resourceIds = admin.role === 'superuser' ? [] : await adminResourceIds(db, adminId);
    return { csrf, expiresAt: expiresAt.toISOString(), admin: { id: admin.id, name: admin.name, role: admin.role, resourceIds, login: admin.login ?? null } };
  }

  app.openapi(routes.signIn, async (c) => {
    const now = deps.now();
    const resourceId = await ensureConsoleResource(db, deps.config.publicUrl);
    await purgeConsoleRows(db, now);
    c.header('Cache-Control', 'no-store');
    return c.json({ resourceId, nonce: await mintNonce(db, now) }, 200);
  });

  app.openapi(routes.open, async (c) => {
    const { token, nonce } = c.req.valid('json');
    const now = deps.now();
    const ip = requestClientIp(c, deps.config.trustedProxies);
    const resourceId = await ensureConsoleResource(db, deps.config.publicUrl);
    const refuse = async (reason: string, userId: string | null = null) => {
      await appendEvent(db, { type: 'console.sign_in', actor: 'console', resourceId, userId, ip, result: 'failure', reason });
      return appError(reason === 'not_an_administrator' ? 'not_an_administrator' : 'console_sign_in_failed');
    };
    if (!(await consumeNonce(db, nonce, now))) throw await refuse('nonce_unknown');
    const outcome = await verifyResultToken(db, { token, nonce, resourceId, issuer: deps.config.publicUrl, now });
    if (!outcome.valid) throw await refuse(outcome.reason);
    if (outcome.origin !== ours) throw await refuse('wrong_origin', outcome.sub);
    const admin = await adminOfConsoleUser(db, outcome.sub);
    if (!admin?.active) throw await refuse('not_an_administrator', outcome.sub);
    const session = await openSession(db, { adminId: admin.id, now, ip });
    await appendEvent(db, {
      type: 'console.sign_in',
      actor: `admin:${admin.id}`,
      actorAdminId: admin.id,
      resourceId,
      userId: outcome.sub,
      ip,
      result: 'success',
      details: { amr: outcome.amr },
    });
    setCookie(c, SESSION_COOKIE, session.cookie, { httpOnly: true, sameSite: 'Strict', path: '/', secure, maxAge: SESSION_ABSOLUTE_MS / 1000 });
    c.header('Cache-Control', 'no-store');
    return c.json(await view(admin.id, session.csrf, session.expiresAt), 201);
  });

  app.openapi(routes.current, async (c) => {
    const cookie = getCookie(c, SESSION_COOKIE);
    if (!cookie) throw appError('invalid_session');
    // The CSRF value is what this call hands out, so it is not asked for: a cross-site page
    // cannot read the answer of a same-origin GET.
    const session = await findLiveSession(db, cookie, deps.now());
    if (!session) throw appError('invalid_session');
    c.header('Cache-Control', 'no-store');
    return c.json(await view(session.adminId, consoleCsrf(cookie), session.expiresAt), 200);
  });

  app.openapi(routes.close, async (c) => {
    const cookie = getCookie(c, SESSION_COOKIE);
    if (!cookie) throw appError('invalid_session');
    const now = deps.now();
    const checked = await authenticateSession(db, cookie, c.req.header(CSRF_HEADER), now);
    if ('refused' in checked && checked.refused === 'csrf') throw appError('csrf');
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure });
    if ('refused' in checked) throw appError('invalid_session');
    await revokeSession(db, cookie, now);
    await appendEvent(db, { type: 'console.sign_out', actor: `admin:${checked.principal.adminId}`, actorAdminId: checked.principal.adminId });
    return c.body(null, 204);
  });

  app.openapi(routes.enrolStart, async (c) => {
    const { code } = c.req.valid('json');
    c.header('Cache-Control', 'no-store');
    return c.json(await startEnrolment(db, deps.keyRing, code, deps.now()), 200);
  });

  app.openapi(routes.enrolFinish, async (c) => {
    const body = c.req.valid('json');
    await finishEnrolment(db, deps.keyRing, { ...body, now: deps.now() });
    return c.body(null, 204);
  });
  mountConsolePages(app, deps.assets);
  return app;
}
