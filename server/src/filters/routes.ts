import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AdminEnv } from '../admins/keys-auth.js';
import type { Db } from '../db/index.js';
import { adminErrors, adminRoute, jsonBody, jsonResponse } from '../http/openapi.js';
import { validationHook } from '../http/validation.js';
import type { ResourceContext } from '../resources/service.js';
import { createFilterBody, filterJson, filterListQuery, filterListSchema, filterParams, filterSchema, patchFilterBody, resourceParam } from './schema.js';
import * as service from './service.js';

export interface FilterRouteDeps {
  db: Db;
  now: () => Date;
}

const tags = ['Filters'];
const route = adminRoute(tags);
const filterResponse = (description: string) => ({ 200: jsonResponse(description, filterSchema), ...adminErrors, 422: adminErrors[400] });

const routes = {
  create: createRoute({
    ...route('post', '/{id}/filters', 'Add a filter (ip, country, time or userAgent) to a resource'),
    request: { params: resourceParam, body: jsonBody(createFilterBody) },
    responses: { 201: jsonResponse('The filter, normalised.', filterSchema), ...adminErrors, 409: adminErrors[400] },
  }),
  list: createRoute({
    ...route('get', '/{id}/filters', "The resource's filters, oldest first"),
    request: { params: resourceParam, query: filterListQuery },
    responses: { 200: jsonResponse('A page of filters.', filterListSchema), ...adminErrors },
  }),
  get: createRoute({
    ...route('get', '/{id}/filters/{filterId}', 'Read a filter'),
    request: { params: filterParams },
    responses: filterResponse('The filter.'),
  }),
  patch: createRoute({
    ...route('patch', '/{id}/filters/{filterId}', "Change a filter's fields or enabled flag, not its type (superuser or the administrator who created it)"),
    request: { params: filterParams, body: jsonBody(patchFilterBody) },
    responses: filterResponse('The changed filter.'),
  }),
  delete: createRoute({
    ...route('delete', '/{id}/filters/{filterId}', 'Delete a filter (superuser or the administrator who created it)'),
    request: { params: filterParams },
    responses: { 204: { description: 'Deleted.' }, ...adminErrors },
  }),
};

export function filterRoutes(deps: FilterRouteDeps) {
  const app = new OpenAPIHono<AdminEnv>({ defaultHook: validationHook });
  const ctx = (c: Context<AdminEnv>): ResourceContext => ({ db: deps.db, now: deps.now(), principal: c.get('principal'), ip: null });

  app.openapi(routes.create, async (c) => c.json(filterJson(await service.createFilter(ctx(c), c.req.valid('param').id, c.req.valid('json'))), 201));
  app.openapi(routes.list, async (c) => {
    const page = await service.listFilters(ctx(c), c.req.valid('param').id, c.req.valid('query'));
    return c.json({ items: page.items.map(filterJson), total: page.total }, 200);
  });
  app.openapi(routes.get, async (c) => {
    const { id, filterId } = c.req.valid('param');
    return c.json(filterJson(await service.getFilter(ctx(c), id, filterId)), 200);
  });
  app.openapi(routes.patch, async (c) => {
    const { id, filterId } = c.req.valid('param');
    return c.json(filterJson(await service.patchFilter(ctx(c), id, filterId, c.req.valid('json'))), 200);
  });
  app.openapi(routes.delete, async (c) => {
    const { id, filterId } = c.req.valid('param');
    await service.deleteFilter(ctx(c), id, filterId);
    return c.body(null, 204);
  });
  return app;
}
