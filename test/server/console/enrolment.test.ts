import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../../server/src/cli/index.js';
import { createConsoleAdmin, resetAccess } from '../../../server/src/console/enrolment.js';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { codeFor, consoleEnv, signIn, withSession } from '../../helpers/console.js';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';

type Started = { login: string; otpauthUri: string; qrSvg: string; secret: string };

for (const mode of dbModes()) {
  describe(`console enrolment (${mode})`, () => {
    let t: TestDb;
    let api: TestApp;
    let clock = new Date('2026-12-05T10:00:00Z');
    before(async () => {
      t = await openTestDb(mode);
      api = await createTestApp(t, { now: () => clock, env: consoleEnv });
    });
    after(() => t.close());

    const post = async (path: string, json: unknown) => {
      const res = await api.request(`/console/api/enrol/${path}`, { method: 'POST', key: null, json });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> & { error?: { code: string } } };
    };

    it('sets a password and an authenticator confirmed by a code; the link works once', async () => {
      const { code, userId } = await createConsoleAdmin(t.db, { login: 'eve', role: 'superuser', resourceIds: [], now: clock, actor: 'test' });
      const started = (await post('start', { code })).body as unknown as Started;
      assert.equal(started.login, 'eve');
      assert.match(started.otpauthUri, /^otpauth:\/\/totp\//);
      assert.match(started.qrSvg, /^<svg/);
      const wrong = await post('finish', { code, password: 'long-enough-password', otp: codeFor(started.secret, clock) === '000000' ? '111111' : '000000' });
      assert.equal(wrong.status, 422);
      assert.equal(wrong.body.error?.code, 'wrong_code');
      const short = await post('finish', { code, password: 'short', otp: codeFor(started.secret, clock) });
      assert.equal(short.status, 400);
      const user = await t.db.selectFrom('users').select('passwordHash').where('id', '=', userId).executeTakeFirstOrThrow();
      assert.equal(user.passwordHash, null, 'nothing is set before a code confirms');

      assert.equal((await post('finish', { code, password: 'long-enough-password', otp: codeFor(started.secret, clock) })).status, 204);
      const pairing = await t.db.selectFrom('resource_user_tokens').select('tokenId').where('userId', '=', userId).execute();
      assert.equal(pairing.length, 1);
      const token = await t.db.selectFrom('tokens').select(['active', 'lastStep']).where('id', '=', pairing[0]!.tokenId).executeTakeFirstOrThrow();
      assert.equal(token.active, true);
      assert.equal(Number(token.lastStep), Math.floor(clock.getTime() / 30_000), 'the confirming code is spent');
      assert.equal((await post('start', { code })).status, 404, 'used link');
    });

    it('a link expires after 24 hours and a new link replaces the old one', async () => {
      const { code } = await createConsoleAdmin(t.db, { login: 'frank', role: 'superuser', resourceIds: [], now: clock, actor: 'test' });
      const later = new Date(clock.getTime() + 24 * 3600_000);
      const saved = clock;
      clock = later;
      assert.equal((await post('start', { code })).status, 404);
      clock = saved;
      const fresh = await resetAccess(t.db, { login: 'frank', now: clock, actor: 'test' });
      assert.equal((await post('start', { code })).status, 404, 'the old link stopped working');
      assert.equal((await post('start', { code: fresh.code })).status, 200);
    });

    it('reset-access ends sessions and removes the password and the authenticator', async () => {
      const { code, userId, adminId } = await createConsoleAdmin(t.db, { login: 'gina', role: 'superuser', resourceIds: [], now: clock, actor: 'test' });
      const started = (await post('start', { code })).body as unknown as Started;
      await post('finish', { code, password: 'gina-long-password', otp: codeFor(started.secret, clock) });
      const s = await signIn(t, api, { userId, login: 'gina' }, clock);
      assert.equal((await withSession(api, s)('GET', '/api/v1/admins/me')).status, 200);
      const reset = await resetAccess(t.db, { login: 'GINA', now: clock, actor: 'test' });
      assert.equal(reset.adminId, adminId);
      assert.equal((await withSession(api, s)('GET', '/api/v1/admins/me')).status, 401);
      const user = await t.db.selectFrom('users').select('passwordHash').where('id', '=', userId).executeTakeFirstOrThrow();
      assert.equal(user.passwordHash, null);
      assert.equal((await t.db.selectFrom('tokens').select('id').where('userId', '=', userId).execute()).length, 0);
    });

    it('refuses a login that exists and unknown resources', async () => {
      await assert.rejects(createConsoleAdmin(t.db, { login: 'EVE', role: 'superuser', resourceIds: [], now: clock, actor: 'test' }), /login/i);
      await assert.rejects(
        createConsoleAdmin(t.db, { login: 'hal', role: 'admin', resourceIds: ['00000000-0000-4000-8000-000000000000'], now: clock, actor: 'test' }),
        /No such resource/,
      );
    });
  });
}

describe('veriframe admin create | reset-access', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'veriframe-console-cli-'));
  const env = { VERIFRAME_DATA_DIR: dir, PUBLIC_URL: 'https://vf.example', LOG_LEVEL: 'silent', VERIFRAME_MASTER_KEY: Buffer.alloc(32, 7).toString('base64') };
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, env);
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('prints a one-time enrolment link on the console origin', async () => {
    const created = await run('admin', 'create', '--login', 'root', '--superuser');
    assert.equal(created.code, 0, created.err);
    assert.match(created.out, /https:\/\/vf\.example\/console\/enrol#[A-Za-z0-9_-]{43}/);
    const reset = await run('admin', 'reset-access', '--login', 'root');
    assert.equal(reset.code, 0, reset.err);
    assert.match(reset.out, /console\/enrol#/);
    assert.notEqual(/#(\S+)/.exec(reset.out)![1], /#(\S+)/.exec(created.out)![1]);
  });

  it('explains wrong usage with exit code 2', async () => {
    assert.equal((await run('admin', 'create', '--login', 'x')).code, 2, 'neither --superuser nor --resource');
    assert.equal((await run('admin', 'create', '--login', 'x', '--superuser', '--resource', 'r')).code, 2);
    assert.equal((await run('admin', 'reset-access', '--login', 'nobody')).code, 2);
    assert.equal((await run('admin', 'frobnicate')).code, 2);
  });
});
