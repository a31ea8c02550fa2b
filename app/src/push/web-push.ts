// Web Push for the push tokens (DESIGN §13, "Web Push when configured"): when the server has a
// VAPID key, the service worker subscribes with it and each push token registers that
// subscription, signed by its device key; the server then rings the device when a sign-in
// request opens, and the worker shows a notification. It is only a doorbell: the inbox's
// server-sent events stay how requests are read, so when subscribing fails (no push service,
// notifications blocked, no network) nothing else changes and the settings say so in one line.
import { subscriptionProof } from '../../../shared/push.js';
import { fromB64u } from '../bytes.js';
import { pushTokens, sign, type PushToken } from './device.js';

export type WebPushState = 'none' | 'off' | 'unsupported' | 'denied' | 'available' | 'on' | 'failed';

/** How the last attempt in this page went (a failure is shown, not retried on every render). */
let last: 'on' | 'failed' | undefined;
const listeners = new Set<() => void>();

/** Called when the state may have changed (the settings line re-reads it). */
export function onWebPushChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function settle(state: 'on' | 'failed'): 'on' | 'failed' {
  last = state;
  for (const fn of listeners) fn();
  return state;
}

const supported = () => 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;

/**
 * The notification permission as the permission service has it ('prompt' = not asked yet).
 * Read through navigator.permissions where it exists: headless Chromium keeps
 * Notification.permission at 'denied' even once granted.
 */
async function permission(): Promise<PermissionState> {
  try {
    return (await navigator.permissions.query({ name: 'notifications' })).state;
  } catch {
    return Notification.permission === 'default' ? 'prompt' : Notification.permission;
  }
}

/** The server's VAPID public key; null when it has no Web Push, undefined when unreachable. */
async function serverKey(): Promise<string | null | undefined> {
  try {
    const res = await fetch('/app/api/push/web-push', { cache: 'no-store' });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { publicKey?: unknown };
    return typeof body.publicKey === 'string' ? body.publicKey : null;
  } catch {
    return undefined;
  }
}

/** The app's service worker registration, waiting a little for a first install. */
async function registration(): Promise<ServiceWorkerRegistration | undefined> {
  const found = await navigator.serviceWorker.getRegistration('/app/');
  if (found?.active) return found;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const gaveUp = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), 10_000)));
  try {
    return await Promise.race([navigator.serviceWorker.ready, gaveUp]);
  } finally {
    clearTimeout(timer);
  }
}

const sameKey = (a: ArrayBuffer | null, b: Uint8Array) => a !== null && a.byteLength === b.length && new Uint8Array(a).every((x, i) => x === b[i]);

/** The worker's subscription for this server's key (a subscription for an older key is replaced). */
async function subscription(key: string): Promise<PushSubscription> {
  const reg = await registration();
  if (!reg) throw new Error('no service worker');
  const applicationServerKey = fromB64u(key);
  const existing = await reg.pushManager.getSubscription();
  if (existing && sameKey(existing.options.applicationServerKey, applicationServerKey)) return existing;
  await existing?.unsubscribe();
  return reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey });
}

/** Registers the subscription for each push token, signed by its key; true when all took it. */
async function register(tokens: PushToken[], sub: PushSubscription): Promise<boolean> {
  const json = sub.toJSON();
  const endpoint = json.endpoint ?? '';
  const p256dh = json.keys?.p256dh ?? '';
  const auth = json.keys?.auth ?? '';
  let ok = true;
  for (const t of tokens) {
    const timestamp = Date.now();
    const signature = await sign(t.key, subscriptionProof(t.data.serial, timestamp, endpoint, p256dh, auth));
    const body = { serial: t.data.serial, endpoint, p256dh, auth, timestamp: String(timestamp), signature };
    const res = await fetch('/app/api/push/subscription', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      cache: 'no-store',
    }).catch(() => undefined);
    ok &&= res?.ok === true;
  }
  return ok;
}

async function subscribeAll(tokens: PushToken[], key: string): Promise<'on' | 'failed'> {
  try {
    return settle((await register(tokens, await subscription(key))) ? 'on' : 'failed');
  } catch {
    // No push service (offline, none in this browser), or the worker is not running: SSE stays.
    return settle('failed');
  }
}

/** What the settings line says, without asking anything of the user. */
export async function webPushState(): Promise<WebPushState> {
  const tokens = await pushTokens().catch(() => []);
  if (tokens.length === 0) return 'none';
  const key = await serverKey();
  if (key === null) return 'off';
  if (!supported()) return 'unsupported';
  if ((await permission()) === 'denied') return 'denied';
  if (last) return last;
  return key === undefined ? 'failed' : 'available';
}

/** The settings' button (a user gesture, as browsers want for the permission question). */
export async function enableWebPush(): Promise<WebPushState> {
  const tokens = await pushTokens().catch(() => []);
  const key = await serverKey();
  if (tokens.length === 0 || key === null) return webPushState();
  if (!supported()) return 'unsupported';
  if (key === undefined) return settle('failed');
  if ((await permission()) !== 'granted' && (await Notification.requestPermission()) !== 'granted')
    return (await permission()) === 'denied' ? 'denied' : 'available';
  return subscribeAll(tokens, key);
}

/**
 * On every start with push tokens: when notifications were allowed before, the subscription is
 * registered again (the browser may have renewed it, a token may be new). Quiet: never asks.
 */
export async function syncWebPush(tokens: PushToken[]): Promise<void> {
  if (tokens.length === 0 || !supported() || (await permission()) !== 'granted') return;
  const key = await serverKey();
  if (key) await subscribeAll(tokens, key);
}
