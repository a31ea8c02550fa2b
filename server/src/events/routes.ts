import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { scopeOf } from '../access/scope.js';
import type { AdminEnv } from '../admins/keys-auth.js';
import type { Db } from '../db/index.js';
import { appError } from '../errors.js';
import { adminErrors, bearerAuth, jsonResponse } from '../http/openapi.js';
import { validationHook } from '../http/validation.js';
import { listEvents } from './repository.js';
import { eventJson, eventListSchema, eventQuery } from './schema.js';

export interface EventRouteDeps {
  db: Db;
}


const list = createRoute({
  method: 'get',
  path: '/',
  tags: ['Events'],
  summary: 'Search the audit log (changes and authentication attempts), newest first',
  description:
    'A resource administrator sees the events of its resources, the events it caused, and administrative events about the users and tokens assigned to its resources. `search` matches the type, reason, actor and IP address.',
  security: bearerAuth,
  request: { query: eventQuery },
  responses: { 200: jsonResponse('A page of events.', eventListSchema), ...adminErrors },
});

export function eventRoutes(deps: EventRouteDeps) {
  const app = new OpenAPIHono<AdminEnv>({ defaultHook: validationHook });
  app.openapi(list, async (c) => {
    const { from, to, ...q } = c.req.valid('query');
    const range = { ...(from ? { from: new Date(from) } : {}), ...(to ? { to: new Date(to) } : {}) };
    if (range.from && range.to && range.from > range.to) {
      throw appError('invalid_request', { message: 'query.to: must not be before query.from', field: 'query.to' });
    }
    const page = await listEvents(deps.db, { ...q, ...range, scope: scopeOf(c.get('principal')) });
    return c.json({ items: page.items.map(eventJson), total: page.total }, 200);
  });
  return app;
}
