import { OpenAPIHono, createRoute, type z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { appError } from '../errors.js';
import { adminErrors, jsonBody, jsonResponse } from '../http/openapi.js';
import { validationHook } from '../http/validation.js';
import { secretMatches } from '../resources/secret.js';
import { prepare, signTransaction, verifySignedTransaction } from './prepare.js';
import { pushStatus } from './push.js';
import * as s from './schema.js';
import { authenticate, loadResource, type AuthContext, type AuthDeps, type AuthOutcome, type LoadedResource } from './service.js';

const basic = [{ resourceSecret: [] }];
const errors = {
  400: adminErrors[400],
  401: adminErrors[401],
  413: adminErrors[413],
  429: jsonResponse('Too many failures from this IP; see Retry-After.', s.authResultSchema),
};

const authRoute = <T extends z.ZodType>(path: string, summary: string, body: T) =>
  createRoute({
    method: 'post',
    path: `/{resourceId}/${path}`,
    tags: ['Authentication'],
    summary,
    security: basic,
    request: { params: s.resourceParam, body: jsonBody(body) },
    responses: { 200: jsonResponse('`result` true on success; otherwise `reason`.', s.authResultSchema), ...errors },
  });

const routes = {
  token: authRoute('token', 'Check an OTP (with PIN) of a token assigned to the resource', s.tokenAuthBody),
  password: authRoute('password', 'Check the password of a user assigned to the resource', s.passwordAuthBody),
  userToken: authRoute('user-token', "Check a user's OTP (with PIN) with the token paired in this resource", s.userTokenAuthBody),
  userPasswordToken: authRoute('user-password-token', 'Check password and OTP of a user with a token', s.userPasswordTokenAuthBody),
  prepare: authRoute('prepare', "Send an e-mail/SMS/bot code, get an OCRA challenge, or ask the user's authenticator app (push)", s.prepareBody),
  signTransaction: authRoute('sign-transaction', 'Get an OCRA challenge derived from transaction data (Confirm What You See)', s.signTransactionBody),
  verifySignedTransaction: authRoute('verify-signed-transaction', 'Verify the OCRA answer for exactly this transaction data', s.verifyTransactionBody),
  pushStatus: authRoute(
    'push-status',
    "The app's answer to a push request: true once approved (single use), `push_pending` while waiting, `push_denied` (counts as a failure) or `expired_challenge`",
    s.pushStatusBody,
  ),
};

type Env = { Variables: { resourceId: string; resource: LoadedResource | undefined } };

/**
 * HTTP Basic with the resource id and its verification secret. An id in the path must be the
 * one authenticated, so one resource's secret can never act for another; routes without one
 * (POST /verify) act for the authenticated resource. The resource row (with its filters) read
 * for the check is kept for the request, so the authentication does not read it again.
 */
export function resourceAuth(deps: Pick<AuthDeps, 'db'>): MiddlewareHandler<Env> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const m = /^Basic[ ]+([A-Za-z0-9+/=]+)$/i.exec(header);
    const decoded = m ? Buffer.from(m[1]!, 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const [id, secret] = colon > 0 ? [decoded.slice(0, colon), decoded.slice(colon + 1)] : ['', ''];
    const pathId = c.req.param('resourceId');
    const loaded = id && (pathId === undefined || id === pathId) ? await loadResource(deps.db, id) : undefined;
    if (!secretMatches(loaded?.resource.secretHash, secret)) {
      c.header('WWW-Authenticate', 'Basic realm="veriframe"');
      throw appError('invalid_resource_credentials');
    }
    c.set('resourceId', id);
    c.set('resource', loaded);
    await next();
  };
}

function answer(c: Context, outcome: AuthOutcome) {
  const body = {
    result: outcome.result,
    ...(outcome.reason ? { reason: outcome.reason } : {}),
    ...(outcome.retryAfter !== undefined ? { retryAfter: outcome.retryAfter } : {}),
    ...(outcome.challenge ? { challenge: outcome.challenge } : {}),
    ...(outcome.push ? { push: outcome.push } : {}),
  };
  if (outcome.reason === 'throttled') {
    c.header('Retry-After', String(outcome.retryAfter ?? 1));
    return c.json(body, 429);
  }
  return c.json(body, 200);
}

export function authRoutes(deps: AuthDeps) {
  const app = new OpenAPIHono<Env>({ defaultHook: validationHook });
  app.use('/:resourceId/*', resourceAuth(deps));
  // The end user's IP and User-Agent come in the body (the caller is the site's backend).
  const ctx = (c: Context<Env>, b: { ip?: string | undefined; userAgent?: string | undefined }): AuthContext => {
    const loaded = c.get('resource');
    return { resourceId: c.get('resourceId'), ip: b.ip ?? null, userAgent: b.userAgent ?? null, channel: 'api', ...(loaded ? { loaded } : {}) };
  };

  app.openapi(routes.token, async (c) => {
    const b = c.req.valid('json');
    return answer(c, await authenticate(deps, ctx(c, b), { method: 'token', tokenId: b.tokenId, otp: b.otp }));
  });
  app.openapi(routes.password, async (c) => {
    const b = c.req.valid('json');
    return answer(c, await authenticate(deps, ctx(c, b), { method: 'password', login: b.login, password: b.password }));
  });
  app.openapi(routes.userToken, async (c) => {
    const b = c.req.valid('json');
    return answer(c, await authenticate(deps, ctx(c, b), { method: 'user-token', login: b.login, otp: b.otp }));
  });
  app.openapi(routes.userPasswordToken, async (c) => {
    const b = c.req.valid('json');
    return answer(
      c,
      await authenticate(deps, ctx(c, b), {
        method: 'user-password-token',
        login: b.login,
        password: b.password,
        ...(b.otp !== undefined ? { otp: b.otp } : {}),
      }),
    );
  });
  app.openapi(routes.prepare, async (c) => {
    const b = c.req.valid('json');
    return answer(c, await prepare(deps, ctx(c, b), b.login));
  });
  app.openapi(routes.signTransaction, async (c) => {
    const b = c.req.valid('json');
    return answer(c, await signTransaction(deps, ctx(c, b), b.login, b.data));
  });
  app.openapi(routes.verifySignedTransaction, async (c) => {
    const b = c.req.valid('json');
    return answer(c, await verifySignedTransaction(deps, ctx(c, b), b.login, b.data, b.otp));
  });
  app.openapi(routes.pushStatus, async (c) => {
    const b = c.req.valid('json');
    return answer(c, await pushStatus(deps, ctx(c, b), b.login, b.challenge, b.data));
  });
  return app;
}
