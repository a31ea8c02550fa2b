import type { Db } from '../db/index.js';
import type { PushSubscriptionRow } from '../db/types.js';

// The Web Push subscription of a push token's device (DESIGN §13, "Web Push when configured").
// One per token: the app registers its service worker's subscription again whenever it changes,
// and the last one wins. The endpoint is a capability URL of the push service: whoever knows it
// can wake the device, so it is stored, used and deleted, never shown or logged.

export interface Subscription {
  endpoint: string;
  /** The subscriber's P-256 public key, uncompressed (65 bytes). */
  p256dh: Buffer;
  /** The subscriber's auth secret (16 bytes). */
  auth: Buffer;
}

export async function saveSubscription(db: Db, tokenId: string, s: Subscription, now: Date): Promise<void> {
  const values = { endpoint: s.endpoint, p256dh: s.p256dh, auth: s.auth, updatedAt: now };
  await db
    .insertInto('push_subscriptions')
    .values({ tokenId, ...values, createdAt: now })
    .onConflict((oc) => oc.column('tokenId').doUpdateSet(values))
    .execute();
}

export async function subscriptionOf(db: Db, tokenId: string): Promise<PushSubscriptionRow | undefined> {
  return db.selectFrom('push_subscriptions').selectAll().where('tokenId', '=', tokenId).executeTakeFirst();
}

/**
 * Forgets a subscription the push service called gone (404/410) — only if it is still the one
 * that was used, so a subscription the app registered meanwhile is kept.
 */
export async function dropSubscription(db: Db, tokenId: string, endpoint?: string): Promise<void> {
  let q = db.deleteFrom('push_subscriptions').where('tokenId', '=', tokenId);
  if (endpoint !== undefined) q = q.where('endpoint', '=', endpoint);
  await q.execute();
}
