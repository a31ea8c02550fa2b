import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import type { Db } from '../db/index.js';
import { appError } from '../errors.js';
import { adminErrors, bearerAuth, jsonBody, jsonResponse } from '../http/openapi.js';
import { validationHook } from '../http/validation.js';
import type { AdminEnv } from './keys-auth.js';
import * as keys from './keys-repository.js';
import { findAdmin } from './repository.js';
import { listSchema, pageQuery } from '../http/paging.js';
import { adminJson, createAdmin, deleteAdmin, getAdmin, listAdmins, patchAdmin } from './service.js';
import {
  adminIdParam,
  adminSchema,
  createAdminBody,
  createdAdminSchema,
  createKeyBody,
  createdKeySchema,
  keyIdParams,
  keyJson,
  keyListSchema,
  patchAdminBody,
  principalSchema,
} from './schema.js';
import { assertMayManageKeys, createApiKey, revokeApiKey } from './keys-service.js';

const me = createRoute({
  method: 'get',
  path: '/me',
  tags: ['Administrators'],
  summary: 'The administrator this API key belongs to',
  security: bearerAuth,
  responses: { 200: jsonResponse('The calling administrator.', principalSchema), ...adminErrors },
});

const listKeys = createRoute({
  method: 'get',
  path: '/{id}/keys',
  tags: ['Administrators'],
  summary: "List an administrator's API keys (hashes are never shown)",
  security: bearerAuth,
  request: { params: adminIdParam },
  responses: { 200: jsonResponse('Keys, oldest first.', keyListSchema), ...adminErrors },
});

const createKey = createRoute({
  method: 'post',
  path: '/{id}/keys',
  tags: ['Administrators'],
  summary: 'Add an API key; the key is returned once',
  security: bearerAuth,
  request: { params: adminIdParam, body: jsonBody(createKeyBody) },
  responses: { 201: jsonResponse('The new key, with `apiKey` shown this once.', createdKeySchema), ...adminErrors },
});

const revokeKey = createRoute({
  method: 'delete',
  path: '/{id}/keys/{keyId}',
  tags: ['Administrators'],
  summary: 'Revoke an API key (it stops working at once)',
  security: bearerAuth,
  request: { params: keyIdParams },
  responses: { 204: { description: 'Revoked (or already revoked).' }, ...adminErrors, 422: adminErrors[400] },
});

const tags = ['Administrators'];
const forAdmin = { security: bearerAuth, tags };

const createAdminRoute = createRoute({
  ...forAdmin,
  method: 'post',
  path: '/',
  summary: 'Create an administrator (superuser only); its first API key is returned once',
  request: { body: jsonBody(createAdminBody) },
  responses: { 201: jsonResponse('The administrator and `apiKey`.', createdAdminSchema), ...adminErrors, 422: adminErrors[400] },
});
const listAdminsRoute = createRoute({
  ...forAdmin,
  method: 'get',
  path: '/',
  summary: 'List administrators (a resource administrator sees itself)',
  request: { query: pageQuery },
  responses: { 200: jsonResponse('Administrators, oldest first.', listSchema(adminSchema, 'AdministratorList')), ...adminErrors },
});
const getAdminRoute = createRoute({
  ...forAdmin,
  method: 'get',
  path: '/{id}',
  summary: 'Read an administrator',
  request: { params: adminIdParam },
  responses: { 200: jsonResponse('The administrator.', adminSchema), ...adminErrors },
});
const patchAdminRoute = createRoute({
  ...forAdmin,
  method: 'patch',
  path: '/{id}',
  summary: 'Change name, role, active or resources (superuser only; the last superuser stays)',
  request: { params: adminIdParam, body: jsonBody(patchAdminBody) },
  responses: { 200: jsonResponse('The administrator.', adminSchema), ...adminErrors, 422: adminErrors[400] },
});
const deleteAdminRoute = createRoute({
  ...forAdmin,
  method: 'delete',
  path: '/{id}',
  summary: 'Delete an administrator and its keys (superuser only)',
  request: { params: adminIdParam },
  responses: { 204: { description: 'Deleted.' }, ...adminErrors, 422: adminErrors[400] },
});

export function adminRoutes(db: Db, now: () => Date) {
  const app = new OpenAPIHono<AdminEnv>({ defaultHook: validationHook });

  app.openapi(me, async (c) => {
    const p = c.get('principal');
    // An API key's check read the name already (of an active administrator); a session's did not.
    const name = p.adminName ?? (await findAdmin(db, p.adminId))?.name;
    if (name === undefined) throw appError('admin_not_found');
    return c.json({ id: p.adminId, name, role: p.role, keyId: p.keyId, resourceIds: p.resourceIds }, 200);
  });

  app.openapi(listKeys, async (c) => {
    const { id } = c.req.valid('param');
    assertMayManageKeys(c.get('principal'), id);
    if (!(await findAdmin(db, id))) throw appError('admin_not_found');
    const items = (await keys.listKeys(db, { adminId: id })).map(keyJson);
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
    const key = await keys.findKey(db, keyId);
    if (!key || key.adminId !== id) throw appError('api_key_not_found');
    await revokeApiKey(db, { keyId, actor: `admin:${p.adminId}`, actorAdminId: p.adminId, now: now() });
    return c.body(null, 204);
  });

  app.openapi(createAdminRoute, async (c) => {
    const { admin, apiKey } = await createAdmin(db, c.get('principal'), c.req.valid('json'));
    return c.json({ ...adminJson(admin), apiKey }, 201);
  });
  app.openapi(listAdminsRoute, async (c) => {
    const page = await listAdmins(db, c.get('principal'), c.req.valid('query'));
    return c.json({ items: page.items.map(adminJson), total: page.total }, 200);
  });
  app.openapi(getAdminRoute, async (c) => c.json(adminJson(await getAdmin(db, c.get('principal'), c.req.valid('param').id)), 200));
  app.openapi(patchAdminRoute, async (c) => c.json(adminJson(await patchAdmin(db, c.get('principal'), c.req.valid('param').id, c.req.valid('json'))), 200));
  app.openapi(deleteAdminRoute, async (c) => {
    await deleteAdmin(db, c.get('principal'), c.req.valid('param').id);
    return c.body(null, 204);
  });

  return app;
}
