import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { Config } from '../config.js';
import { appError, isAppError } from '../errors.js';
import { requestClientIp } from '../http/client-ip.js';
import { limitBody } from '../http/body-limit.js';
import { findByAddress } from '../resources/repository.js';
import { addressPattern, enrollmentTypes, portalSettingsOf } from '../resources/self-service.js';
import type { ResourceRow } from '../db/types.js';
import { pin } from '../tokens/schema.js';
import { email, login, name, password, phone } from '../users/schema.js';
import * as actions from './actions.js';
import { jsonBody, sameOriginOnly } from '../http/same-origin.js';
import { checkCsrf, clearSessionCookie, sessionCookie, setSessionCookie } from './http.js';
import type { WidgetAssets } from '../widget/assets.js';
import { PORTAL_CSP, portalPage } from './page.js';
import { closeSession, portalCsrf, purgeSessions, touchSession, type PortalSessionRow } from './sessions.js';
import { codeStep, otpStep, passwordStep, pushStep, startSignIn, type Client, type PortalDeps } from './sign-in.js';

// The portal's JSON API under /self-service/{address}/api/ (DESIGN §12). Like the widget's API
// it is the portal page's own and not part of /api/v1; README "Self-service portal" lists it.

export interface PortalRouteDeps extends Omit<PortalDeps, 'issuer'> {
  config: Pick<Config, 'publicUrl' | 'trustedProxies' | 'tokenQuota'>;
  /** The widget's bundles, which include portal.js (warmed when the page is served). */
  assets?: WidgetAssets;
}

const BODY_MAX = 16 * 1024;
const PURGE_EVERY_MS = 60_000;
const code = z.string().trim().min(1).max(64);
const secret = z.string().min(1).max(256);

type Env = { Variables: { resource: ResourceRow; address: string } };

export function portalRoutes(deps: PortalRouteDeps) {
  const app = new Hono<Env>();
  const flow: PortalDeps = {
    db: deps.db,
    keyRing: deps.keyRing,
    log: deps.log,
    now: deps.now,
    issuer: 'Veriframe',
    publicUrl: deps.config.publicUrl,
    ...(deps.delivery ? { delivery: deps.delivery } : {}),
    ...(deps.config.tokenQuota !== undefined ? { quota: deps.config.tokenQuota } : {}),
  };
  const secure = deps.config.publicUrl.startsWith('https:');
  const client = (c: Context): Client => ({ ip: requestClientIp(c, deps.config.trustedProxies), userAgent: c.req.header('user-agent') ?? null });
  let lastPurge = 0;

  app.use('/self-service/:address/api/*', sameOriginOnly(deps.config.publicUrl), limitBody(BODY_MAX), async (c, next) => {
    const address = c.req.param('address') ?? '';
    const resource = addressPattern.test(address) ? await findByAddress(deps.db, address) : undefined;
    if (!resource || !resource.active || !portalSettingsOf(resource.settings).selfService.enabled) throw appError('resource_unavailable');
    c.set('resource', resource);
    c.set('address', address);
    c.header('Cache-Control', 'no-store');
    try {
      await next();
    } catch (err) {
      const retryAfter = isAppError(err) ? (err.details as { retryAfter?: unknown } | undefined)?.retryAfter : undefined;
      if (typeof retryAfter === 'number') c.header('Retry-After', String(retryAfter));
      throw err;
    }
  });

  /** The session of this cookie in this portal; with `csrf` the header must match (writes). */
  async function session(c: Context<Env>, opts: { csrf: boolean }): Promise<PortalSessionRow> {
    const id = sessionCookie(c);
    const s = id ? await touchSession(deps.db, id, c.get('resource').id, deps.now()) : undefined;
    if (!s) throw appError('session_required');
    if (opts.csrf) checkCsrf(c, s.csrfHash);
    return s;
  }

  /** A signed-in user's request: session at stage signed_in, its user still active. */
  async function me(c: Context<Env>, csrf = true): Promise<actions.Me> {
    const s = await session(c, { csrf });
    if (s.stage !== 'signed_in') throw appError('session_required');
    const partial = { deps: flow, resource: c.get('resource'), session: s, client: client(c) };
    const user = await actions.sessionUser(partial);
    if (!user) throw appError('session_required');
    return { ...partial, user };
  }

  const base = '/self-service/:address/api';

  // The page itself. Unknown, switched off or inactive: one plain 404.
  app.get('/self-service/:address', async (c) => {
    const address = c.req.param('address');
    const resource = addressPattern.test(address) ? await findByAddress(deps.db, address) : undefined;
    c.header('Content-Security-Policy', PORTAL_CSP);
    c.header('X-Frame-Options', 'DENY');
    c.header('Cache-Control', 'no-store');
    if (!resource || !resource.active || !portalSettingsOf(resource.settings).selfService.enabled)
      return c.text('There is no such self-service portal, or it is switched off.', 404);
    deps.assets?.warm();
    return c.html(portalPage({ address, resourceName: resource.name }), 200);
  });

  app.post(`${base}/sign-in`, async (c) => {
    const body = await jsonBody(c, z.object({ login: z.string().trim().min(1).max(100) }).strict());
    const started = await startSignIn(flow, c.get('resource'), client(c), body.login);
    setSessionCookie(c, c.get('address'), started.sessionId, secure);
    const now = deps.now().getTime();
    if (now - lastPurge > PURGE_EVERY_MS) {
      lastPurge = now;
      await purgeSessions(deps.db, deps.now());
    }
    return c.json({ ...started.answer, csrf: started.csrf }, 200);
  });
  app.post(`${base}/password`, async (c) => {
    const body = await jsonBody(c, z.object({ password: secret }).strict());
    return c.json(await passwordStep(flow, c.get('resource'), client(c), await session(c, { csrf: true }), body.password), 200);
  });
  app.post(`${base}/code`, async (c) => {
    const body = await jsonBody(c, z.object({ code }).strict());
    return c.json(await codeStep(flow, c.get('resource'), client(c), await session(c, { csrf: true }), body.code), 200);
  });
  app.post(`${base}/otp`, async (c) => {
    const body = await jsonBody(c, z.object({ otp: code }).strict());
    return c.json(await otpStep(flow, c.get('resource'), client(c), await session(c, { csrf: true }), body.otp), 200);
  });
  // Waiting for the authenticator app (push token): asked again until the step changes.
  app.post(`${base}/push`, async (c) => {
    await jsonBody(c, z.object({}).strict());
    return c.json(await pushStep(flow, c.get('resource'), client(c), await session(c, { csrf: true })), 200);
  });
  app.post(`${base}/sign-out`, async (c) => {
    await closeSession(deps.db, await session(c, { csrf: true }));
    clearSessionCookie(c, c.get('address'), secure);
    return c.body(null, 204);
  });
  // The page's state after a reload, with the CSRF value (readable by our own origin only).
  app.get(`${base}/me`, async (c) => {
    const m = await me(c, false);
    return c.json({ ...(await actions.overview(m)), csrf: portalCsrf(sessionCookie(c)!) }, 200);
  });

  const ok = (c: Context) => c.json({ ok: true }, 200);
  app.post(`${base}/token/enroll`, async (c) => {
    const body = await jsonBody(c, z.object({ type: z.enum(enrollmentTypes) }).strict());
    return c.json(await actions.startEnroll(await me(c), body.type), 200);
  });
  app.post(`${base}/token/enroll/confirm`, async (c) => {
    // A push token is confirmed by its app's registration: no code.
    const body = await jsonBody(c, z.object({ otp: code.optional() }).strict());
    return c.json(await actions.confirmEnroll(await me(c), body.otp ?? ''), 200);
  });
  app.post(`${base}/token/enroll/resend`, async (c) => {
    await actions.resendEnrollCode(await me(c));
    return ok(c);
  });
  app.post(`${base}/token/reissue`, async (c) => c.json(await actions.reissue(await me(c)), 200));
  app.post(`${base}/token/assign`, async (c) => {
    const body = await jsonBody(c, z.object({ serialNumber: z.string().trim().min(1).max(100), otp: code }).strict());
    return c.json(await actions.assignExisting(await me(c), body.serialNumber, body.otp), 200);
  });
  app.post(`${base}/token/unassign`, async (c) => {
    await actions.unassign(await me(c));
    return ok(c);
  });
  app.post(`${base}/token/sync`, async (c) => {
    const body = await jsonBody(c, z.object({ otp1: code, otp2: code }).strict());
    return c.json(await actions.synchronize(await me(c), body.otp1, body.otp2), 200);
  });
  app.put(`${base}/token/pin`, async (c) => {
    const body = await jsonBody(c, z.object({ pin }).strict());
    return c.json(await actions.setPin(await me(c), body.pin), 200);
  });
  app.delete(`${base}/token/pin`, async (c) => c.json(await actions.setPin(await me(c), null), 200));

  app.post(`${base}/user/password`, async (c) => {
    const body = await jsonBody(c, z.object({ password }).strict());
    await actions.createPassword(await me(c), body.password);
    return ok(c);
  });
  app.post(`${base}/user/password/change`, async (c) => {
    const body = await jsonBody(c, z.object({ current: secret, password }).strict());
    await actions.changePassword(await me(c), body.current, body.password);
    return ok(c);
  });
  for (const kind of ['email', 'phone'] as const) {
    app.post(`${base}/user/${kind}`, async (c) => {
      const body = await jsonBody(c, z.object({ to: kind === 'email' ? email : phone }).strict());
      return c.json(await actions.startAddressChange(await me(c), kind, body.to), 200);
    });
    app.post(`${base}/user/${kind}/confirm`, async (c) => {
      const body = await jsonBody(c, z.object({ code }).strict());
      await actions.confirmAddressChange(await me(c), kind, body.code);
      return ok(c);
    });
  }
  app.post(`${base}/user/login`, async (c) => {
    const body = await jsonBody(c, z.object({ login }).strict());
    await actions.changeLogin(await me(c), body.login);
    return ok(c);
  });
  app.post(`${base}/user/names`, async (c) => {
    const body = await jsonBody(c, z.object({ firstName: name.nullable().optional(), lastName: name.nullable().optional() }).strict());
    await actions.changeNames(await me(c), body);
    return ok(c);
  });
  return app;
}
