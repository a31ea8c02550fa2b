import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { createApp, type App } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { createPlugins, type Db } from '../../server/src/db/index.js';
import type { Database } from '../../server/src/db/types.js';
import { createDelivery } from '../../server/src/delivery/index.js';
import { createLogger } from '../../server/src/logger.js';
import { hotp, totp } from '../../server/src/otp/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { adminCalls, rfcSecret, rfcSecretBase32 } from '../helpers/auth.js';
import { dbModes, openTestDb, type TestDb } from '../helpers/db.js';
import { mailText, startSmtp } from '../helpers/smtp.js';

// Replay races (DESIGN §4, §7.2): N identical requests carrying one valid code, one result JWT or
// one e-mail code arrive at the same moment, split over two server instances that share the
// database (each with its own connection pool on PostgreSQL, so the requests really run side by
// side). Exactly one may succeed; the others are refused, and the audit log says so.

const N = 50;
const SITE = 'https://shop.example';
const PASSWORD = 'correct horse battery';

type AuthBody = { result?: boolean; reason?: string; error?: { code: string } };
type VerifyBody = { valid?: boolean; reason?: string; sub?: string };
type WidgetBody = { transaction?: string; step?: string; token?: string; error?: { code: string } };

/** The same database through a second handle: another server instance, with a pool of its own. */
function secondInstance(t: TestDb): { db: Db; close(): Promise<void> } {
  if (t.mode === 'pglite') {
    // PGlite has one session; a second Kysely over it at least has no caches in common.
    return { db: t.db.withPlugin({ transformQuery: (a) => a.node, transformResult: async (a) => a.result }), close: async () => {} };
  }
  const pool = new pg.Pool({ connectionString: process.env.TEST_DATABASE_URL, max: 6, options: `-c search_path=${t.schema}` });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: createPlugins() });
  return { db, close: () => db.destroy() };
}

for (const mode of dbModes()) {
  describe(`replay races, ${N} identical requests at once (${mode})`, () => {
    let t: TestDb;
    let api: TestApp;
    let second: { db: Db; close(): Promise<void> };
    let apps: App[];
    let admin: ReturnType<typeof adminCalls>;
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    const clock = { now: new Date('2026-11-28T12:00:00Z') };
    const later = (minutes: number) => (clock.now = new Date(clock.now.getTime() + minutes * 60_000));

    before(async () => {
      t = await openTestDb(mode, { poolSize: 10 });
      smtp = await startSmtp();
      const delivery = createDelivery(loadConfig({ SMTP_URL: smtp.url, LOG_LEVEL: 'silent' }), createLogger('silent'));
      api = await createTestApp(t, { now: () => clock.now, delivery });
      second = secondInstance(t);
      const app2 = createApp({
        config: loadConfig({ DATABASE_URL: 'pglite://memory', LOG_LEVEL: 'silent' }),
        db: second.db,
        log: createLogger('silent'),
        keyRing: api.keyRing,
        now: () => clock.now,
        delivery,
      });
      apps = [api.app, app2];
      admin = adminCalls(api);
    });
    after(async () => {
      await second.close();
      await smtp.close();
      await t.close();
    });

    /**
     * Request i goes to instance i % 2, from its own client address: the socket's for the widget,
     * the body's `ip` for the authentication API (without it all N would share one "no IP"
     * throttle bucket, whose slots N parallel attempts would fill).
     */
    const send = async <T>(i: number, path: string, body: Record<string, unknown>, authorization?: string): Promise<{ status: number; body: T }> => {
      const headers: Record<string, string> = { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) };
      const ip = `198.51.100.${i + 1}`;
      const json = path.startsWith('/api/v1/auth/') ? { ...body, ip } : body;
      const res = await apps[i % 2]!.request(path, { method: 'POST', headers, body: JSON.stringify(json) }, { incoming: { socket: { remoteAddress: ip } } });
      return { status: res.status, body: (await res.json()) as T };
    };
    const all = <T>(fn: (i: number) => Promise<T>) => Promise.all(Array.from({ length: N }, (_, i) => fn(i)));
    const basic = (r: { id: string; secret: string }) => 'Basic ' + Buffer.from(`${r.id}:${r.secret}`).toString('base64');

    /** A user paired with a token in a fresh resource. */
    async function paired(token: Record<string, unknown>, resource: Record<string, unknown> = {}) {
      const r = await admin.resource({ allowedOrigins: [SITE], ...resource });
      const login = `racer-${Math.random().toString(36).slice(2, 10)}`;
      const user = await admin.user({ login, password: PASSWORD, email: `${login}@example.test` });
      const tok = await admin.token(token);
      await admin.pair(r.id, user.id, tok.id);
      return { r, login, userId: user.id, tokenId: tok.id };
    }

    async function verifyEvents(tokenId: string) {
      const rows = await t.db.selectFrom('events').select(['result', 'reason']).where('tokenId', '=', tokenId).where('type', '=', 'token.verify').execute();
      return { success: rows.filter((e) => e.result === 'success').length, failures: rows.filter((e) => e.result === 'failure').map((e) => e.reason) };
    }

    const hardwareTotp = (serial: string) => ({ kind: 'hardware', type: 'totp', serialNumber: `${serial}-${mode}`, secret: rfcSecretBase32 });
    const totpNow = () => totp(rfcSecret, clock.now.getTime(), { algorithm: 'SHA1', digits: 6, period: 30 });

    it('accepts one of N identical TOTP codes at /user-token; the rest are refused and not counted as failures', async () => {
      later(10);
      const s = await paired(hardwareTotp('RACE-UT'));
      const code = totpNow();
      const answers = await all((i) => send<AuthBody>(i, `/api/v1/auth/${s.r.id}/user-token`, { login: s.login, otp: code }, basic(s.r)));
      assert.ok(
        answers.every((a) => a.status === 200),
        JSON.stringify(answers.find((a) => a.status !== 200)),
      );
      assert.equal(answers.filter((a) => a.body.result === true).length, 1);
      // The site's backend learns no more than "wrong": a replay is a refused code.
      for (const a of answers.filter((x) => x.body.result !== true)) assert.deepEqual(a.body, { result: false, reason: 'invalid_credentials' });

      const events = await verifyEvents(s.tokenId);
      assert.equal(events.success, 1, 'the audit log records one success');
      assert.deepEqual(events.failures, Array(N - 1).fill('replayed'), 'and every other attempt as a replay');
      const auth = await t.db.selectFrom('events').select('result').where('tokenId', '=', s.tokenId).where('type', 'like', 'auth.%').execute();
      assert.equal(auth.filter((e) => e.result === 'success').length, 1);
      const token = await admin.call<{ failedAttempts: number; locked: boolean }>('GET', `/api/v1/tokens/${s.tokenId}`, undefined, 200);
      assert.deepEqual([token.failedAttempts, token.locked], [0, false], 'a replay storm neither counts nor locks');
    });

    it('accepts one of N identical codes for a token at /token', async () => {
      later(10);
      const r = await admin.resource();
      const tok = await admin.token(hardwareTotp('RACE-T'));
      await admin.assignToken(r.id, tok.id);
      const code = totpNow();
      const answers = await all((i) => send<AuthBody>(i, `/api/v1/auth/${r.id}/token`, { tokenId: tok.id, otp: code }, basic(r)));
      assert.equal(answers.filter((a) => a.status === 200 && a.body.result === true).length, 1);
      assert.ok(answers.every((a) => a.status === 200 && (a.body.result === true || a.body.reason === 'invalid_credentials')));
      const events = await verifyEvents(tok.id);
      assert.equal(events.success, 1);
      assert.equal(events.failures.length, N - 1);
    });

    it('accepts one of N identical HOTP codes, and the storm costs at most one counted failure', async () => {
      later(10);
      const s = await paired({ kind: 'hardware', type: 'hotp', serialNumber: `RACE-H-${mode}`, secret: rfcSecretBase32 });
      const code = hotp(rfcSecret, 0, { algorithm: 'SHA1', digits: 6 });
      const answers = await all((i) => send<AuthBody>(i, `/api/v1/auth/${s.r.id}/user-token`, { login: s.login, otp: code }, basic(s.r)));
      assert.equal(answers.filter((a) => a.body.result === true).length, 1);
      assert.ok(answers.every((a) => a.status === 200 && (a.body.result === true || a.body.reason === 'invalid_credentials')));
      assert.equal((await verifyEvents(s.tokenId)).success, 1);
      // A request that reads the token after the counter moved sees an old code: a wrong code,
      // the same one each time, which counts once.
      const token = await admin.call<{ failedAttempts: number; locked: boolean }>('GET', `/api/v1/tokens/${s.tokenId}`, undefined, 200);
      assert.ok(token.failedAttempts <= 1 && !token.locked, JSON.stringify(token));
    });

    it('accepts one of N identical e-mail codes, sent over SMTP', async () => {
      later(10);
      const s = await paired({ kind: 'software', type: 'email', digits: 8 });
      const before = smtp.received.length;
      const prepared = await send<AuthBody>(0, `/api/v1/auth/${s.r.id}/prepare`, { login: s.login }, basic(s.r));
      assert.deepEqual(prepared.body, { result: true });
      assert.equal(smtp.received.length, before + 1);
      const code = /sign-in code is (\d{8})/.exec(mailText(smtp.received.at(-1)!.raw))?.[1];
      assert.ok(code);

      const answers = await all((i) => send<AuthBody>(i, `/api/v1/auth/${s.r.id}/user-token`, { login: s.login, otp: code }, basic(s.r)));
      assert.equal(answers.filter((a) => a.status === 200 && a.body.result === true).length, 1);
      // Early losers lose the conditional UPDATE (a replay); late ones find no open code at all.
      for (const a of answers.filter((x) => x.body.result !== true))
        assert.ok(['invalid_credentials', 'expired_challenge'].includes(a.body.reason!), JSON.stringify(a.body));
      const events = await verifyEvents(s.tokenId);
      assert.equal(events.success, 1);
      assert.ok(
        events.failures.every((r) => r === 'replayed' || r === 'expired_challenge'),
        events.failures.join(),
      );
      const open = await t.db.selectFrom('otp_challenges').select('usedAt').where('tokenId', '=', s.tokenId).execute();
      assert.ok(open.length === 1 && open[0]!.usedAt !== null, 'the code is spent');
    });

    /** A widget login up to the OTP step: the transaction id. */
    async function widgetAtOtp(s: { r: { id: string }; login: string }) {
      const start = await send<WidgetBody>(0, '/widget/api/start', { resourceId: s.r.id, origin: SITE, nonce: 'race-nonce', instance: 'vf-1' });
      assert.equal(start.status, 200, JSON.stringify(start.body));
      const tx = start.body.transaction!;
      const identified = await send<WidgetBody>(0, '/widget/api/identify', { transaction: tx, login: s.login, password: PASSWORD });
      assert.deepEqual([identified.status, identified.body.step], [200, 'otp'], JSON.stringify(identified.body));
      return tx;
    }

    it('completes one of N identical widget OTP steps of one transaction', async () => {
      later(10);
      const s = await paired(hardwareTotp('RACE-W'));
      const tx = await widgetAtOtp(s);
      const code = totpNow();
      const answers = await all((i) => send<WidgetBody>(i, '/widget/api/otp', { transaction: tx, otp: code }));
      const done = answers.filter((a) => a.status === 200);
      assert.equal(done.length, 1, JSON.stringify(answers.map((a) => a.body)));
      assert.equal(done[0]!.body.step, 'done');
      assert.ok(done[0]!.body.token);
      for (const a of answers.filter((x) => x.status !== 200)) {
        assert.ok(
          (a.status === 410 && a.body.error?.code === 'transaction_expired') || (a.status === 401 && a.body.error?.code === 'wrong_credentials'),
          JSON.stringify(a),
        );
      }
      assert.equal((await verifyEvents(s.tokenId)).success, 1);
      const signedIn = await t.db.selectFrom('events').select('id').where('type', '=', 'auth.success').where('userId', '=', s.userId).execute();
      assert.equal(signedIn.length, 1, 'one login');
    });

    it('verifies one of N identical result JWTs at /api/v1/verify; the rest are replays', async () => {
      later(10);
      const s = await paired(hardwareTotp('RACE-J'));
      const tx = await widgetAtOtp(s);
      const done = await send<WidgetBody>(0, '/widget/api/otp', { transaction: tx, otp: totpNow() });
      assert.equal(done.status, 200, JSON.stringify(done.body));
      const token = done.body.token!;

      const answers = await all((i) => send<VerifyBody>(i, '/api/v1/verify', { token, nonce: 'race-nonce' }, basic(s.r)));
      assert.ok(answers.every((a) => a.status === 200));
      const valid = answers.filter((a) => a.body.valid === true);
      assert.equal(valid.length, 1);
      assert.equal(valid[0]!.body.sub, s.userId);
      for (const a of answers.filter((x) => x.body.valid !== true)) assert.deepEqual(a.body, { valid: false, reason: 'replayed' });

      const events = await t.db
        .selectFrom('events')
        .select(['result', 'reason'])
        .where('type', '=', 'result_token.verify')
        .where('resourceId', '=', s.r.id)
        .execute();
      assert.equal(events.filter((e) => e.result === 'success').length, 1);
      assert.deepEqual(
        events.filter((e) => e.result === 'failure').map((e) => e.reason),
        Array(N - 1).fill('replayed'),
      );
      const used = await t.db.selectFrom('used_jtis').select('jti').where('resourceId', '=', s.r.id).execute();
      assert.equal(used.length, 1);
    });
  });
}
