import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type pg from 'pg';
import { createPostgresPool } from '../../../server/src/db/index.js';
import { precompiled } from '../../../server/src/db/precompiled.js';
import { MAX_PREPARED } from '../../../server/src/db/prepared.js';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';

// Precompiled queries (built once, run with new values) and prepared statements on PostgreSQL
// connections: the same answers as building and sending each query anew.

const findByLogin = precompiled((db, p: { login: string; active: boolean }) =>
  db.selectFrom('users').select(['id', 'login', 'firstName']).where(sql<boolean>`lower(login) = lower(${p.login})`).where('active', '=', p.active),
);

for (const mode of dbModes()) {
  describe(`precompiled queries (${mode})`, () => {
    let t: TestDb;
    before(async () => {
      t = await openTestDb(mode);
      await t.db
        .insertInto('users')
        .values([
          { login: 'alice', firstName: 'Alice' },
          { login: 'bob', firstName: 'Bob', active: false },
        ])
        .execute();
    });
    after(() => t.close());

    it('runs with the values of each call, results mapped like any query', async () => {
      assert.deepEqual(
        (await findByLogin(t.db, { login: 'ALICE', active: true })).rows.map((r) => r.firstName),
        ['Alice'],
      );
      assert.deepEqual((await findByLogin(t.db, { login: 'bob', active: true })).rows, []);
      assert.deepEqual(
        (await findByLogin(t.db, { login: 'bob', active: false })).rows.map((r) => r.firstName),
        ['Bob'],
      );
      // Inside a transaction too.
      await t.db.transaction().execute(async (trx) => {
        assert.equal((await findByLogin(trx, { login: 'alice', active: true })).rows.length, 1);
      });
    });

    it('refuses a builder that changes a value or does not pass it', async () => {
      const changed = precompiled((db, p: { login: string }) => db.selectFrom('users').select('id').where('login', '=', `${p.login}%`));
      await assert.rejects(changed(t.db, { login: 'a' }), /changed by the builder/);
      const unused = precompiled((db, p: { login: string }) => db.selectFrom('users').select('id').where('login', '=', p.login.toUpperCase()));
      await assert.rejects(unused(t.db, { login: 'a' }), /changed by the builder|not passed/);
    });
  });
}

if (process.env.TEST_DATABASE_URL) {
  describe('prepared statements (postgres)', () => {
    let t: TestDb;
    let pool: pg.Pool;
    before(async () => {
      t = await openTestDb('postgres');
      pool = createPostgresPool(process.env.TEST_DATABASE_URL!, { max: 1, schema: t.schema });
    });
    after(async () => {
      await pool.end();
      await t.close();
    });

    const prepared = async (client: pg.PoolClient) =>
      (await client.query('select name, statement from pg_prepared_statements')).rows as { name: string; statement: string }[];

    it('prepares a statement the second time a connection runs it, and reuses it', async () => {
      const client = await pool.connect();
      try {
        await client.query('create table counted (id int primary key, label text)');
        await client.query('insert into counted values ($1, $2), ($3, $4)', [1, 'one', 2, 'two']);
        const select = 'select label from counted where id = $1';
        assert.deepEqual((await client.query(select, [1])).rows, [{ label: 'one' }]);
        assert.equal((await prepared(client)).filter((p) => p.statement === select).length, 0, 'not after one use');
        assert.deepEqual((await client.query(select, [2])).rows, [{ label: 'two' }]);
        assert.deepEqual((await client.query(select, [1])).rows, [{ label: 'one' }]);
        assert.equal((await prepared(client)).filter((p) => p.statement === select).length, 1, 'prepared once');
        // Utility statements and the callback form pass through untouched.
        await new Promise<void>((resolve, reject) => client.query('select 1 as one', (err: Error | undefined) => (err ? reject(err) : resolve())));
      } finally {
        client.release();
      }
    });

    it('falls back to an unprepared statement when a migration changed the table under it', async () => {
      const client = await pool.connect();
      try {
        const star = 'select * from counted where id = $1';
        await client.query(star, [1]);
        await client.query(star, [1]);
        await client.query('alter table counted add column extra text');
        // "cached plan must not change result type" for the prepared one: answered unprepared.
        assert.deepEqual((await client.query(star, [1])).rows, [{ id: 1, label: 'one', extra: null }]);
        assert.deepEqual((await client.query(star, [2])).rows, [{ id: 2, label: 'two', extra: null }]);
        // Inside a transaction the failure aborted it, so that error is the one reported.
        await client.query('alter table counted drop column extra');
        const other = 'select * from counted where id > $1';
        await client.query(other, [0]);
        await client.query(other, [0]);
        await client.query('alter table counted add column extra2 text');
        await client.query('begin');
        await assert.rejects(client.query(other, [0]), (err: { code?: string }) => err.code === '0A000');
        await client.query('rollback');
        assert.equal((await client.query(other, [0])).rows.length, 2, 'unprepared afterwards');
      } finally {
        client.release();
      }
    });

    it(`prepares at most ${MAX_PREPARED} statements per connection`, async () => {
      const client = await pool.connect();
      try {
        for (let i = 0; i < MAX_PREPARED + 20; i++) {
          const text = `select id from counted where id = $1 and ${i} = ${i}`;
          await client.query(text, [1]);
          await client.query(text, [1]);
        }
        assert.ok((await prepared(client)).length <= MAX_PREPARED);
      } finally {
        client.release();
      }
    });
  });
}
