import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import type { Db } from '../db/index.js';
import { appError } from '../errors.js';
import { adminErrors, bearerAuth, jsonBody, jsonResponse } from '../http/openapi.js';
import { validationHook } from '../http/validation.js';
import type { AdminEnv } from './auth.js';
import * as repo from './repository.js';
import { adminIdParam, createKeyBody, createdKeySchema, keyIdParams, keyJson, keyListSchema, principalSchema } from './schema.js';
import { assertMayManageKeys, createApiKey, revokeApiKey } from './service.js';

const me = createRoute({
  method: 'get',
  path: '/admins/me',
  tags: ['Administrators'],
  summary: 'The administrator this API key belongs to',
  security: bearerAuth,
  responses: { 200: jsonResponse('The calling administrator.', principalSchema), ...adminErrors },
});

const listKeys = createRoute({
  method: 'get',
  path: '/admins/{id}/keys',
  tags: ['Administrators'],
  summary: "List an administrator's API keys (hashes are never shown)",
  security: bearerAuth,
  request: { params: adminIdParam },
  responses: { 200: jsonResponse('Keys, oldest first.', keyListSchema), ...adminErrors },
});

const createKey = createRoute({
  method: 'post',
  path: '/admins/{id}/keys',
  tags: ['Administrators'],
  summary: 'Add an API key; the key is returned once',
  security: bearerAuth,
  request: { params: adminIdParam, body: jsonBody(createKeyBody) },
  responses: { 201: jsonResponse('The new key, with `apiKey` shown this once.', createdKeySchema), ...adminErrors },
});

const revokeKey = createRoute({
  method: 'delete',
  path: '/admins/{id}/keys/{keyId}',
  tags: ['Administrators'],
  summary: 'Revoke an API key (it stops working at once)',
  security: bearerAuth,
  request: { params: keyIdParams },
  responses: { 204: { description: 'Revoked (or already revoked).' }, ...adminErrors, 422: adminErrors[400] },
});

export function adminRoutes(db: Db, now: () => Date) {
  const app = new OpenAPIHono<AdminEnv>({ defaultHook: validationHook });

  app.openapi(me, async (c) => {
    const p = c.get('principal');
    const admin = await repo.findAdmin(db, p.adminId);
    if (!admin) throw appError('admin_not_found');
    return c.json({ id: admin.id, name: admin.name, role: p.role, keyId: p.keyId, resourceIds: p.resourceIds }, 200);
  });

  app.openapi(listKeys, async (c) => {
    const { id } = c.req.valid('param');
    assertMayManageKeys(c.get('principal'), id);
    if (!(await repo.findAdmin(db, id))) throw appError('admin_not_found');
    const items = (await repo.listKeys(db, { adminId: id })).map(keyJson);
    return c.json({ items, total: items.length }, 200);
  });

  app.openapi(createKey, async (c) => {
    const { id } = c.req.valid('param');
    const p = c.get('principal');
    assertMayManageKeys(p, id);
    const { name } = c.req.valid('json');
    const created = await createApiKey(db, { adminId: id, name, actor: `admin:${p.adminId}`, actorAdminId: p.adminId });
    return c.json({ ...keyJson(created), apiKey: created.apiKey }, 201);
  });

  app.openapi(revokeKey, async (c) => {
    const { id, keyId } = c.req.valid('param');
    const p = c.get('principal');
    assertMayManageKeys(p, id);
    const key = await repo.findKey(db, keyId);
    if (!key || key.adminId !== id) throw appError('api_key_not_found');
    await revokeApiKey(db, { keyId, actor: `admin:${p.adminId}`, actorAdminId: p.adminId, now: now() });
    return c.body(null, 204);
  });

  return app;
}
