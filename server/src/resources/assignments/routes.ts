import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AdminEnv } from '../../admins/keys-auth.js';
import type { Db } from '../../db/index.js';
import { adminErrors, adminRoute, jsonBody, jsonResponse } from '../../http/openapi.js';
import { pageQuery } from '../../http/paging.js';
import { validationHook } from '../../http/validation.js';
import { idParam } from '../schema.js';
import type { ResourceContext } from '../service.js';
import { resourceTokenJson, resourceTokenListSchema, resourceUserJson, resourceUserListSchema, tokenParams, userParams, userTokenBody } from './schema.js';
import * as service from './service.js';

const tags = ['Assignments'];
const route = adminRoute(tags);
const done = (description: string) => ({ 204: { description }, ...adminErrors });

const routes = {
  listUsers: createRoute({
    ...route('get', '/{id}/users', "The resource's users, with the token each uses there"),
    request: { params: idParam, query: pageQuery },
    responses: { 200: jsonResponse('A page of assigned users, by login.', resourceUserListSchema), ...adminErrors },
  }),
  assignUser: createRoute({
    ...route('put', '/{id}/users/{userId}', 'Assign a user to the resource (idempotent)'),
    request: { params: userParams },
    responses: done('Assigned.'),
  }),
  unassignUser: createRoute({
    ...route('delete', '/{id}/users/{userId}', "Remove a user from the resource, with its 'user with token' pairing"),
    request: { params: userParams },
    responses: done('Removed (or was not assigned).'),
  }),
  assignUserToken: createRoute({
    ...route('put', '/{id}/users/{userId}/token', 'Assign the user *with* one of its tokens (also assigns the user; one token per user per resource)'),
    request: { params: userParams, body: jsonBody(userTokenBody) },
    responses: { ...done('Assigned (the same token again is a no-op).'), 409: adminErrors[400], 422: adminErrors[400] },
  }),
  unassignUserToken: createRoute({
    ...route('delete', '/{id}/users/{userId}/token', "End the 'user with token' pairing; the user stays assigned"),
    request: { params: userParams },
    responses: done('Removed (or there was none).'),
  }),
  listTokens: createRoute({
    ...route('get', '/{id}/tokens', 'Tokens assigned to the resource on their own (token authentication)'),
    request: { params: idParam, query: pageQuery },
    responses: { 200: jsonResponse('A page of assigned tokens, by name.', resourceTokenListSchema), ...adminErrors },
  }),
  assignToken: createRoute({
    ...route('put', '/{id}/tokens/{tokenId}', 'Assign a token to the resource (idempotent)'),
    request: { params: tokenParams },
    responses: done('Assigned.'),
  }),
  unassignToken: createRoute({
    ...route('delete', '/{id}/tokens/{tokenId}', 'Remove a token from the resource'),
    request: { params: tokenParams },
    responses: done('Removed (or was not assigned).'),
  }),
};

export function assignmentRoutes(deps: { db: Db; now: () => Date }) {
  const app = new OpenAPIHono<AdminEnv>({ defaultHook: validationHook });
  const ctx = (c: Context<AdminEnv>): ResourceContext => ({ db: deps.db, now: deps.now(), principal: c.get('principal'), ip: null });

  app.openapi(routes.listUsers, async (c) => {
    const page = await service.listUsers(ctx(c), c.req.valid('param').id, c.req.valid('query'));
    return c.json({ items: page.items.map(resourceUserJson), total: page.total }, 200);
  });
  app.openapi(routes.assignUser, async (c) => {
    const { id, userId } = c.req.valid('param');
    await service.assignUser(ctx(c), id, userId);
    return c.body(null, 204);
  });
  app.openapi(routes.unassignUser, async (c) => {
    const { id, userId } = c.req.valid('param');
    await service.unassignUser(ctx(c), id, userId);
    return c.body(null, 204);
  });
  app.openapi(routes.assignUserToken, async (c) => {
    const { id, userId } = c.req.valid('param');
    await service.assignUserToken(ctx(c), id, userId, c.req.valid('json').tokenId);
    return c.body(null, 204);
  });
  app.openapi(routes.unassignUserToken, async (c) => {
    const { id, userId } = c.req.valid('param');
    await service.unassignUserToken(ctx(c), id, userId);
    return c.body(null, 204);
  });
  app.openapi(routes.listTokens, async (c) => {
    const page = await service.listTokens(ctx(c), c.req.valid('param').id, c.req.valid('query'));
    return c.json({ items: page.items.map(resourceTokenJson), total: page.total }, 200);
  });
  app.openapi(routes.assignToken, async (c) => {
    const { id, tokenId } = c.req.valid('param');
    await service.assignToken(ctx(c), id, tokenId);
    return c.body(null, 204);
  });
  app.openapi(routes.unassignToken, async (c) => {
    const { id, tokenId } = c.req.valid('param');
    await service.unassignToken(ctx(c), id, tokenId);
    return c.body(null, 204);
  });
  return app;
}
