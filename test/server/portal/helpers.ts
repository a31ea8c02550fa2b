import assert from 'node:assert/strict';
import { loadConfig } from '../../../server/src/config.js';
import { createDelivery, type Delivery } from '../../../server/src/delivery/index.js';
import { createLogger } from '../../../server/src/logger.js';
import { createTestApp } from '../../helpers/app.js';
import { adminCalls } from '../../helpers/auth.js';
import type { TestDb } from '../../helpers/db.js';

// Drives the portal's API the way its page does: same-origin JSON calls, the `vf_ss` cookie kept
// by a tiny cookie jar, the CSRF value from the sign-in answer in `X-Veriframe-CSRF`.

export const PASSWORD = 'correct horse battery';
export const ALL_TOKEN = { enroll: true, reissue: true, assignExisting: true, unassign: true, synchronize: true, setPin: true, removePin: true };
export const ALL_USER = { createPassword: true, changePassword: true, changeEmail: true, changePhone: true, changeLogin: true, changeNames: true };

export interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, any> & { error?: { code: string; message: string; field?: string } };
}

export async function portalHarness(t: TestDb, env: Record<string, string> = {}) {
  const clock = { now: new Date('2026-12-05T12:00:00Z') };
  const log = createLogger('silent');
  const delivery: Delivery = createDelivery(loadConfig({ DATABASE_URL: 'pglite://memory', LOG_LEVEL: 'silent', VERIFRAME_DEV_OUTBOX: '1' }), log, {
    now: () => clock.now,
  });
  const api = await createTestApp(t, { now: () => clock.now, delivery, env });
  const admin = adminCalls(api);
  let serial = 0;

  /** One browser: its cookie and CSRF value. */
  function browser(address: string, ip = '198.51.100.7') {
    let cookie: string | undefined;
    let csrf: string | undefined;
    async function call(method: string, path: string, body?: unknown, opts: { csrf?: string | null; headers?: Record<string, string> } = {}): Promise<Answer> {
      const headers: Record<string, string> = { 'user-agent': 'portal test', ...opts.headers };
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (cookie) headers.cookie = cookie;
      const token = opts.csrf === undefined ? csrf : opts.csrf;
      if (token) headers['x-veriframe-csrf'] = token;
      const res = await api.app.request(
        `/self-service/${address}/api/${path}`,
        { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) },
        { incoming: { socket: { remoteAddress: ip } } },
      );
      const set = res.headers.get('set-cookie');
      if (set) cookie = set.split(';')[0]!.endsWith('=') ? undefined : set.split(';')[0];
      const text = await res.text();
      const parsed = text ? JSON.parse(text) : {};
      if (typeof parsed.csrf === 'string') csrf = parsed.csrf;
      return { status: res.status, headers: res.headers, body: parsed };
    }
    return {
      call,
      get cookie() {
        return cookie;
      },
      get csrf() {
        return csrf;
      },
      setCookie: (c: string | undefined) => (cookie = c),
    };
  }

  /** A resource with its portal at `address` and the given allowed actions. */
  async function portal(settings: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
    const address = `portal-${t.mode}-${++serial}`;
    const resource = await admin.resource({ selfService: { enabled: true, address, ...settings }, ...extra });
    return { resource, address };
  }

  async function user(resourceId: string | null, body: Record<string, unknown> = {}) {
    const login = `pu${++serial}`;
    const u = await admin.user({ login, email: `${login}@example.test`, password: PASSWORD, ...body });
    if (resourceId) await admin.assignUser(resourceId, u.id);
    return { id: u.id, login, email: (body.email === undefined ? `${login}@example.test` : body.email) as string | null };
  }

  const codeFor = (to: string, re = / is (\d{6})\./) => {
    const m = delivery.outbox!.latestFor(to);
    assert.ok(m, `a message to ${to}`);
    return re.exec(m.text)![1]!;
  };

  /** Signs in with login and password (and `otp` when asked), asserting each step. */
  async function signIn(address: string, login: string, otp?: () => string) {
    const b = browser(address);
    let r = await b.call('POST', 'sign-in', { login });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.step, 'password');
    r = await b.call('POST', 'password', { password: PASSWORD });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    if (otp) {
      assert.equal(r.body.step, 'otp', JSON.stringify(r.body));
      r = await b.call('POST', 'otp', { otp: otp() });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    assert.equal(r.body.step, 'done');
    return b;
  }

  return { api, admin, clock, delivery, browser, portal, user, codeFor, signIn };
}
