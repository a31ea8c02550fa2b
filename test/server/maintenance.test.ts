import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { CHURNING_TABLES, purgeExpired, startMaintenance, vacuumChurningTables } from '../../server/src/maintenance.js';
import { createLogger } from '../../server/src/logger.js';
import { dbModes, openTestDb, type TestDb } from '../helpers/db.js';

const now = new Date('2026-11-28T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
const MIN = 60_000;
const HOUR = 60 * MIN;

for (const mode of dbModes()) {
  describe(`database maintenance (${mode})`, () => {
    let t: TestDb;
    let resourceId: string;
    let tokenId: string;
    before(async () => {
      t = await openTestDb(mode);
      resourceId = (await t.db.insertInto('resources').values({ name: 'Shop' }).returning('id').executeTakeFirstOrThrow()).id;
      tokenId = (
        await t.db
          .insertInto('tokens')
          .values({ kind: 'software', type: 'totp', name: 'phone', secretEnc: Buffer.alloc(40, 1) })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    });
    after(() => t.close());

    it('deletes only rows past their use: old challenges, throttle windows, transactions and jti markers', async () => {
      const challenge = (label: string, expiresAt: Date) =>
        t.db
          .insertInto('otp_challenges')
          .values({ tokenId, resourceId, kind: 'ocra', challenge: label, expiresAt, createdAt: ago(3 * HOUR) })
          .execute();
      await challenge('stale', ago(2 * HOUR));
      await challenge('recently expired', ago(10 * MIN));
      await challenge('open', new Date(now.getTime() + 5 * MIN));
      await t.db
        .insertInto('auth_throttle')
        .values([
          { resourceId, ip: '192.0.2.1', windowStart: ago(26 * HOUR), failures: 3 },
          { resourceId, ip: '192.0.2.2', windowStart: ago(2 * HOUR), failures: 3 },
        ])
        .execute();
      const tx = (id: number, expiresAt: Date) =>
        t.db
          .insertInto('widget_transactions')
          .values({
            idHash: Buffer.alloc(32, id),
            resourceId,
            origin: 'https://shop.test',
            nonce: 'n',
            instance: null,
            userId: null,
            tokenId: null,
            challengeId: null,
            clientIp: null,
            userAgent: null,
            expiresAt,
            completedAt: null,
          })
          .execute();
      await tx(1, ago(2 * HOUR));
      await tx(2, ago(5 * MIN));
      await t.db
        .insertInto('login_attempts')
        .values([
          { resourceId, loginKey: 'idle', failures: 2, updatedAt: ago(25 * HOUR) },
          { resourceId, loginKey: 'waiting', failures: 0, lockCount: 3, lockedUntil: new Date(now.getTime() + 5 * MIN), updatedAt: ago(25 * HOUR) },
          { resourceId, loginKey: 'recent', failures: 1, updatedAt: ago(HOUR) },
        ])
        .execute();
      await t.db
        .insertInto('rate_windows')
        .values([
          { bucket: 'send-login', key: 'old', windowStart: ago(25 * HOUR), count: 5 },
          { bucket: 'send-login', key: 'new', windowStart: ago(MIN), count: 1 },
        ])
        .execute();
      const session = (id: number, expiresAt: Date, lastSeenAt: Date) => ({
        idHash: Buffer.alloc(32, id),
        resourceId,
        userId: null,
        login: 'x',
        stage: 'password' as const,
        csrfHash: Buffer.alloc(32, id),
        expiresAt,
        lastSeenAt,
      });
      await t.db
        .insertInto('portal_sessions')
        .values([session(1, ago(MIN), ago(2 * MIN)), session(2, new Date(now.getTime() + HOUR), ago(MIN))])
        .execute();
      await t.db
        .insertInto('used_jtis')
        .values([
          { jti: 'old', resourceId, expiresAt: ago(2 * HOUR) },
          { jti: 'new', resourceId, expiresAt: ago(MIN) },
        ])
        .execute();

      const backup = (id: string, expiresAt: Date | null) => ({ id, writeKeyHash: Buffer.alloc(32), data: 'x', expiresAt });
      await t.db
        .insertInto('app_backups')
        .values([backup('expired-transfer', ago(MIN)), backup('open-transfer', new Date(now.getTime() + MIN)), backup('backup', null)])
        .execute();

      assert.deepEqual(await purgeExpired(t.db, now), {
        challenges: 1,
        pushChallenges: 0,
        throttles: 1,
        loginCounters: 1,
        rateWindows: 1,
        portalSessions: 1,
        transactions: 1,
        jtis: 1,
        appTransfers: 1,
      });

      const left = await t.db.selectFrom('otp_challenges').select('challenge').orderBy('challenge').execute();
      assert.deepEqual(
        left.map((r) => r.challenge),
        ['open', 'recently expired'],
      );
      assert.deepEqual(
        (await t.db.selectFrom('auth_throttle').select('ip').execute()).map((r) => r.ip),
        ['192.0.2.2'],
      );
      assert.deepEqual(
        (await t.db.selectFrom('login_attempts').select('loginKey').orderBy('loginKey').execute()).map((r) => r.loginKey),
        ['recent', 'waiting'],
        'a running delay is kept',
      );
      assert.deepEqual(
        (await t.db.selectFrom('rate_windows').select('key').execute()).map((r) => r.key),
        ['new'],
      );
      assert.equal((await t.db.selectFrom('widget_transactions').select('idHash').execute()).length, 1);
      assert.deepEqual(
        (await t.db.selectFrom('used_jtis').select('jti').execute()).map((r) => r.jti),
        ['new'],
      );
      assert.deepEqual(
        (await t.db.selectFrom('app_backups').select('id').orderBy('id').execute()).map((r) => r.id),
        ['backup', 'open-transfer'],
      );
      // A second pass finds nothing more to do.
      assert.deepEqual(await purgeExpired(t.db, now), {
        challenges: 0,
        pushChallenges: 0,
        throttles: 0,
        loginCounters: 0,
        rateWindows: 0,
        portalSessions: 0,
        transactions: 0,
        jtis: 0,
        appTransfers: 0,
      });
    });

    it('vacuums every churning table, and each of them exists', async () => {
      const present = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = ${t.schema}`.execute(t.db);
      const names = new Set(present.rows.map((r) => r.name));
      for (const table of CHURNING_TABLES) assert.ok(names.has(table), `${table} exists`);
      await t.db.updateTable('tokens').set({ failedAttempts: 1 }).where('id', '=', tokenId).execute();
      await vacuumChurningTables(t.db);
      const stats = await sql<{ analyzed: number }>`
        select count(*)::int as analyzed from pg_stat_user_tables
        where schemaname = ${t.schema} and relname = 'tokens' and (last_vacuum is not null or vacuum_count > 0)`.execute(t.db);
      assert.equal(stats.rows[0]?.analyzed, 1, 'tokens was vacuumed');
    });

    it('runs passes on its timer until stopped, logging what it purged and never a failure', async (ctx) => {
      // The interval is a mocked setInterval, advanced by the test; a pass starts by reading the
      // clock, so the clock's calls count the passes, and the pass's end is its log line.
      ctx.mock.timers.enable({ apis: ['setInterval'] });
      await t.db
        .insertInto('used_jtis')
        .values({ jti: 'timer', resourceId, expiresAt: ago(2 * HOUR) })
        .execute();
      const lines: string[] = [];
      let passDone: () => void;
      const firstPass = new Promise<void>((resolve) => (passDone = resolve));
      const log = createLogger('debug', {
        write: (line: string) => {
          lines.push(line);
          if (line.includes('database maintenance')) passDone();
        },
      });
      let passes = 0;
      const clock = () => (passes++, now);
      const job = startMaintenance({ db: t.db, kind: mode }, log, { intervalMs: 20, now: clock });
      ctx.mock.timers.tick(19);
      assert.equal(passes, 0, 'no pass before the interval');
      ctx.mock.timers.tick(1);
      assert.equal(passes, 1);
      await firstPass;
      await job.stop();
      ctx.mock.timers.tick(60_000);
      assert.equal(passes, 1, 'no pass after stop()');
      assert.equal(lines.length, 1);
      const first = JSON.parse(lines[0]!) as { msg: string; purged: { jtis: number } };
      assert.equal(first.msg, 'database maintenance done');
      assert.equal(first.purged.jtis, 1);
      assert.equal((await t.db.selectFrom('used_jtis').select('jti').where('jti', '=', 'timer').execute()).length, 0);
    });

    it('survives a database outage: logs the failed passes and carries on when it is back', async () => {
      // The database "goes away": every use of the handle fails as a refused connection would.
      const outage = { on: true };
      const db = new Proxy(t.db, {
        get(target, prop) {
          if (outage.on) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
          const value: unknown = Reflect.get(target, prop, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      const seen = { failed: 0, done: 0 };
      let notify = () => {};
      const log = createLogger('debug', {
        write: (line: string) => {
          if (line.includes('database maintenance failed')) seen.failed++;
          if (line.includes('database maintenance done')) seen.done++;
          notify();
        },
      });
      // The maintenance timer does not keep the process alive; this bound on the wait does.
      const reached = (cond: () => boolean) =>
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('timed out waiting for maintenance passes')), 20_000);
          notify = () => {
            if (!cond()) return;
            clearTimeout(timer);
            resolve();
          };
          notify();
        });
      const job = startMaintenance({ db, kind: mode }, log, { intervalMs: 10, now: () => now });
      await reached(() => seen.failed >= 2);
      outage.on = false;
      await reached(() => seen.done >= 1);
      await job.stop();
      assert.ok(seen.failed >= 2, 'each pass during the outage failed and was logged');
    });
  });
}
