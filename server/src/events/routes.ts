import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { assertSuperuser, scopeOf } from '../access/scope.js';
import type { AdminEnv } from '../admins/keys-auth.js';
import type { KeyRing } from '../crypto/secretbox.js';
import type { Db } from '../db/index.js';
import { appError } from '../errors.js';
import { adminErrors, bearerAuth, jsonResponse } from '../http/openapi.js';
import { validationHook } from '../http/validation.js';
import { listEvents } from './repository.js';
import { verifyChain } from './verify.js';
import { eventJson, eventListSchema, eventQuery } from './schema.js';

export interface EventRouteDeps {
  db: Db;
  /** The audit chain is checked under the key ring's audit subkey. */
  keyRing: KeyRing;
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

const chain = createRoute({
  method: 'get',
  path: '/chain',
  tags: ['Events'],
  summary: 'Verify the audit hash chain (superusers; reads every sealed event)',
  security: bearerAuth,
  responses: {
    200: jsonResponse(
      'Whether the sealed chain is intact, or the first broken event.',
      z
        .object({
          ok: z.boolean(),
          checked: z.number().int(),
          unsealed: z.number().int().openapi({ description: "Events newer than the sealer's last pass: counted, not verified yet." }),
          brokenAt: z.string().optional(),
          message: z.string().optional(),
        })
        .openapi('ChainStatus'),
    ),
    ...adminErrors,
  },
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
    return c.json({ items: page.items.map(eventJson), total: page.total, next: page.next }, 200);
  });
  // The console's Events page shows this status (DESIGN §11).
  app.openapi(chain, async (c) => {
    assertSuperuser(c.get('principal'), 'Only a superuser may verify the whole audit chain.');
    const r = await verifyChain(deps.db, deps.keyRing);
    return c.json(
      r.ok
        ? { ok: true, checked: r.checked, unsealed: r.unsealed }
        : { ok: false, checked: r.checked, unsealed: r.unsealed, brokenAt: r.brokenAt, message: r.message },
      200,
    );
  });
  return app;
}
