import type { Db } from '../db/index.js';

export interface NewEvent {
  type: string;
  actor: string;
  actorAdminId?: string | null;
  resourceId?: string | null;
  userId?: string | null;
  tokenId?: string | null;
  ip?: string | null;
  result?: 'success' | 'failure' | null;
  reason?: string | null;
  /** Never secrets, codes, PINs or passwords: events are readable by administrators. */
  details?: Record<string, unknown>;
}

// Events are appended freely; a sealer chains committed rows later (DESIGN §3), so writing an
// event costs one INSERT and never serialises concurrent requests.
export async function appendEvent(db: Db, event: NewEvent): Promise<void> {
  await db
    .insertInto('events')
    .values({
      type: event.type,
      actor: event.actor,
      actorAdminId: event.actorAdminId ?? null,
      resourceId: event.resourceId ?? null,
      userId: event.userId ?? null,
      tokenId: event.tokenId ?? null,
      ip: event.ip ?? null,
      result: event.result ?? null,
      reason: event.reason ?? null,
      details: JSON.stringify(event.details ?? {}),
    })
    .execute();
}
