import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AdminEnv } from '../admins/keys-auth.js';
import type { Db } from '../db/index.js';
import { adminErrors, adminRoute, jsonBody, jsonResponse } from '../http/openapi.js';
import { pageQuery } from '../http/paging.js';
import { validationHook } from '../http/validation.js';
import { assignmentRoutes } from './assignments/routes.js';
import { createResourceBody, idParam, patchResourceBody, resourceJson, resourceListSchema, resourceSchema, resourceWithSecretSchema } from './schema.js';
import * as service from './service.js';

export interface ResourceRouteDeps {
  db: Db;
  now: () => Date;
  /** PUBLIC_URL, for `selfServiceUrl`. */
  publicUrl: string;
}

const tags = ['Resources'];
const route = adminRoute(tags);

const routes = {
  create: createRoute({
    ...route('post', '/', 'Create a resource (superuser); the verification secret is returned once'),
    request: { body: jsonBody(createResourceBody) },
    responses: { 201: jsonResponse('The resource with its `secret`, shown this once.', resourceWithSecretSchema), ...adminErrors, 409: adminErrors[400] },
  }),
  list: createRoute({
    ...route('get', '/', 'List and search resources (a resource administrator sees its own)'),
    request: { query: pageQuery },
    responses: { 200: jsonResponse('A page of resources, by name.', resourceListSchema), ...adminErrors },
  }),
  get: createRoute({
    ...route('get', '/{id}', 'Read a resource'),
    request: { params: idParam },
    responses: { 200: jsonResponse('The resource.', resourceSchema), ...adminErrors },
  }),
  patch: createRoute({
    ...route('patch', '/{id}', 'Change a resource (superuser or an administrator of it)'),
    request: { params: idParam, body: jsonBody(patchResourceBody) },
    responses: { 200: jsonResponse('The changed resource.', resourceSchema), ...adminErrors, 409: adminErrors[400] },
  }),
  delete: createRoute({
    ...route('delete', '/{id}', 'Delete a resource with its assignments and filters (superuser; events remain)'),
    request: { params: idParam },
    responses: { 204: { description: 'Deleted.' }, ...adminErrors },
  }),
  rotate: createRoute({
    ...route('post', '/{id}/secret', 'Rotate the verification secret; the old one stops working at once'),
    request: { params: idParam },
    responses: { 200: jsonResponse('The resource with its new `secret`, shown this once.', resourceWithSecretSchema), ...adminErrors },
  }),
};

export function resourceRoutes(deps: ResourceRouteDeps) {
  const app = new OpenAPIHono<AdminEnv>({ defaultHook: validationHook });
  const ctx = (c: Context<AdminEnv>): service.ResourceContext => ({ db: deps.db, now: deps.now(), principal: c.get('principal'), ip: null });
  const json = (r: service.ResourceRow) => resourceJson(r, deps.publicUrl);
  const withSecret = (r: { resource: service.ResourceRow; secret: string }) => ({ ...json(r.resource), secret: r.secret });

  app.openapi(routes.create, async (c) => c.json(withSecret(await service.createResource(ctx(c), c.req.valid('json'))), 201));
  app.openapi(routes.list, async (c) => {
    const page = await service.listResources(ctx(c), c.req.valid('query'));
    return c.json({ items: page.items.map(json), total: page.total }, 200);
  });
  app.openapi(routes.get, async (c) => c.json(json(await service.getResource(ctx(c), c.req.valid('param').id)), 200));
  app.openapi(routes.patch, async (c) => c.json(json(await service.patchResource(ctx(c), c.req.valid('param').id, c.req.valid('json'))), 200));
  app.openapi(routes.delete, async (c) => {
    await service.deleteResource(ctx(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  app.openapi(routes.rotate, async (c) => c.json(withSecret(await service.rotateSecret(ctx(c), c.req.valid('param').id)), 200));
  app.route('/', assignmentRoutes(deps));
  return app;
}
