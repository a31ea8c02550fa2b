import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DEMO_USERS, SELF_SERVICE_USERS } from '../../../demo/users.js';
import { freePort, runCli } from '../../helpers/process.js';

// `veriframe serve --demo` as `npm start` runs it (issue 8): seeded on the first start, found
// again on the next (the data kept, nothing created twice), the logins printed.

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'veriframe-demo-'));

describe('serve --demo', { timeout: 120_000 }, () => {
  it('`serve --demo` started twice on one data directory keeps the data and creates nothing the second time', async () => {
    const dataDir = tempDir();
    try {
      const start = async () => {
        const [port, demoPort] = [await freePort(), await freePort()];
        const cli = runCli(['serve', '--demo'], { PORT: String(port), DEMO_PORT: String(demoPort), VERIFRAME_DATA_DIR: dataDir });
        await cli.waitFor('Stop with Ctrl+C');
        const out = cli.output().stdout;
        const key = /Admin key (vf_\S+)/.exec(out)![1]!;
        const get = async (p: string) =>
          (await (await fetch(`http://127.0.0.1:${port}/api/v1/${p}`, { headers: { authorization: `Bearer ${key}` } })).json()) as { total: number };
        const totals = { resources: (await get('resources')).total, users: (await get('users')).total, tokens: (await get('tokens')).total };
        const home = await fetch(`http://127.0.0.1:${demoPort}/`);
        assert.equal(home.status, 200);
        assert.match(await home.text(), /data-resource="[0-9a-f-]{36}"/);
        cli.child.kill('SIGTERM');
        assert.equal(await cli.exited, 0, cli.output().stderr);
        return { out, totals };
      };
      const first = await start();
      assert.match(first.out, /Demo data created now through the admin API: 1 resource, 9 users, 9 tokens/);
      for (const u of DEMO_USERS) assert.match(first.out, new RegExp(`^ +${u.login} +${u.password} +then `, 'm'));
      for (const u of SELF_SERVICE_USERS) assert.match(first.out, new RegExp(`^ +${u.login} +${u.password} +then `, 'm'));
      const second = await start();
      assert.match(second.out, /Demo data in place from an earlier start \(nothing created\)/);
      assert.deepEqual(second.totals, first.totals);
      // The shop's 1 resource, 9 users and 9 tokens, plus the built-in console resource and the
      // demo console administrator's user and authenticator (DESIGN §11).
      assert.deepEqual(first.totals, { resources: 2, users: 10, tokens: 10 });
      assert.match(first.out, /Admin console http:\/\/\S+\/console\/ +login console-admin +password console-demo-password/);
      assert.equal(/secret (\S+)/.exec(second.out)?.[1], /secret (\S+)/.exec(first.out)?.[1], 'the same authenticator on the next start');
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('`serve --demo` on an in-memory database keeps its key and state in memory; on PostgreSQL it needs VERIFRAME_ADMIN_KEY', async () => {
    const dataDir = tempDir();
    try {
      const [port, demoPort] = [await freePort(), await freePort()];
      const memory = runCli(['serve', '--demo'], {
        PORT: String(port),
        DEMO_PORT: String(demoPort),
        VERIFRAME_DATA_DIR: dataDir,
        DATABASE_URL: 'pglite://memory',
      });
      await memory.waitFor('Stop with Ctrl+C');
      assert.match(memory.output().stdout, /Admin key vf_\S+ +\(demo only; in memory, like the database\)/);
      assert.match(memory.output().stdout, /Demo data created now/);
      memory.child.kill('SIGTERM');
      assert.equal(await memory.exited, 0, memory.output().stderr);
      assert.deepEqual(fs.readdirSync(dataDir), [], 'nothing written beside a database that is not kept');

      const postgres = runCli(['serve', '--demo'], {
        DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
        VERIFRAME_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
      });
      assert.equal(await postgres.exited, 1);
      assert.equal(
        postgres.output().stderr,
        'veriframe: serve --demo on PostgreSQL needs VERIFRAME_ADMIN_KEY: the demo seeds its shop through the admin API with that key\n',
      );
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
