import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { scopeOf } from '../access/scope.js';
import type { AdminEnv } from '../admins/keys-auth.js';
import type { Db } from '../db/index.js';
import { adminErrors, adminRoute, jsonBody, jsonResponse } from '../http/openapi.js';
import { validationHook } from '../http/validation.js';
import * as repo from './repository.js';
import { createUserBody, idParam, pageQuery, patchUserBody, userJson, userListSchema, userSchema } from './schema.js';
import * as service from './service.js';

export interface UserRouteDeps {
  db: Db;
  now: () => Date;
}

const tags = ['Users'];
const route = adminRoute(tags);

const routes = {
  create: createRoute({
    ...route('post', '/', 'Create a user (the password is stored as argon2id and never returned)'),
    request: { body: jsonBody(createUserBody) },
    responses: { 201: jsonResponse('The user.', userSchema), ...adminErrors, 409: adminErrors[400] },
  }),
  list: createRoute({
    ...route('get', '/', 'List and search users (login, e-mail, first and last name)'),
    request: { query: pageQuery },
    responses: { 200: jsonResponse('A page of users, newest first.', userListSchema), ...adminErrors },
  }),
  get: createRoute({
    ...route('get', '/{id}', 'Read a user'),
    request: { params: idParam },
    responses: { 200: jsonResponse('The user.', userSchema), ...adminErrors },
  }),
  patch: createRoute({
    ...route('patch', '/{id}', 'Change a user; `password: null` removes the password'),
    request: { params: idParam, body: jsonBody(patchUserBody) },
    responses: { 200: jsonResponse('The changed user.', userSchema), ...adminErrors, 409: adminErrors[400] },
  }),
  delete: createRoute({
    ...route('delete', '/{id}', 'Delete a user: its tokens stay (without owner), its assignments go, its events remain'),
    request: { params: idParam },
    responses: { 204: { description: 'Deleted.' }, ...adminErrors },
  }),
};

export function userRoutes(deps: UserRouteDeps) {
  const app = new OpenAPIHono<AdminEnv>({ defaultHook: validationHook });
  const ctx = (c: Context<AdminEnv>): service.UserContext => ({ db: deps.db, now: deps.now(), principal: c.get('principal'), ip: null });

  app.openapi(routes.create, async (c) => c.json(userJson(await service.createUser(ctx(c), c.req.valid('json'))), 201));
  app.openapi(routes.list, async (c) => {
    const page = await repo.listUsers(deps.db, scopeOf(c.get('principal')), c.req.valid('query'));
    return c.json({ items: page.items.map(userJson), total: page.total, next: page.next }, 200);
  });
  app.openapi(routes.get, async (c) => c.json(userJson(await service.getUser(ctx(c), c.req.valid('param').id)), 200));
  app.openapi(routes.patch, async (c) => c.json(userJson(await service.patchUser(ctx(c), c.req.valid('param').id, c.req.valid('json'))), 200));
  app.openapi(routes.delete, async (c) => {
    await service.deleteUser(ctx(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  return app;
}
