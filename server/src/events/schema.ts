import { z } from '@hono/zod-openapi';
import type { EventRow } from '../db/types.js';
import { listSchema } from '../http/paging.js';

export const eventSchema = z
  .object({
    id: z.string(),
    createdAt: z.string(),
    type: z.string(),
    actor: z.string().nullable(),
    resourceId: z.uuid().nullable(),
    userId: z.uuid().nullable(),
    tokenId: z.uuid().nullable(),
    ip: z.string().nullable(),
    result: z.enum(['success', 'failure']).nullable(),
    reason: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
  })
  .openapi('Event');

export const eventListSchema = listSchema(eventSchema, 'EventList');

export function eventJson(e: EventRow): z.infer<typeof eventSchema> {
  return {
    id: String(e.id),
    createdAt: e.createdAt.toISOString(),
    type: e.type,
    actor: e.actor,
    resourceId: e.resourceId,
    userId: e.userId,
    tokenId: e.tokenId,
    ip: e.ip,
    result: e.result,
    reason: e.reason,
    details: e.details as Record<string, unknown>,
  };
}
