// The bench's databases (bench/setup.ts): with BENCH_PGLITE_DIR=1 PGlite lives on a data
// directory of its own, as `veriframe serve` keeps it, and the directory is gone afterwards.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { pgliteOnDisk, withDatabases } from '../../bench/setup.js';

const benchDirs = () => new Set(readdirSync(os.tmpdir()).filter((d) => d.startsWith('vf-bench-')));

describe('bench databases on a data directory', () => {
  const saved = process.env.BENCH_PGLITE_DIR;
  before(() => {
    process.env.BENCH_PGLITE_DIR = '1';
  });
  after(() => {
    if (saved === undefined) delete process.env.BENCH_PGLITE_DIR;
    else process.env.BENCH_PGLITE_DIR = saved;
  });

  it('keeps PGlite in a fresh data directory, migrated, and removes it afterwards', async () => {
    assert.equal(pgliteOnDisk(), true);
    const earlier = benchDirs();
    let dir = '';
    const answer = await withDatabases('pglite', '', 1, async ([bench]) => {
      const added = [...benchDirs()].filter((d) => !earlier.has(d));
      assert.equal(added.length, 1, `new data directories: ${added.join(', ')}`);
      dir = path.join(os.tmpdir(), added[0]!);
      assert.ok(existsSync(path.join(dir, '0', 'pgdata', 'PG_VERSION')), 'a PostgreSQL data directory');
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from kysely_migration`.execute(bench!.handle.db);
      return rows[0]!.n;
    });
    assert.ok(typeof answer === 'number' && answer >= 17, `migrations applied: ${JSON.stringify(answer)}`);
    assert.equal(existsSync(dir), false);
  });
});
