// Shared pieces of the iframe app tests: a fake /widget/api (window.fetch stubbed), a mounted
// <vf-app> connected to a MessageChannel as if the handshake had happened, and shadow-DOM lookups.
import { fixture, html, waitUntil } from '@open-wc/testing';
import type { FrameMessage } from '../../../shared/protocol.js';
import type { AppConfig } from '../../../widget/src/frame/config.js';
import '../../../widget/src/frame/vf-app.js';
import type { VfApp } from '../../../widget/src/frame/vf-app.js';

export type Reply = Response | Promise<Response> | ((body: Record<string, unknown>) => Response | Promise<Response>);
type Route = 'start' | 'identify' | 'otp' | 'resend';

export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

export const apiError = (status: number, code: string, details?: Record<string, unknown>) =>
  json(status, { error: { code, message: `server text for ${code}`, ...(details ? { details } : {}) } });

const b64url = (s: string) => btoa(s).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');

/** A compact JWS-shaped token (not signed: the app only reads iat/exp for the lifetime). */
export const jwt = (claims: Record<string, unknown> = { iat: 1_700_000_000, exp: 1_700_000_120 }) =>
  `${b64url('{"alg":"ES256","kid":"k1"}')}.${b64url(JSON.stringify(claims))}.c2lnbmF0dXJl`;

export const startAnswer = (over: Record<string, unknown> = {}) =>
  json(200, { transaction: 'tx_0123456789abcdefghij', expiresAt: new Date(Date.now() + 600_000).toISOString(), password: true, ...over });

export const otpAnswer = (otp: Record<string, unknown> = {}) => json(200, { step: 'otp', otp: { type: 'totp', digits: 6, ...otp } });
export const doneAnswer = (token = jwt()) => json(200, { step: 'done', token });

/**
 * Replaces window.fetch for /widget/api/*: each route answers with its replies in order (the
 * last one repeats). A route without replies fails like a network error.
 */
export function mockApi(routes: Partial<Record<Route, Reply | Reply[]>>) {
  const calls: { path: string; body: Record<string, unknown> }[] = [];
  const queues = new Map(Object.entries(routes).map(([k, v]) => [k, Array.isArray(v) ? [...v] : [v]]));
  const original = window.fetch;
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    if (!url.startsWith('/widget/api/')) return original(input, init);
    const path = url.slice('/widget/api/'.length);
    const body = JSON.parse(String(init?.body ?? '{}')) as Record<string, unknown>;
    calls.push({ path, body });
    const queue = queues.get(path);
    const reply = queue && (queue.length > 1 ? queue.shift() : queue[0]);
    if (!reply) throw new TypeError('Failed to fetch');
    // The stored Response is never read itself, so a repeated reply has a fresh body.
    if (typeof reply === 'function') return reply(body);
    return (await reply).clone();
  };
  return { calls, restore: () => void (window.fetch = original) };
}

export const baseConfig: AppConfig = {
  resourceId: 'res_1',
  parentOrigin: 'https://shop.example',
  instance: 'inst_1',
  lang: 'en',
  theme: 'light',
  authMethod: 'password+otp',
  resourceName: 'Shop',
};

/**
 * A <vf-app> with its catalogue loaded, connected to a channel whose other end is `page`.
 * `delivered()` resolves once the app has handled every message the page posted before it (a
 * port delivers in order): what tests await before asserting that a message changed nothing.
 */
export async function mountApp(config: Partial<AppConfig> = {}, nonce = 'nonce_1') {
  const app = await fixture<VfApp>(html`<vf-app .config=${{ ...baseConfig, ...config }}></vf-app>`);
  await waitUntil(() => app.shadowRoot?.querySelector('h1'), 'the catalogue should load');
  const channel = new MessageChannel();
  const messages: FrameMessage[] = [];
  channel.port1.onmessage = (e) => messages.push(e.data as FrameMessage);
  app.connect(channel.port2, nonce);
  const of = <T extends FrameMessage['type']>(type: T) => messages.filter((m): m is Extract<FrameMessage, { type: T }> => m.type === type);
  let markers = 0;
  const delivered = async () => {
    const marker = `test marker ${++markers}`;
    await new Promise<void>((resolve) => {
      const seen = (e: MessageEvent) => {
        if (e.data !== marker) return;
        channel.port2.removeEventListener('message', seen);
        resolve();
      };
      channel.port2.addEventListener('message', seen);
      channel.port1.postMessage(marker);
    });
    await app.updateComplete;
  };
  return { app, page: channel.port1, messages, of, delivered };
}

/** First match of `selectors` descending through shadow roots: deep(app, 'vf-otp', 'vf-code-input', 'input'). */
export function deep<T extends Element = HTMLElement>(root: Element, ...selectors: string[]): T | null {
  let el: Element | null = root;
  for (const s of selectors) {
    el = el?.shadowRoot?.querySelector(s) ?? null;
    if (!el) return null;
  }
  return el as T;
}

export const alertText = (app: VfApp) => deep(app, '[role="alert"]')?.textContent?.trim() ?? '';
export const heading = (app: VfApp) => deep(app, 'h1')?.textContent?.trim() ?? '';
export const step = (app: VfApp) =>
  deep(app, 'vf-identify') ? 'identify' : deep(app, 'vf-otp') ? 'otp' : deep(app, '.done') ? 'done' : deep(app, '.actions button') ? 'button' : 'other';

/** Sets a field as typing would (value + input event). */
export function type(input: HTMLInputElement, value: string): void {
  input.value = value;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
}

/** The element focused, looking through shadow roots. */
export function focused(): Element | null {
  let el = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el;
}

export async function waitForStep(app: VfApp, name: ReturnType<typeof step>): Promise<void> {
  await waitUntil(() => step(app) === name, `step should become ${name} (is ${step(app)})`);
  await app.updateComplete;
}

/** Fills in the identify step and submits it with its button. */
export async function identifyAs(app: VfApp, login: string, password?: string): Promise<void> {
  await waitForStep(app, 'identify');
  type(deep<HTMLInputElement>(app, 'vf-identify', '#login')!, login);
  if (password !== undefined) type(deep<HTMLInputElement>(app, 'vf-identify', '#password')!, password);
  deep<HTMLButtonElement>(app, 'vf-identify', 'button[type="submit"]')!.click();
}

export const codeInput = (app: VfApp) => deep<HTMLInputElement>(app, 'vf-otp', 'vf-code-input', 'input')!;

/** Types a code into the OTP step and submits it with its button. */
export async function enterCode(app: VfApp, code: string): Promise<void> {
  await waitForStep(app, 'otp');
  type(codeInput(app), code);
  deep<HTMLButtonElement>(app, 'vf-otp', 'button[type="submit"]')!.click();
}
