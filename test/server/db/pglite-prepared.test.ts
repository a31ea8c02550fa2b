import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, sql } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { createPlugins, openDatabase, pgliteOptions } from '../../../server/src/db/index.js';
import { PreparedPGliteDialect } from '../../../server/src/db/pglite-dialect.js';
import { migratedDataDir } from '../../helpers/data-dir.js';
import { repoRoot } from '../../helpers/process.js';

// Named prepared statements on the embedded database (server/src/db/pglite-prepared.ts): the
// same rows, JavaScript types and errors as PGlite's own query(), inside and outside
// transactions, after schema changes, and durable on a data directory.

// Loose on purpose: the tables here are the test's own, not the application's schema.
type AnyDb = Kysely<Record<string, Record<string, unknown>>>;

const SAMPLE = sql`select id, big, raw, at, doc, flag, label, tags, amount, ref
  from sample where id >= ${1} order by id`;

describe('prepared statements on PGlite', () => {
  let pglite: PGlite;
  let prepared: AnyDb;
  let plain: AnyDb;

  const preparedTexts = async () => (await pglite.query<{ statement: string }>('select statement from pg_prepared_statements')).rows.map((r) => r.statement);

  before(async () => {
    pglite = await PGlite.create(pgliteOptions);
    prepared = new Kysely({ dialect: new PreparedPGliteDialect(pglite), plugins: createPlugins() });
    plain = new Kysely({ dialect: new PGliteDialect(pglite), plugins: createPlugins() });
    await pglite.exec(`
      create table sample (id int primary key, big int8, raw bytea, at timestamptz, doc jsonb, flag boolean,
        label text unique, tags text[], amount numeric, ref uuid);
      insert into sample values
        (1, 9007199254740993, '\\x00ff10', '2026-12-05T10:00:00.123Z', '{"someKey": [1, "x"]}', true, 'one',
         '{a,b}', 12.50, '8d5f7a43-1c1b-4a55-9d7b-0b5d2f0c9a01'),
        (2, null, null, null, null, null, null, null, null, null);
    `);
  });
  after(async () => {
    await prepared.destroy(); // closes the instance
  });

  it('answers with the rows and JavaScript types of the unprepared query, and prepares the statement', async () => {
    const expected = (await SAMPLE.execute(plain)).rows;
    assert.equal(typeof (expected[0] as { big: unknown }).big, 'string', 'int8 as a string, as node-postgres');
    assert.ok(Buffer.isBuffer((expected[0] as { raw: unknown }).raw), 'bytea as a Buffer');
    for (let run = 0; run < 3; run++) assert.deepEqual((await SAMPLE.execute(prepared)).rows, expected, `run ${run + 1}`);
    assert.equal((await preparedTexts()).filter((t) => t.includes('from sample where id >=')).length, 1, 'prepared once, reused');
  });

  it('passes values by their parameter types (bytea, jsonb, arrays, timestamps, null) and counts affected rows', async () => {
    const insert = (id: number) =>
      sql`insert into sample (id, big, raw, at, doc, tags, ref) values (${id}, ${String(10n ** 15n + BigInt(id))}, ${Buffer.from([id, 0, 255])},
        ${new Date(Date.UTC(2026, 0, id))}, ${JSON.stringify({ n: id })}, ${['x', `y${id}`]}, ${null})`;
    for (const id of [10, 11, 12]) assert.equal((await insert(id).execute(prepared)).numAffectedRows, 1n);
    const back = await sql`select id, big, raw, at, doc, tags, ref from sample where id >= ${10} order by id`.execute(plain);
    assert.deepEqual(
      back.rows.map((r) => r as Record<string, unknown>),
      [10, 11, 12].map((id) => ({
        id,
        big: String(10n ** 15n + BigInt(id)),
        raw: Buffer.from([id, 0, 255]),
        at: new Date(Date.UTC(2026, 0, id)),
        doc: { n: id },
        tags: ['x', `y${id}`],
        ref: null,
      })),
    );
    const update = () => sql`update sample set flag = ${false} where id >= ${10}`.execute(prepared);
    await update();
    assert.equal((await update()).numAffectedRows, 3n);
    const none = () => sql`update sample set flag = ${false} where id = ${-1}`.execute(prepared);
    await none();
    assert.equal((await none()).numAffectedRows, undefined, 'no count for 0 rows, as kysely-pglite-dialect');
  });

  it('throws PostgreSQL errors with their SQLSTATE, and the session goes on', async () => {
    const duplicate = () => sql`insert into sample (id, label) values (${100}, ${'one'})`.execute(prepared);
    for (let run = 0; run < 3; run++) {
      await assert.rejects(duplicate(), (err: { code?: string; constraint?: string; message?: string }) => {
        assert.equal(err.code, '23505');
        assert.equal(err.constraint, 'sample_label_key');
        return true;
      });
    }
    assert.ok(
      (await preparedTexts()).some((t) => t.startsWith('insert into sample (id, label)')),
      'the failing statement ran prepared',
    );
    const invalid = () => sql`select id from sample where id = ${'not a number'}`.execute(prepared);
    for (let run = 0; run < 3; run++) await assert.rejects(invalid(), (err: { code?: string }) => err.code === '22P02');
    assert.equal((await SAMPLE.execute(prepared)).rows.length, 5);
  });

  it('runs inside transactions: rolled back with them, and an error aborts the transaction', async () => {
    const add = (trx: AnyDb, id: number) => sql`insert into sample (id, label) values (${id}, ${`t${id}`})`.execute(trx);
    await add(prepared, 200);
    await add(prepared, 201); // prepared from here on
    // A statement first prepared inside a transaction that rolls back stays prepared (the
    // protocol's statements are the session's, not the transaction's) and goes on working.
    const label = (trx: AnyDb, id: number) => sql<{ label: string }>`select label from sample where id = ${id} and id > ${0}`.execute(trx);
    await assert.rejects(
      prepared.transaction().execute(async (trx) => {
        await add(trx, 202);
        await add(trx, 203);
        assert.equal((await label(trx, 202)).rows[0]?.label, 't202');
        assert.equal((await label(trx, 203)).rows[0]?.label, 't203');
        throw new Error('roll back');
      }),
      /roll back/,
    );
    assert.ok(
      (await preparedTexts()).some((t) => t.includes('and id > $2')),
      'prepared in the transaction',
    );
    assert.equal((await label(prepared, 201)).rows[0]?.label, 't201');
    assert.deepEqual((await label(prepared, 202)).rows, []);
    await prepared.transaction().execute(async (trx) => {
      await add(trx, 204);
      // A failing prepared statement aborts the transaction: the next statement is refused.
      await assert.rejects(add(trx, 204), (err: { code?: string }) => err.code === '23505');
      await assert.rejects(add(trx, 205), (err: { code?: string }) => err.code === '25P02');
    });
    const ids = (await sql<{ id: number }>`select id from sample where id >= ${200} order by id`.execute(plain)).rows.map((r) => r.id);
    assert.deepEqual(ids, [200, 201]);
  });

  it('goes on after a migration changed the table under a prepared statement, and after DEALLOCATE', async () => {
    const star = () => sql<Record<string, unknown>>`select * from sample where id = ${1}`.execute(prepared);
    await star();
    await star();
    await pglite.exec('alter table sample add column extra text');
    // Outside a transaction: prepared again and answered, with the new column.
    assert.equal((await star()).rows[0]?.extra, null);
    assert.ok('extra' in (await star()).rows[0]!);
    // Inside one, the statement's failure aborts it (0A000), and the next run is prepared anew.
    await pglite.exec('alter table sample add column extra2 text');
    await assert.rejects(
      prepared.transaction().execute(async (trx) => {
        await sql`select * from sample where id = ${1}`.execute(trx);
      }),
      (err: { code?: string }) => err.code === '0A000',
    );
    assert.ok('extra2' in (await star()).rows[0]!);
    // The statement gone from the session (26000): prepared again.
    await pglite.exec('deallocate all');
    assert.equal((await star()).rows.length, 1);
    assert.equal((await preparedTexts()).length, 1);
  });

  it('delivers notifications before the statement that sent them returns', async () => {
    await pglite.exec(`
      create function sample_notify() returns trigger language plpgsql as
        $$ begin perform pg_notify('sample_changes', new.id::text); return new; end $$;
      create trigger sample_notify after update on sample for each row execute function sample_notify();
    `);
    const heard: string[] = [];
    const unlisten = await pglite.listen('sample_changes', (payload) => heard.push(payload));
    for (const id of [1, 2, 10]) {
      await sql`update sample set label = label where id = ${id}`.execute(prepared);
      await Promise.resolve(); // PGlite calls listeners from a microtask
      assert.equal(heard.at(-1), String(id));
    }
    await unlisten();
  });

  it('shares the session’s statements between Kysely instances on one PGlite', async () => {
    const other: AnyDb = new Kysely({ dialect: new PreparedPGliteDialect(pglite), plugins: createPlugins() });
    const count = (db: AnyDb) => sql<{ n: number }>`select count(*)::int as n from sample where id > ${0}`.execute(db);
    for (let run = 0; run < 3; run++) {
      assert.equal((await count(prepared)).rows[0]?.n, (await count(other)).rows[0]?.n);
    }
    assert.equal((await preparedTexts()).filter((t) => t.includes('count(*)::int as n from sample')).length, 1);
  });
});

describe('prepared statements on a PGlite data directory', () => {
  let dir: string;
  before(async () => {
    dir = await migratedDataDir(fs.mkdtempSync(path.join(os.tmpdir(), 'veriframe-pgprep-')));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps every acknowledged write of a process killed with SIGKILL', { timeout: 120_000 }, async () => {
    // A child writes through the server's own database handle, says how many writes were
    // acknowledged, and is killed without any shutdown or flush.
    const script = `
      import { openDatabase } from ${JSON.stringify(path.join(repoRoot, 'server/src/db/index.js'))};
      import { sql } from 'kysely';
      const h = await openDatabase({ kind: 'pglite-file', dataDir: ${JSON.stringify(dir)} }, { resourceCache: false });
      for (let i = 0; i < 20; i++) {
        await sql\`insert into users (login, first_name) values (\${'crash-' + i}, \${'W'})\`.execute(h.db);
        await sql\`update users set last_name = \${'L' + i} where login = \${'crash-' + i}\`.execute(h.db);
      }
      const prepared = await sql\`select count(*)::int as n from pg_prepared_statements\`.execute(h.db);
      console.log('written ' + prepared.rows[0].n);
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise((resolve) => child.on('close', resolve));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        if (/written \d+/.test(out)) resolve();
      });
      void exited.then(() => reject(new Error(`writer exited early: ${out} ${err}`)));
    });
    child.kill('SIGKILL');
    await exited;
    assert.ok(Number(/written (\d+)/.exec(out)![1]) >= 2, 'the insert and the update ran prepared');

    const h = await openDatabase({ kind: 'pglite-file', dataDir: dir }, { resourceCache: false });
    try {
      const rows = (await sql<{ login: string; lastName: string }>`select login, last_name from users where login like 'crash-%'`.execute(h.db)).rows;
      assert.equal(rows.length, 20);
      for (const r of rows) assert.equal(r.lastName, `L${r.login.slice('crash-'.length)}`);
    } finally {
      await h.close();
    }
  });
});
