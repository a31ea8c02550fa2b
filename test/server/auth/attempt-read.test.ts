import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadResource, lookAndReadAttempt, readAttempt } from '../../../server/src/auth/repository.js';
import { sha256 } from '../../../server/src/crypto/random.js';
import { appendEvent } from '../../../server/src/events/repository.js';
import { findResource } from '../../../server/src/resources/repository.js';
import { findToken } from '../../../server/src/tokens/repository.js';
import { findUserByLogin } from '../../../server/src/users/repository.js';
import { claimAndLook } from '../../../server/src/widget/transactions.js';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';

// The authentication hot path reads in one query what separate lookups read: the rows must be
// the same, field for field and type for type.

for (const mode of dbModes()) {
  describe(`one-query reads of an attempt (${mode})`, () => {
    let t: TestDb;
    let resourceId: string;
    before(async () => {
      t = await openTestDb(mode);
      const resource = await t.db
        .insertInto('resources')
        .values({ name: 'Read', allowedOrigins: ['https://a.example'] })
        .returning('id')
        .executeTakeFirstOrThrow();
      resourceId = resource.id;
      await t.db
        .insertInto('filters')
        .values({ resourceId, type: 'ip', mode: 'allow', config: JSON.stringify({ cidrs: ['10.0.0.0/8'] }) })
        .execute();
      await t.db
        .insertInto('filters')
        .values({ resourceId, type: 'userAgent', mode: 'deny', config: JSON.stringify({ patterns: ['curl'] }), enabled: false })
        .execute();
      const full = await t.db
        .insertInto('users')
        .values({ login: 'Full', email: 'full@example.test', phone: '+100', firstName: 'F', lastName: 'L', passwordHash: '$argon2id$x' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const token = await t.db
        .insertInto('tokens')
        .values({
          kind: 'hardware',
          type: 'hotp',
          name: 'T',
          serialNumber: 'R-1',
          secretEnc: Buffer.alloc(40, 7),
          userId: full.id,
          lastStep: '9007199254740993',
          bypassUntil: new Date('2030-01-01T00:00:00Z'),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await t.db.insertInto('resource_user_tokens').values({ resourceId, userId: full.id, tokenId: token.id }).execute();
      const direct = await t.db.insertInto('users').values({ login: 'direct' }).returning('id').executeTakeFirstOrThrow();
      await t.db.insertInto('resource_users').values({ resourceId, userId: direct.id }).execute();
    });
    after(() => t.close());

    it('reads the user and the paired token exactly as findUserByLogin and findToken do', async () => {
      const read = await readAttempt(t.db, resourceId, 'FULL');
      const user = await findUserByLogin(t.db, 'full');
      assert.deepEqual(read.user, user);
      assert.deepEqual(read.token, await findToken(t.db, read.token!.id));
      assert.equal(read.token!.lastStep, '9007199254740993', 'bigint as a string, exact');
      assert.equal(read.assignedDirectly, false);
    });

    it('reads a directly assigned user and an unknown login', async () => {
      const direct = await readAttempt(t.db, resourceId, 'direct');
      assert.equal(direct.user?.login, 'direct');
      assert.equal(direct.token, undefined);
      assert.equal(direct.assignedDirectly, true);
      const unknown = await readAttempt(t.db, resourceId, 'nobody');
      assert.deepEqual(unknown, { assignedDirectly: false });
    });

    it("the widget's claim reads the login and the throttle window as lookAndReadAttempt does, and claims as claimAttempt does", async () => {
      const now = new Date();
      const id = 'Claim-and-look-000000a';
      await t.db
        .insertInto('widget_transactions')
        .values({
          idHash: sha256(id),
          resourceId,
          origin: 'https://a.example',
          nonce: 'n',
          instance: 'i',
          clientIp: '10.1.2.3',
          userAgent: 'UA',
          expiresAt: new Date(now.getTime() + 60_000),
          maxAttempts: 2,
        })
        .execute();
      const bucket = '10.1.2.3';
      await t.db.insertInto('auth_throttle').values({ resourceId, ip: bucket, windowStart: now, failures: 3 }).execute();
      const { tx, looked } = await claimAndLook(t.db, id, now, undefined, { bucket, login: 'FULL' });
      assert.deepEqual(tx, await t.db.selectFrom('widget_transactions').selectAll().where('idHash', '=', sha256(id)).executeTakeFirstOrThrow());
      assert.equal(tx.attempts, 1);
      assert.deepEqual(looked, await lookAndReadAttempt(t.db, { resourceId, bucket }, 'FULL'));
      assert.deepEqual(looked.window, { windowStart: now, failures: 3 });
      assert.equal(looked.read.token?.lastStep, '9007199254740993');
      // Another client's window is none yet; the transaction's own resource only; its attempts run out.
      const other = await claimAndLook(t.db, id, now, resourceId, { bucket: '10.9.9.9', login: 'nobody' });
      assert.equal(other.tx.attempts, 2);
      assert.deepEqual(other.looked, { look: { resourceId, bucket: '10.9.9.9' }, read: { assignedDirectly: false } });
      await assert.rejects(claimAndLook(t.db, id, now, resourceId, { bucket, login: 'FULL' }), { code: 'transaction_expired' });
      await t.db.updateTable('widget_transactions').set({ attempts: 0 }).where('idHash', '=', sha256(id)).execute();
      await assert.rejects(claimAndLook(t.db, id, now, '00000000-0000-4000-8000-000000000000', { bucket, login: 'FULL' }), { code: 'transaction_expired' });
      await assert.rejects(claimAndLook(t.db, 'not-an-id', now, undefined, { bucket, login: 'FULL' }), { code: 'transaction_expired' });
      assert.equal((await t.db.selectFrom('widget_transactions').select('attempts').where('idHash', '=', sha256(id)).executeTakeFirstOrThrow()).attempts, 0);
    });

    it('loads a resource row with its enabled filters only', async () => {
      const loaded = await loadResource(t.db, resourceId);
      assert.deepEqual(loaded?.resource, await findResource(t.db, resourceId));
      assert.deepEqual(
        loaded?.filters.map((f) => [f.type, f.mode, f.config, f.enabled]),
        [['ip', 'allow', { cidrs: ['10.0.0.0/8'] }, true]],
      );
      assert.equal(await loadResource(t.db, '00000000-0000-4000-8000-000000000000'), undefined);
      assert.equal(await loadResource(t.db, 'not-a-uuid'), undefined);
    });

    it('writes concurrent events together, and a bad one fails alone', async () => {
      const before = (await t.db.selectFrom('events').select('id').execute()).length;
      const results = await Promise.allSettled([
        ...Array.from({ length: 20 }, (_, i) => appendEvent(t.db, { type: 'test.batch', actor: 'test', details: { i } })),
        appendEvent(t.db, { type: 'test.batch', actor: 'test', result: 'bogus' as never }),
        ...Array.from({ length: 5 }, (_, i) => appendEvent(t.db, { type: 'test.batch', actor: 'test', details: { i: 20 + i } })),
      ]);
      assert.deepEqual(
        results.map((r) => r.status),
        [...Array(20).fill('fulfilled'), 'rejected', ...Array(5).fill('fulfilled')],
      );
      const rows = await t.db.selectFrom('events').select(['details']).where('type', '=', 'test.batch').orderBy('id').execute();
      assert.equal(rows.length, 25);
      assert.equal((await t.db.selectFrom('events').select('id').execute()).length, before + 25);
      // Each caller's events keep the order it wrote them in.
      for (let i = 0; i < 3; i++) await appendEvent(t.db, { type: 'test.order', actor: 'test', details: { i } });
      const order = await t.db.selectFrom('events').select('details').where('type', '=', 'test.order').orderBy('id').execute();
      assert.deepEqual(
        order.map((r) => (r.details as { i: number }).i),
        [0, 1, 2],
      );
    });
  });
}
