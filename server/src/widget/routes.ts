import { Hono, type Context } from 'hono';
import { widgetLanguages, type FrameConfig, type WidgetLanguage } from '../../../shared/protocol.js';
import { styleOptions, stylePatterns } from '../../../shared/style.js';
import type { Config } from '../config.js';
import { appError, isAppError } from '../errors.js';
import { loadResource } from '../auth/repository.js';
import { requestClientIp } from '../http/client-ip.js';
import { limitBody } from '../http/body-limit.js';
import { jsonBody, sameOriginOnly } from '../http/same-origin.js';
import { normaliseOrigin } from '../resources/origins.js';
import type { WidgetAssets } from './assets.js';
import { enrollConfirm, enrollPushWait, enrollResend, enrollStart } from './enroll.js';
import { identifyStep, otpStep, resendStep, start, type Client, type WidgetDeps } from './flow.js';
import { REFUSAL_CSP, frameCsp, framePage, refusalPage } from './page.js';
import { pushWait } from './push.js';
import * as s from './schema.js';
import { purgeTransactions } from './transactions.js';

// GET /widget/{resourceId}?origin=&instance=&lang=&theme=&size=&accent=&radius=&font= (the iframe page),
// GET /widget/assets/* (its bundles) and the iframe's JSON API under /widget/api/ (DESIGN §7.2).
// No cookies anywhere: the transaction id in the request body is the only state the iframe holds.

export interface WidgetRouteDeps extends Omit<WidgetDeps, 'issuer'> {
  config: Pick<Config, 'publicUrl' | 'trustedProxies' | 'production' | 'tokenQuota'>;
  assets: WidgetAssets;
}

const API_BODY_MAX = 16 * 1024;
const PURGE_EVERY_MS = 60_000;

/** Retry-After goes with both "wait" answers, so browsers and proxies see it too. */
async function withRetryAfter<T>(c: Context, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const retryAfter = isAppError(err) ? (err.details as { retryAfter?: unknown } | undefined)?.retryAfter : undefined;
    if (typeof retryAfter === 'number') c.header('Retry-After', String(retryAfter));
    throw err;
  }
}

function refuse(c: Context, status: 400 | 403 | 404, title: string, text: string) {
  c.header('Content-Security-Policy', REFUSAL_CSP);
  // For browsers that predate frame-ancestors.
  c.header('X-Frame-Options', 'DENY');
  return c.html(refusalPage(title, text), status);
}

/** `auto`, or a language tag whose primary language has a catalogue; other languages get English. */
function resolveLang(raw: string | undefined): WidgetLanguage | 'auto' | undefined {
  if (raw === undefined || raw === '' || raw === 'auto') return 'auto';
  if (!/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,3}$/.test(raw)) return undefined;
  const primary = raw.split('-')[0]!.toLowerCase();
  return (widgetLanguages as readonly string[]).includes(primary) ? (primary as WidgetLanguage) : 'en';
}

export function widgetRoutes(deps: WidgetRouteDeps) {
  const app = new Hono();
  const flowDeps: WidgetDeps = {
    db: deps.db,
    keyRing: deps.keyRing,
    log: deps.log,
    now: deps.now,
    issuer: deps.config.publicUrl,
    ...(deps.delivery ? { delivery: deps.delivery } : {}),
    ...(deps.config.tokenQuota !== undefined ? { quota: deps.config.tokenQuota } : {}),
  };
  const client = (c: Context): Client => ({ ip: requestClientIp(c, deps.config.trustedProxies), userAgent: c.req.header('user-agent') ?? null });

  app.get('/widget/assets/*', async (c) => {
    const name = c.req.path.slice('/widget/assets/'.length);
    const result = await deps.assets.get(name);
    if ('unavailable' in result) return c.text(result.unavailable, 503);
    if ('missing' in result) throw appError('not_found');
    const { asset } = result;
    c.header('ETag', asset.etag);
    // Revalidated on every load (the file name carries no hash); the ETag makes that cheap.
    c.header('Cache-Control', 'no-cache');
    c.header('Cross-Origin-Resource-Policy', 'same-origin');
    if (c.req.header('if-none-match') === asset.etag) return c.body(null, 304);
    c.header('Content-Type', asset.contentType);
    return c.body(asset.body as Uint8Array<ArrayBuffer>, 200);
  });

  // The loader site owners include with one script tag: loaded cross-origin by design, cached
  // briefly so a new release reaches pages within minutes.
  app.get('/embed.js', async (c) => {
    const result = await deps.assets.get('embed.js');
    if ('unavailable' in result) return c.text(result.unavailable, 503);
    if ('missing' in result) throw appError('not_found');
    c.header('ETag', result.asset.etag);
    c.header('Cache-Control', 'public, max-age=300');
    c.header('Cross-Origin-Resource-Policy', 'cross-origin');
    if (c.req.header('if-none-match') === result.asset.etag) return c.body(null, 304);
    c.header('Content-Type', result.asset.contentType);
    return c.body(result.asset.body as Uint8Array<ArrayBuffer>, 200);
  });

  app.use('/widget/api/*', sameOriginOnly(deps.config.publicUrl), limitBody(API_BODY_MAX));

  let lastPurge = 0;
  app.post('/widget/api/start', async (c) => {
    const body = await jsonBody(c, s.startBody);
    const answer = await withRetryAfter(c, () => start(flowDeps, client(c), body));
    // Old transactions are deleted now and then, by whichever instance starts one.
    const now = deps.now().getTime();
    if (now - lastPurge > PURGE_EVERY_MS) {
      lastPurge = now;
      await purgeTransactions(deps.db, deps.now());
    }
    return c.json(answer, 200);
  });
  app.post('/widget/api/identify', async (c) => {
    const body = await jsonBody(c, s.identifyBody);
    return c.json(await withRetryAfter(c, () => identifyStep(flowDeps, client(c), body)), 200);
  });
  app.post('/widget/api/otp', async (c) => {
    const body = await jsonBody(c, s.otpBody);
    return c.json(await withRetryAfter(c, () => otpStep(flowDeps, client(c), body)), 200);
  });
  // Enrolment during login (enroll.ts).
  app.post('/widget/api/enroll', async (c) => {
    const body = await jsonBody(c, s.enrollBody);
    return c.json(await withRetryAfter(c, () => enrollStart(flowDeps, client(c), body)), 200);
  });
  app.post('/widget/api/enroll/confirm', async (c) => {
    const body = await jsonBody(c, s.otpBody);
    return c.json(await withRetryAfter(c, () => enrollConfirm(flowDeps, client(c), body)), 200);
  });
  app.post('/widget/api/enroll/resend', async (c) => {
    const body = await jsonBody(c, s.resendBody);
    await withRetryAfter(c, () => enrollResend(flowDeps, client(c), body));
    return c.json({ resendAfter: 30 }, 200);
  });
  // Waiting for the authenticator app (push.ts): asked again until the answer moves on.
  app.post('/widget/api/push', async (c) => {
    const body = await jsonBody(c, s.resendBody);
    return c.json(await withRetryAfter(c, () => pushWait(flowDeps, client(c), body)), 200);
  });
  app.post('/widget/api/enroll/push', async (c) => {
    const body = await jsonBody(c, s.resendBody);
    return c.json(await withRetryAfter(c, () => enrollPushWait(flowDeps, client(c), body)), 200);
  });
  app.post('/widget/api/resend', async (c) => {
    const body = await jsonBody(c, s.resendBody);
    return c.json(await withRetryAfter(c, () => resendStep(flowDeps, client(c), body)), 200);
  });

  app.get('/widget/:resourceId', async (c) => {
    const resourceId = c.req.param('resourceId');
    const q = c.req.query();
    // Through the resource cache (auth/resource-cache.ts), as every step of the sign-in reads it.
    const resource = s.uuid.test(resourceId) ? (await loadResource(deps.db, resourceId))?.resource : undefined;
    if (!resource || !resource.active) return refuse(c, 404, 'Sign-in not available', 'There is no such sign-in, or it is switched off.');
    const lang = resolveLang(q.lang);
    const theme = q.theme || 'auto';
    const size = q.size || 'normal';
    if (
      !q.instance ||
      !s.id.test(q.instance) ||
      lang === undefined ||
      (theme !== 'light' && theme !== 'dark' && theme !== 'auto') ||
      (size !== 'normal' && size !== 'compact')
    ) {
      return refuse(c, 400, 'Invalid sign-in request', 'The widget was loaded with invalid parameters (instance, lang, theme or size).');
    }
    // Brand style (loader options accent/radius/font): the values become CSS custom properties
    // inside the iframe, so this check is the guard; the loader's is only for early reporting.
    const style: Record<string, string> = {};
    for (const key of styleOptions) {
      const value = q[key];
      if (!value) continue;
      if (!stylePatterns[key].test(value))
        return refuse(c, 400, 'Invalid sign-in request', `The widget was loaded with an invalid ${key} (see the embedding options).`);
      style[`--vf-${key}`] = value;
    }
    const origin = q.origin !== undefined ? normaliseOrigin(q.origin) : undefined;
    if (!origin?.ok || !resource.allowedOrigins.includes(origin.origin)) {
      return refuse(
        c,
        403,
        'Sign-in not allowed on this site',
        `${q.origin?.slice(0, 200) || 'This site'} is not among the origins allowed to embed this sign-in.`,
      );
    }
    // size is the loader's data-size, passed through for the app's spacing.
    const config: FrameConfig & { size: 'normal' | 'compact'; style?: Record<string, string> } = {
      resourceId: resource.id,
      parentOrigin: origin.origin,
      instance: q.instance,
      lang,
      theme,
      authMethod: resource.authMethod,
      resourceName: resource.name,
      size,
      ...(Object.keys(style).length ? { style } : {}),
    };
    deps.assets.warm();
    c.header('Content-Security-Policy', frameCsp(origin.origin));
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Cache-Control', 'no-store');
    return c.html(framePage(config), 200);
  });

  return app;
}
