import { createPublicKey } from 'node:crypto';
import type { Agent } from 'node:https';
import webpush from 'web-push';
import type { WebPushPayload } from '../../../shared/push.js';
import type { WebPushConfig } from '../config.js';
import type { Db } from '../db/index.js';
import type { Logger } from '../logger.js';
import { dropSubscription, subscriptionOf } from '../tokens/push-subscriptions.js';

// Web Push (DESIGN §13, "Web Push when configured"): when a push challenge opens, its device's
// push service is asked to wake the app's service worker, which shows a notification. The
// message is encrypted to the subscription (RFC 8291, aes128gcm) and signed with the server's
// VAPID key (RFC 8292) by the `web-push` library. It is a doorbell only: the server-sent events
// and the signed answer stay the way challenges are read and decided, so a push service that is
// down, slow or gone costs a notification, never a sign-in. Sending never holds up the prepare
// answer; `idle()` lets tests (and shutdown) wait for what is under way.

/** How long one push service may take before the message is given up (it would be late anyway). */
export const SEND_TIMEOUT_MS = 10_000;

export interface OpenedChallenge {
  id: string;
  tokenId: string;
  resource: string;
  purpose: 'login' | 'transaction';
  expiresAt: Date;
  now: Date;
}

/** Whether `endpoint` is an https URL on one of `hosts` (`*.example.com`: its subdomains). */
export function pushServiceAllowed(endpoint: string, hosts: readonly string[]): boolean {
  if (!URL.canParse(endpoint)) return false;
  const url = new URL(endpoint);
  if (url.protocol !== 'https:') return false;
  const host = url.hostname.toLowerCase();
  return hosts.some((h) => (h.startsWith('*.') ? host.endsWith(h.slice(1)) && host.length > h.length - 1 : host === h));
}

export interface WebPushSender {
  /** The VAPID public key the app subscribes with (applicationServerKey). */
  readonly publicKey: string;
  /** Whether a subscription may name this endpoint (the configured push service hosts). */
  allows(endpoint: string): boolean;
  /** Starts sending for a challenge that just opened; returns at once, never throws. */
  notify(challenge: OpenedChallenge): void;
  /** Resolves when every message started so far was delivered, refused or given up. */
  idle(): Promise<void>;
}

export interface WebPushOptions {
  db: Db;
  vapid: WebPushConfig;
  log: Logger;
  timeoutMs?: number;
  /** The HTTPS agent of the requests (tests: one that trusts their own push service's certificate). */
  agent?: Agent;
}

export function createWebPushSender(o: WebPushOptions): WebPushSender {
  const timeoutMs = o.timeoutMs ?? SEND_TIMEOUT_MS;
  const running = new Set<Promise<void>>();

  async function send(c: OpenedChallenge): Promise<void> {
    const sub = await subscriptionOf(o.db, c.tokenId);
    if (!sub) return;
    // Registered under an older list of hosts: not sent (the app registers again on its next start).
    if (!pushServiceAllowed(sub.endpoint, o.vapid.hosts)) {
      o.log.warn({ pushService: new URL(sub.endpoint).origin, challenge: c.id }, 'web push: the subscription names a push service that is not allowed');
      return;
    }
    const payload: WebPushPayload = { v: 1, challenge: c.id, resource: c.resource, purpose: c.purpose };
    // The push service keeps the message no longer than the challenge lives: a late one is noise.
    const ttl = Math.max(0, Math.ceil((c.expiresAt.getTime() - c.now.getTime()) / 1000));
    const service = new URL(sub.endpoint).origin;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs + 1_000);
    });
    try {
      const sent = webpush.sendNotification(
        { endpoint: sub.endpoint, keys: { p256dh: sub.p256dh.toString('base64url'), auth: sub.auth.toString('base64url') } },
        JSON.stringify(payload),
        {
          vapidDetails: { subject: o.vapid.subject, publicKey: o.vapid.publicKey, privateKey: o.vapid.privateKey },
          TTL: ttl,
          urgency: 'high',
          contentEncoding: 'aes128gcm',
          timeout: timeoutMs,
          ...(o.agent ? { agent: o.agent } : {}),
        },
      );
      if ((await Promise.race([sent, deadline])) === 'timeout') {
        sent.catch(() => {}); // settles later (socket timeout); already given up
        o.log.warn({ pushService: service, challenge: c.id }, 'web push: the push service did not answer in time');
      }
    } catch (err) {
      const status = err instanceof webpush.WebPushError ? err.statusCode : undefined;
      if (status === 404 || status === 410) {
        // The browser unsubscribed or the subscription expired: the app registers a new one.
        await dropSubscription(o.db, c.tokenId, sub.endpoint);
        o.log.info({ pushService: service, status }, 'web push: subscription gone, deleted');
        return;
      }
      // Neither the endpoint (a capability URL) nor the error (which quotes it) is logged.
      o.log.warn(
        { pushService: service, status: status ?? null, challenge: c.id },
        'web push: sending failed; the app still hears of it by server-sent events',
      );
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    publicKey: o.vapid.publicKey,
    allows: (endpoint) => pushServiceAllowed(endpoint, o.vapid.hosts),
    notify(c) {
      const p: Promise<void> = send(c)
        .catch(() => o.log.warn({ challenge: c.id }, 'web push: could not read the subscription'))
        .finally(() => running.delete(p));
      running.add(p);
    },
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}

/** Whether `point` is an uncompressed point on P-256 (what a subscription's p256dh must be). */
export function isP256Point(point: Buffer): boolean {
  if (point.length !== 65 || point[0] !== 4) return false;
  try {
    const jwk = { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') };
    createPublicKey({ key: jwk, format: 'jwk' });
    return true;
  } catch {
    return false;
  }
}

// The sender of each database handle. Challenges are opened by three callers (the
// authentication API, the widget, the portal) with dependencies each builds itself; the one
// handle they share is the database, so the sender hangs on it rather than on each of them.
const senders = new WeakMap<Db, WebPushSender>();

/** Sets (or, with undefined, removes) the Web Push sender used for challenges opened on `db`. */
export function useWebPush(db: Db, sender: WebPushSender | undefined): void {
  if (sender) senders.set(db, sender);
  else senders.delete(db);
}

/** The Web Push sender for `db`, if Web Push is configured. */
export const webPushFor = (db: Db): WebPushSender | undefined => senders.get(db);
