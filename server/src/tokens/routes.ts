import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { canAccessResource, scopeOf } from '../access/scope.js';
import type { AdminEnv } from '../admins/keys-auth.js';
import type { KeyRing } from '../crypto/secretbox.js';
import type { Delivery } from '../delivery/types.js';
import type { Db } from '../db/index.js';
import { appError } from '../errors.js';
import { listEvents } from '../events/repository.js';
import { eventListSchema, eventJson } from '../events/schema.js';
import { adminErrors, adminRoute, jsonBody, jsonResponse } from '../http/openapi.js';
import { cursorPageQuery } from '../http/paging.js';
import { validationHook } from '../http/validation.js';
import { confirmToken, sendConfirmation } from './confirmation.js';
import { importTokensCsv, importQuery } from './import.js';
import * as repo from './repository.js';
import {
  bypassBody,
  checkBody,
  confirmBody,
  confirmationSchema,
  createTokenBody,
  enrolledTokenSchema,
  idParam,
  patchTokenBody,
  syncBody,
  tokenJson,
  tokenListQuery,
  tokenListSchema,
  tokenSchema,
  userBody,
} from './schema.js';
import * as service from './service.js';
import { checkTokenOtp } from './verify.js';

export interface TokenRouteDeps {
  db: Db;
  keyRing: KeyRing;
  now: () => Date;
  quota?: number;
  issuer: string;
  /** PUBLIC_URL: where push tokens' apps register. */
  publicUrl?: string;
  /** Sends the codes that confirm new e-mail, SMS and bot tokens. */
  delivery?: Delivery;
}

const tags = ['Tokens'];
const tokenResponse = (description: string) => ({ 200: jsonResponse(description, tokenSchema), ...adminErrors, 422: adminErrors[400] });

const route = adminRoute(tags);

const routes = {
  create: createRoute({
    ...route('post', '/', 'Create a token; software TOTP/HOTP tokens return their otpauth URI and QR code once'),
    request: { body: jsonBody(createTokenBody) },
    responses: { 201: jsonResponse('The token.', enrolledTokenSchema), ...adminErrors, 409: adminErrors[400], 422: adminErrors[400] },
  }),
  list: createRoute({
    ...route('get', '/', 'List and search tokens (start of the serial number or name)'),
    request: { query: tokenListQuery },
    responses: { 200: jsonResponse('A page of tokens, newest first.', tokenListSchema), ...adminErrors },
  }),
  get: createRoute({ ...route('get', '/{id}', 'Read a token'), request: { params: idParam }, responses: tokenResponse('The token.') }),
  patch: createRoute({
    ...route('patch', '/{id}', 'Change name, active, PIN, PIN position, or OTP length where the type allows'),
    request: { params: idParam, body: jsonBody(patchTokenBody) },
    responses: tokenResponse('The changed token.'),
  }),
  delete: createRoute({
    ...route('delete', '/{id}', 'Delete a token (cannot be undone; its events remain)'),
    request: { params: idParam },
    responses: { 204: { description: 'Deleted.' }, ...adminErrors },
  }),
  check: createRoute({
    ...route('post', '/{id}/check', 'Check an OTP without consuming it or counting failures'),
    request: { params: idParam, body: jsonBody(checkBody) },
    responses: { 200: jsonResponse('Whether the code is valid now.', z.object({ valid: z.boolean() })), ...adminErrors },
  }),
  sendConfirmation: createRoute({
    ...route(
      'post',
      '/{id}/confirmation',
      "Send the code that confirms a new e-mail, SMS or bot token to its user's address (10 min, 5 attempts; again after 30 s)",
    ),
    request: { params: idParam },
    responses: {
      200: jsonResponse('Where the code went (masked) and until when it is valid.', confirmationSchema),
      ...adminErrors,
      422: adminErrors[400],
      429: adminErrors[400],
      502: adminErrors[400],
    },
  }),
  confirm: createRoute({
    ...route(
      'post',
      '/{id}/confirm',
      'Confirm a new token and activate it: a code from the authenticator (TOTP/HOTP, consumed) or the code sent by POST /{id}/confirmation (e-mail, SMS, bot); without the PIN',
    ),
    request: { params: idParam, body: jsonBody(confirmBody) },
    responses: tokenResponse('The confirmed, active token.'),
  }),
  sync: createRoute({
    ...route('post', '/{id}/sync', 'Synchronise with two consecutive codes (HOTP up to 1000 ahead, TOTP ±30 min)'),
    request: { params: idParam, body: jsonBody(syncBody) },
    responses: tokenResponse('The synchronised token (drift stored).'),
  }),
  reissue: createRoute({
    ...route('post', '/{id}/reissue', 'New secret for a software token; old codes stop working'),
    request: { params: idParam },
    responses: { 200: jsonResponse('The token with its new URI and QR code, shown once.', enrolledTokenSchema), ...adminErrors, 422: adminErrors[400] },
  }),
  unlock: createRoute({
    ...route('post', '/{id}/unlock', 'Unlock and reset failure counters'),
    request: { params: idParam },
    responses: tokenResponse('The token.'),
  }),
  bypass: createRoute({
    ...route('post', '/{id}/bypass', 'Let authentication succeed without OTP for 1, 8, 12 or 24 hours, or permanently'),
    request: { params: idParam, body: jsonBody(bypassBody) },
    responses: tokenResponse('The token.'),
  }),
  clearBypass: createRoute({ ...route('delete', '/{id}/bypass', 'End a bypass'), request: { params: idParam }, responses: tokenResponse('The token.') }),
  linkUser: createRoute({
    ...route('put', '/{id}/user', 'Give the token to a user (a token has at most one owner)'),
    request: { params: idParam, body: jsonBody(userBody) },
    responses: { ...tokenResponse('The token.'), 409: adminErrors[400] },
  }),
  unlinkUser: createRoute({
    ...route('delete', '/{id}/user', "Take the token from its user (also ends its 'user with token' assignments)"),
    request: { params: idParam },
    responses: tokenResponse('The token.'),
  }),
  events: createRoute({
    ...route('get', '/{id}/events', "The token's events, newest first"),
    request: { params: idParam, query: cursorPageQuery },
    responses: { 200: jsonResponse('A page of events.', eventListSchema), ...adminErrors },
  }),
  resources: createRoute({
    ...route('get', '/{id}/resources', "Resources the token is assigned to, directly or as its user's token (a resource administrator sees only its own)"),
    request: { params: idParam },
    responses: {
      200: jsonResponse(
        'Assignments, by resource name.',
        z.object({
          items: z.array(
            z.object({ id: z.uuid(), name: z.string(), active: z.boolean(), assignment: z.enum(['token', 'userWithToken']), userId: z.uuid().nullable() }),
          ),
          total: z.number().int(),
        }),
      ),
      ...adminErrors,
    },
  }),
  import: createRoute({
    ...route('post', '/import', 'Import tokens from CSV `serialNumber,secret` (all or nothing)'),
    request: { query: importQuery, body: { required: true, content: { 'text/csv': { schema: z.string() } } } },
    responses: {
      201: jsonResponse('How many tokens were imported.', z.object({ imported: z.number().int() })),
      ...adminErrors,
      409: adminErrors[400],
      422: adminErrors[400],
    },
  }),
};

export function tokenRoutes(deps: TokenRouteDeps) {
  const app = new OpenAPIHono<AdminEnv>({ defaultHook: validationHook });
  const ctx = (c: Context<AdminEnv>): service.TokenContext => ({
    db: deps.db,
    keyRing: deps.keyRing,
    now: deps.now(),
    principal: c.get('principal'),
    ip: null,
    issuer: deps.issuer,
    ...(deps.quota !== undefined ? { quota: deps.quota } : {}),
    ...(deps.publicUrl ? { pushServer: { origin: deps.publicUrl, issuer: deps.issuer } } : {}),
  });
  const withEnrollment = (r: Awaited<ReturnType<typeof service.createToken>>) => ({ ...tokenJson(r.token), ...(r.enrollment ?? {}) });

  app.openapi(routes.create, async (c) => c.json(withEnrollment(await service.createToken(ctx(c), c.req.valid('json'))), 201));
  app.openapi(routes.import, async (c) => {
    if (!/^text\/(csv|plain)\b/i.test(c.req.header('content-type') ?? '')) {
      throw appError('unsupported_media_type', { message: 'Send the CSV file with Content-Type: text/csv.' });
    }
    const result = await importTokensCsv(ctx(c), await c.req.text(), c.req.valid('query'));
    return c.json({ imported: result.imported }, 201);
  });
  app.openapi(routes.list, async (c) => {
    const q = c.req.valid('query');
    const page = await repo.listTokens(deps.db, scopeOf(c.get('principal')), q);
    return c.json({ items: page.items.map(tokenJson), total: page.total, next: page.next }, 200);
  });
  app.openapi(routes.get, async (c) => c.json(tokenJson(await service.getToken(ctx(c), c.req.valid('param').id)), 200));
  app.openapi(routes.patch, async (c) => c.json(tokenJson(await service.patchToken(ctx(c), c.req.valid('param').id, c.req.valid('json'))), 200));
  app.openapi(routes.delete, async (c) => {
    await service.deleteToken(ctx(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  app.openapi(routes.check, async (c) => {
    const k = ctx(c);
    const token = await service.writableToken(k, c.req.valid('param').id);
    const { otp, challenge } = c.req.valid('json');
    const valid = await checkTokenOtp(deps.keyRing, token, { otp, actor: `admin:${k.principal.adminId}`, ...(challenge ? { challenge } : {}) }, k.now);
    return c.json({ valid }, 200);
  });
  app.openapi(routes.sendConfirmation, async (c) =>
    c.json(await sendConfirmation({ ...ctx(c), ...(deps.delivery ? { delivery: deps.delivery } : {}) }, c.req.valid('param').id), 200),
  );
  app.openapi(routes.confirm, async (c) => c.json(tokenJson(await confirmToken(ctx(c), c.req.valid('param').id, c.req.valid('json').otp ?? '')), 200));
  app.openapi(routes.sync, async (c) => {
    const { otp1, otp2 } = c.req.valid('json');
    return c.json(tokenJson(await service.syncToken(ctx(c), c.req.valid('param').id, otp1, otp2)), 200);
  });
  app.openapi(routes.reissue, async (c) => c.json(withEnrollment(await service.reissueToken(ctx(c), c.req.valid('param').id)), 200));
  app.openapi(routes.unlock, async (c) => c.json(tokenJson(await service.unlockToken(ctx(c), c.req.valid('param').id)), 200));
  app.openapi(routes.bypass, async (c) => c.json(tokenJson(await service.setBypass(ctx(c), c.req.valid('param').id, c.req.valid('json'))), 200));
  app.openapi(routes.clearBypass, async (c) => c.json(tokenJson(await service.clearBypass(ctx(c), c.req.valid('param').id)), 200));
  app.openapi(routes.linkUser, async (c) => c.json(tokenJson(await service.linkUser(ctx(c), c.req.valid('param').id, c.req.valid('json').userId)), 200));
  app.openapi(routes.unlinkUser, async (c) => c.json(tokenJson(await service.unlinkUser(ctx(c), c.req.valid('param').id)), 200));
  app.openapi(routes.resources, async (c) => {
    const { id } = c.req.valid('param');
    const principal = c.get('principal');
    await service.getToken(ctx(c), id);
    // A token shared with other tenants lists only the caller's resources: the others' names and ids are theirs.
    const items = (await repo.tokenResources(deps.db, id)).filter((r) => canAccessResource(principal, r.id));
    return c.json({ items, total: items.length }, 200);
  });
  app.openapi(routes.events, async (c) => {
    const { id } = c.req.valid('param');
    await service.getToken(ctx(c), id);
    // The same tenant scope as /events: a token's events in other resources stay hidden.
    const page = await listEvents(deps.db, { tokenId: id, ...c.req.valid('query'), scope: scopeOf(c.get('principal')) });
    return c.json({ items: page.items.map(eventJson), total: page.total, next: page.next }, 200);
  });
  return app;
}
