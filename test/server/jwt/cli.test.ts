import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadMasterKey } from '../../../server/src/crypto/master-key.js';
import { createKeyRing } from '../../../server/src/crypto/secretbox.js';
import { openDatabase } from '../../../server/src/db/index.js';
import type { DatabaseTarget } from '../../../server/src/config.js';
import { activeSigningKey, publishedKeys } from '../../../server/src/jwt/keys.js';
import { createScratchDatabase } from '../../helpers/db.js';
import { runCli } from '../../helpers/process.js';
import { migratedDataDir } from '../../helpers/data-dir.js';

// Each test here starts real processes: on a busy 2-core machine one takes longer than the
// suite's 60 s default per test.
const SLOW = { timeout: 240_000 };

const targets = [
  { name: 'embedded database', skip: false as const },
  { name: 'PostgreSQL', skip: !process.env.TEST_DATABASE_URL && 'TEST_DATABASE_URL is not set' },
];

for (const target of targets) {
  describe(`veriframe rotate-signing-key (${target.name})`, { skip: target.skip }, () => {
    let dir: string;
    let env: Record<string, string>;
    let database: DatabaseTarget;
    let scratch: Awaited<ReturnType<typeof createScratchDatabase>> | undefined;
    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'veriframe-rotate-'));
      if (target.name === 'PostgreSQL') {
        scratch = await createScratchDatabase();
        env = { DATABASE_URL: scratch.url, VERIFRAME_MASTER_KEY: randomBytes(32).toString('base64') };
        database = { kind: 'postgres', url: scratch.url };
      } else {
        env = { VERIFRAME_DATA_DIR: await migratedDataDir(path.join(dir, 'data')) };
        database = { kind: 'pglite-file', dataDir: path.join(dir, 'data') };
      }
    });
    after(async () => {
      fs.rmSync(dir, { recursive: true, force: true });
      await scratch?.drop();
    });

    const rotate = async () => {
      const cli = runCli(['rotate-signing-key'], env);
      assert.equal(await cli.exited, 0, cli.output().stderr);
      const { stdout, stderr } = cli.output();
      assert.match(stdout, /^[A-Za-z0-9_-]{22}\n$/, 'prints the new kid, alone');
      return { kid: stdout.trim(), stderr };
    };

    it('prints the new kid; the previous key stays published and the server can sign with the new one', SLOW, async () => {
      const first = await rotate();
      assert.doesNotMatch(first.stderr, /retired/);
      const second = await rotate();
      assert.notEqual(second.kid, first.kid);
      assert.match(second.stderr, new RegExp(`^retired ${first.kid} \\(kept in the JWKS for 10 more minutes\\)$`, 'm'));

      // What the server would do: the same master key (env or the data directory's key file).
      const masterKey = await loadMasterKey({
        ...(env.VERIFRAME_MASTER_KEY ? { configured: Buffer.from(env.VERIFRAME_MASTER_KEY, 'base64') } : { dataDir: path.join(dir, 'data') }),
        log: () => {},
      });
      const handle = await openDatabase(database);
      try {
        const now = new Date();
        assert.deepEqual(
          (await publishedKeys(handle.db, now)).map((k) => k.kid),
          [second.kid, first.kid],
        );
        assert.equal((await activeSigningKey(handle.db, createKeyRing(masterKey), now)).kid, second.kid, 'decrypts with the master key');
        assert.deepEqual(
          (await publishedKeys(handle.db, new Date(now.getTime() + 11 * 60_000))).map((k) => k.kid),
          [second.kid],
        );
      } finally {
        await handle.close();
      }
    });

    it('takes no arguments', SLOW, async () => {
      const cli = runCli(['rotate-signing-key', 'now'], env);
      assert.equal(await cli.exited, 2);
      assert.equal(cli.output().stderr, 'veriframe: rotate-signing-key takes no arguments\n');
      const help = runCli(['help'], env);
      assert.equal(await help.exited, 0);
      assert.match(help.output().stdout, /^ {2}rotate-signing-key {2,}/m);
    });
  });
}
