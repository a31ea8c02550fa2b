import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { resourceAuth } from '../auth/routes.js';
import type { KeyRing } from '../crypto/secretbox.js';
import type { Db } from '../db/index.js';
import { appendEvent } from '../events/repository.js';
import { adminErrors, jsonBody, jsonResponse } from '../http/openapi.js';
import { validationHook } from '../http/validation.js';
import { ensureSigningKey, publishedKeys } from './keys.js';
import { verifyEvent, verifyReasons, verifyResultToken } from './result.js';

export interface JwtRouteDeps {
  db: Db;
  keyRing: KeyRing;
  now: () => Date;
  /** PUBLIC_URL: the `iss` every result token carries. */
  issuer: string;
}

type Env = { Variables: { resourceId: string } };

const jwkSchema = z
  .object({ kty: z.literal('EC'), crv: z.literal('P-256'), x: z.string(), y: z.string(), kid: z.string(), alg: z.literal('ES256'), use: z.literal('sig') })
  .openapi('Jwk');
const jwksSchema = z.object({ keys: z.array(jwkSchema) }).openapi('Jwks');

const verifyBody = z
  .object({
    token: z.string().min(1).max(8192).openapi({ description: 'The result JWT the widget put into the form (`veriframe-token`).' }),
    nonce: z.string().min(1).max(512).openapi({ description: 'The nonce this site minted for the login (`data-nonce`).' }),
  })
  .strict()
  .openapi('VerifyRequest');
const verifyResult = z
  .object({
    valid: z.boolean(),
    reason: z.enum(verifyReasons).optional().openapi({ description: 'Why the token was refused (only when `valid` is false).' }),
    sub: z.string().optional().openapi({ description: 'The user id.' }),
    login: z.string().optional(),
    amr: z
      .array(z.enum(['pwd', 'otp', 'bypass', 'enroll']))
      .optional()
      .openapi({ description: 'How the user authenticated; `enroll` with `otp`: the code came from a token the user enrolled during this sign-in.' }),
    origin: z.string().optional().openapi({ description: 'The origin of the page the widget was embedded in.' }),
  })
  .openapi('VerifyResult');

const routes = {
  jwks: createRoute({
    method: 'get',
    path: '/.well-known/jwks.json',
    tags: ['Widget result'],
    summary: 'Public keys of the result JWT (ES256), for offline verification',
    responses: { 200: jsonResponse('The JSON Web Key Set: the signing key and retired keys still in their overlap.', jwksSchema) },
  }),
  verify: createRoute({
    method: 'post',
    path: '/api/v1/verify',
    tags: ['Widget result'],
    summary: 'Verify a widget result JWT once (single use), for this resource',
    security: [{ resourceSecret: [] }],
    request: { body: jsonBody(verifyBody) },
    responses: {
      200: jsonResponse('`valid` true with the verified claims the first time; otherwise `valid` false and `reason`.', verifyResult),
      400: adminErrors[400],
      401: adminErrors[401],
      413: adminErrors[413],
    },
  }),
};

/**
 * `/.well-known/jwks.json` (public) and `/api/v1/verify` (resource credentials). Mounted at the
 * root before the admin sub-app, whose Bearer check would otherwise claim /api/v1/verify.
 */
export function jwtRoutes(deps: JwtRouteDeps) {
  const app = new OpenAPIHono<Env>({ defaultHook: validationHook });

  app.openapi(routes.jwks, async (c) => {
    const now = deps.now();
    let keys = await publishedKeys(deps.db, now);
    // A verifier may fetch the JWKS before the first login; it must not cache an empty set.
    if (!keys.length) {
      await ensureSigningKey(deps.db, deps.keyRing, now);
      keys = await publishedKeys(deps.db, now);
    }
    // Verifiers refetch on an unknown kid, so five minutes of caching cannot hide a new key long.
    c.header('Cache-Control', 'public, max-age=300');
    return c.json({ keys }, 200);
  });

  app.use('/api/v1/verify', resourceAuth(deps));
  app.openapi(routes.verify, async (c) => {
    const { token, nonce } = c.req.valid('json');
    const resourceId = c.get('resourceId');
    const outcome = await verifyResultToken(deps.db, { token, nonce, resourceId, issuer: deps.issuer, now: deps.now(), record: true });
    // A refused token (above all a replayed one) is a sign of theft or a broken integration.
    // Past every other check, the jti's consumption wrote the event with it.
    if (!outcome.recorded) await appendEvent(deps.db, verifyEvent(resourceId, outcome));
    if (!outcome.valid) return c.json({ valid: false, reason: outcome.reason }, 200);
    return c.json({ valid: true, sub: outcome.sub, login: outcome.login, amr: outcome.amr, origin: outcome.origin }, 200);
  });
  return app;
}
