import assert from 'node:assert/strict';
import { loadConfig } from '../../../server/src/config.js';
import { createDelivery, type Delivery } from '../../../server/src/delivery/index.js';
import { createLogger } from '../../../server/src/logger.js';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { adminCalls } from '../../helpers/auth.js';
import type { TestDb } from '../../helpers/db.js';

// Drives the iframe's API the way the Lit app does: same-origin JSON POSTs, no cookies, the
// client address given as the Node adapter would (see server/src/http/client-ip.ts).

export const SITE = 'https://shop.example';
/** PUBLIC_URL when none is configured (config.ts): the issuer and the API's own origin. */
export const PUBLIC_URL = 'http://127.0.0.1:8787';
export const PASSWORD = 'correct horse battery';
export const UA = 'Mozilla/5.0 (widget test)';

export interface Answer {
  status: number;
  headers: Headers;
  body: {
    transaction?: string;
    expiresAt?: string;
    password?: boolean;
    step?: 'otp' | 'done';
    otp?: { type: string; digits: number; challenge?: string; resendAfter?: number; pin?: boolean };
    token?: string;
    resendAfter?: number;
    error?: { code: string; message: string; field?: string; details?: { attemptsLeft?: number; retryAfter?: number } };
  };
}

export interface CallOptions {
  ip?: string;
  headers?: Record<string, string>;
}

export async function widgetHarness(t: TestDb) {
  const clock = { now: new Date('2026-11-28T12:00:00Z') };
  const logLines: string[] = [];
  const log = createLogger('trace', { write: (l: string) => void logLines.push(l) });
  // No SMTP or webhooks configured: every code lands in the development outbox.
  const delivery: Delivery = createDelivery(loadConfig({ DATABASE_URL: 'pglite://memory', LOG_LEVEL: 'silent', VERIFRAME_DEV_OUTBOX: '1' }), log, {
    now: () => clock.now,
  });
  const api: TestApp = await createTestApp(t, { now: () => clock.now, delivery, logLines });
  const admin = adminCalls(api);
  let serial = 0;

  async function post(path: string, body: unknown, opts: CallOptions = {}): Promise<Answer> {
    const res = await api.app.request(
      path,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': UA, ...opts.headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      },
      { incoming: { socket: { remoteAddress: opts.ip ?? '203.0.113.10' } } },
    );
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : {} };
  }

  const start = (resourceId: string, extra: Record<string, unknown> = {}, opts?: CallOptions) =>
    post('/widget/api/start', { resourceId, origin: SITE, nonce: 'n0nce-abc', instance: 'vf-1', ...extra }, opts);

  /** A started transaction's id (asserting the start succeeded). */
  async function begin(resourceId: string, extra: Record<string, unknown> = {}, opts?: CallOptions): Promise<string> {
    const res = await start(resourceId, extra, opts);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.transaction!;
  }

  const identify = (transaction: string, login: string, password?: string, opts?: CallOptions, extra: Record<string, unknown> = {}) =>
    post('/widget/api/identify', { transaction, login, ...(password !== undefined ? { password } : {}), ...extra }, opts);
  const otp = (transaction: string, code: string, opts?: CallOptions, extra: Record<string, unknown> = {}) =>
    post('/widget/api/otp', { transaction, otp: code, ...extra }, opts);
  const resend = (transaction: string, opts?: CallOptions) => post('/widget/api/resend', { transaction }, opts);

  /**
   * A resource allowing SITE, and a user with password PASSWORD, paired with a token when
   * `token` is given (or only assigned when it is null).
   */
  async function setup(opts: { resource?: Record<string, unknown>; token?: Record<string, unknown> | null; user?: Record<string, unknown> } = {}) {
    const resource = await admin.resource({ allowedOrigins: [SITE], ...opts.resource });
    const login = `wuser${++serial}`;
    const email = `${login}@example.test`;
    const user = await admin.user({ login, password: PASSWORD, email, ...opts.user });
    let token: { id: string; otpauthUri?: string } | undefined;
    if (opts.token === null) {
      await admin.assignUser(resource.id, user.id);
    } else {
      // Hardware tokens with the RFC secret, so tests can compute codes; software ones (e-mail) as they come.
      const hardware = { kind: 'hardware', type: 'hotp', serialNumber: `W-${t.mode}-${serial}`, secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' };
      token = await admin.token({ ...(opts.token?.kind === 'software' ? {} : hardware), ...opts.token });
      await admin.pair(resource.id, user.id, token.id);
    }
    return { resource, user, token, login, email };
  }

  return { api, admin, clock, logLines, delivery, post, start, begin, identify, otp, resend, setup };
}

/** The claims and header of a compact JWS, without checking anything (tests decode to compare). */
export function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [h, p] = token.split('.');
  return { header: JSON.parse(Buffer.from(h!, 'base64url').toString('utf8')), payload: JSON.parse(Buffer.from(p!, 'base64url').toString('utf8')) };
}
