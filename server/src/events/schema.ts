import { z } from '@hono/zod-openapi';
import type { EventRow } from '../db/types.js';
import { cursorListSchema, cursorPageQuery } from '../http/paging.js';

export const eventSchema = z
  .object({
    id: z.string(),
    createdAt: z.string(),
    type: z.string(),
    actor: z.string().nullable(),
    actorAdminId: z.uuid().nullable(),
    resourceId: z.uuid().nullable(),
    userId: z.uuid().nullable(),
    tokenId: z.uuid().nullable(),
    ip: z.string().nullable(),
    result: z.enum(['success', 'failure']).nullable(),
    reason: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    /** Whether the sealer has chained this event yet (it does so a few seconds after the write). */
    sealed: z.boolean(),
  })
  .openapi('Event');

export const eventListSchema = cursorListSchema(eventSchema, 'EventList');

export function eventJson(e: EventRow): z.infer<typeof eventSchema> {
  return {
    id: String(e.id),
    createdAt: e.createdAt.toISOString(),
    type: e.type,
    actor: e.actor,
    actorAdminId: e.actorAdminId,
    resourceId: e.resourceId,
    userId: e.userId,
    tokenId: e.tokenId,
    ip: e.ip,
    result: e.result,
    reason: e.reason,
    details: e.details as Record<string, unknown>,
    sealed: e.hash !== null,
  };
}

const dateTime = (what: string) =>
  z.iso
    .datetime({ offset: true })
    .optional()
    .openapi({ description: `${what}, ISO 8601 with a time zone (e.g. 2026-01-31T23:59:59Z)` });

/** `GET /events`: the paging and search of every list, plus filters. */
export const eventQuery = cursorPageQuery.extend({
  type: z.string().max(100).optional().openapi({ description: 'Exact event type, e.g. token.created' }),
  resourceId: z.uuid().optional(),
  userId: z.uuid().optional(),
  tokenId: z.uuid().optional(),
  from: dateTime('Events at or after this time'),
  to: dateTime('Events at or before this time'),
});
