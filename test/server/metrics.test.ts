import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../server/src/config.js';
import { createDelivery, type Message } from '../../server/src/delivery/index.js';
import { createLogger } from '../../server/src/logger.js';
import { registry } from '../../server/src/metrics/index.js';
import { hotp } from '../../server/src/otp/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { adminCalls, authCalls, rfcSecret, rfcSecretBase32 } from '../helpers/auth.js';
import { dbModes, openTestDb, type TestDb } from '../helpers/db.js';
import { PASSWORD, widgetHarness } from './widget/helpers.js';

// GET /metrics (DESIGN §15). The registry is one per process (as Prometheus counts per process),
// and other test files of the same worker move it too: every check compares before and after.

const TOKEN = 'metrics-test-token-0123456789';
const code = (counter: number) => hotp(rfcSecret, counter, { algorithm: 'SHA1', digits: 6 });

/** The sum of the samples `name` whose labels include every one of `labels` (0 when none). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = m[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => have.includes(`${k}="${v}"`))) sum += Number(m[3]);
  }
  return sum;
}

describe('VERIFRAME_METRICS_TOKEN', () => {
  it('is at least 16 printable characters, and never echoed when wrong', () => {
    assert.equal(loadConfig({ VERIFRAME_METRICS_TOKEN: TOKEN }).metricsToken, TOKEN);
    assert.equal(loadConfig({}).metricsToken, undefined);
    for (const bad of ['short-secret', 'has a space in it here', 'x'.repeat(257)]) {
      assert.throws(
        () => loadConfig({ VERIFRAME_METRICS_TOKEN: bad }),
        (err: Error) => err.message.startsWith('VERIFRAME_METRICS_TOKEN must be') && err.message.includes('(value hidden)') && !err.message.includes(bad),
      );
    }
  });
});

describe('GET /metrics without VERIFRAME_METRICS_TOKEN', () => {
  let t: TestDb;
  before(async () => (t = await openTestDb('pglite')));
  after(() => t.close());

  it('does not exist', async () => {
    const api = await createTestApp(t);
    const res = await api.request('/metrics', { key: null });
    assert.equal(res.status, 404);
    assert.equal((await api.request('/metrics', { key: TOKEN })).status, 404, 'not even with a token');
  });
});

for (const mode of dbModes()) {
  describe(`GET /metrics (${mode})`, () => {
    let t: TestDb;
    let api: TestApp;
    // Starts at the real time: the database stamps some rows itself (now()), and the oldest
    // unsealed event's age is the injected clock minus such a stamp. A fixed date became a past
    // one, and the age went negative (clamped to 0) once the real clock passed it.
    const clock = { now: new Date() };
    before(async () => {
      t = await openTestDb(mode);
      api = await createTestApp(t, { now: () => clock.now, env: { VERIFRAME_METRICS_TOKEN: TOKEN }, dbPool: { totalCount: 7, idleCount: 5, waitingCount: 2 } });
    });
    after(() => t.close());

    const scrape = async () => {
      const res = await api.request('/metrics', { key: TOKEN });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      return res.text();
    };

    it('answers 401 to a missing or wrong token, never saying what was expected', async () => {
      for (const key of [null, 'wrong-token-0123456789', `${TOKEN}x`, TOKEN.slice(0, -1)]) {
        const res = await api.request('/metrics', { key });
        assert.equal(res.status, 401, `key ${key}`);
        const text = await res.text();
        assert.equal(JSON.parse(text).error.code, 'unauthorized');
        assert.ok(!text.includes(TOKEN));
      }
      const basic = await api.request('/metrics', { key: null, headers: { authorization: `Basic ${TOKEN}` } });
      assert.equal(basic.status, 401, 'only as a Bearer token');
    });

    it('counts authentications, throttles, lockouts and HTTP latency, and reports sealer lag and the pool', async () => {
      const admin = adminCalls(api);
      const resource = await admin.resource({ failedAttemptsLimit: 3, throttleMaxFailures: 4 });
      const user = await admin.user({ login: `metrics-${mode}`, password: 'correct horse' });
      const token = await admin.token({ kind: 'hardware', type: 'hotp', serialNumber: `MET-${mode}`, secret: rfcSecretBase32 });
      await admin.pair(resource.id, user.id, token.id);
      const auth = authCalls(api, resource);
      const before = await scrape();

      assert.deepEqual((await auth('user-token', { login: `metrics-${mode}`, otp: code(0) })).body, { result: true });
      assert.deepEqual((await auth('password', { login: `metrics-${mode}`, password: 'correct horse', ip: '192.0.2.1' })).body, { result: true });
      const reasons: (string | undefined)[] = [];
      for (const otp of ['000001', '000002', '000003', '000004']) reasons.push((await auth('token', { tokenId: token.id, otp, ip: '192.0.2.2' })).body.reason);
      // The third wrong code reaches the limit: that attempt already answers `locked`.
      assert.deepEqual(reasons, ['invalid_credentials', 'invalid_credentials', 'locked', 'locked']);
      // The fourth failure from 192.0.2.2 used the last throttle slot; the next call is refused.
      assert.equal((await auth('token', { tokenId: token.id, otp: '000005', ip: '192.0.2.2' })).status, 429);
      const after = await scrape();

      const moved = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
      const attempts = 'veriframe_auth_attempts_total';
      assert.equal(moved(attempts, { channel: 'api', method: 'user-token', outcome: 'success' }), 1, 'a success recorded with the code');
      assert.equal(moved(attempts, { channel: 'api', method: 'password', outcome: 'success' }), 1);
      assert.equal(moved(attempts, { channel: 'api', method: 'token', outcome: 'invalid_credentials' }), 2);
      assert.equal(moved(attempts, { channel: 'api', method: 'token', outcome: 'locked' }), 2);
      assert.equal(moved(attempts, { channel: 'api', method: 'token', outcome: 'throttled' }), 1);
      assert.equal(moved('veriframe_auth_throttled_total', { channel: 'api' }), 1);
      assert.equal(moved('veriframe_token_lockouts_total', { reason: 'failed_attempts' }), 1);

      const route = { method: 'POST', route: '/api/v1/auth/:resourceId/token' };
      assert.equal(moved('veriframe_http_request_duration_seconds_count', { ...route, status: '200' }), 4);
      assert.equal(moved('veriframe_http_request_duration_seconds_count', { ...route, status: '429' }), 1);
      assert.ok(!after.includes(resource.id), 'route patterns, never ids');

      // No sealer runs in this test: every event so far is unsealed, the oldest written before now.
      assert.ok(sample(after, 'veriframe_audit_unsealed_events') >= 7);
      clock.now = new Date(clock.now.getTime() + 3600_000);
      assert.ok(sample(await scrape(), 'veriframe_audit_oldest_unsealed_age_seconds') > 0);

      assert.equal(sample(after, 'veriframe_db_pool_connections', { state: 'total' }), 7);
      assert.equal(sample(after, 'veriframe_db_pool_connections', { state: 'idle' }), 5);
      assert.equal(sample(after, 'veriframe_db_pool_connections', { state: 'waiting' }), 2);
      assert.ok(sample(after, 'veriframe_process_resident_memory_bytes') > 0, 'the process metrics too');
    });

    it('counts deliveries by channel and outcome', async () => {
      const config = { smtpUrl: undefined, smsWebhookUrl: undefined, botWebhookUrl: undefined, publicUrl: 'http://127.0.0.1:8787' };
      const outbox = createDelivery({ ...config, production: false, devOutbox: true }, createLogger('silent'));
      const nowhere = createDelivery({ ...config, production: true }, createLogger('silent'));
      const msg: Message = { channel: 'sms', to: '+15550100', subject: 'code', text: 'Your code is 123456', kind: 'otp' };
      const before = await scrape();
      await outbox.send(msg);
      await assert.rejects(nowhere.send(msg));
      const after = await scrape();
      const moved = (outcome: string) =>
        sample(after, 'veriframe_deliveries_total', { channel: 'sms', outcome }) - sample(before, 'veriframe_deliveries_total', { channel: 'sms', outcome });
      assert.equal(moved('sent'), 1);
      assert.equal(moved('failed'), 1);
      assert.ok(!after.includes('+15550100') && !after.includes('123456'), 'no recipient or code');
    });

    it('counts the attempts of the widget too', async () => {
      const w = await widgetHarness(t);
      const { resource, login } = await w.setup();
      const attempts = (text: string, outcome: string) => sample(text, 'veriframe_auth_attempts_total', { channel: 'widget', outcome });
      const before = await registry.metrics();
      const ok = await w.begin(resource.id);
      assert.equal((await w.identify(ok, login, PASSWORD)).body.step, 'otp');
      assert.equal((await w.otp(ok, code(0))).body.step, 'done');
      const ko = await w.begin(resource.id);
      assert.equal((await w.identify(ko, login, PASSWORD)).body.step, 'otp');
      assert.equal((await w.otp(ko, '000000')).body.error?.code, 'wrong_credentials');
      const after = await registry.metrics();
      assert.equal(attempts(after, 'success') - attempts(before, 'success'), 1);
      assert.equal(attempts(after, 'invalid_credentials') - attempts(before, 'invalid_credentials'), 1);
    });
  });
}
