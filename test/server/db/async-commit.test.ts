import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { reservation } from '../../../server/src/auth/throttle.js';
import { asyncCommit } from '../../../server/src/db/async-commit.js';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';

// The throttle reservation commits without waiting for the disk (db/async-commit.ts). What that
// relies on: the setting holds inside the statement and is gone after it, so the next statement
// on the same connection (the attempt's outcome, its event) commits synchronously again.

for (const mode of dbModes()) {
  describe(`asynchronous commit of one statement (${mode})`, () => {
    let t: TestDb;
    before(async () => {
      // One connection: the statements below must meet the same session.
      t = await openTestDb(mode, { poolSize: 1 });
    });
    after(() => t.close());

    const setting = async () => (await sql<{ s: string }>`select current_setting('synchronous_commit') as s`.execute(t.db)).rows[0]!.s;

    it('is off within the statement and on again for the next one', async () => {
      assert.equal(await setting(), 'on');
      const during = await sql<{ s: string }>`select ${asyncCommit} as a, current_setting('synchronous_commit') as s`.execute(t.db);
      assert.equal(during.rows[0]!.s, 'off');
      assert.equal(await setting(), 'on');
    });

    it('is part of the throttle reservation, which leaves the session synchronous', async () => {
      const resource = await t.db.insertInto('resources').values({ name: 'async commit' }).returning('id').executeTakeFirstOrThrow();
      const p = { resourceId: resource.id, bucket: '192.0.2.1', now: new Date(), windowSeconds: 60, maxFailures: 3 };
      assert.match(reservation(t.db, p).compile().sql, /set_config\('synchronous_commit', 'off', true\)/);
      const row = await reservation(t.db, p).executeTakeFirst();
      assert.ok(row?.windowStart instanceof Date);
      assert.equal(await setting(), 'on');
      const count = await t.db.selectFrom('auth_throttle').select('failures').where('resourceId', '=', resource.id).executeTakeFirstOrThrow();
      assert.equal(count.failures, 1);
    });
  });
}
