import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { base32Encode, hotp } from '../../server/src/otp/index.js';
import { createScratchDatabase } from '../helpers/db.js';
import { freePort, runCli } from '../helpers/process.js';
import { migratedDataDir } from '../helpers/data-dir.js';

// Each test here starts real processes: on a busy 2-core machine one takes longer than the
// suite's 60 s default per test.
const SLOW = { timeout: 240_000 };

const adminKey = 'vf_cli_import_' + 'k'.repeat(40);

type Token = { id: string; serialNumber: string | null; type: string; algorithm: string; digits: number };

/** A CSV of `n` HOTP secrets; the raw secrets are kept to compute the devices' codes. */
function tokenFile(dir: string, name: string, n: number, prefix: string) {
  const secrets = new Map<string, Buffer>();
  const rows = ['serialNumber,secret'];
  for (let i = 0; i < n; i++) {
    const serial = `${prefix}-${String(i).padStart(4, '0')}`;
    const secret = randomBytes(32);
    secrets.set(serial, secret);
    rows.push(`${serial},${base32Encode(secret)}`);
  }
  const file = path.join(dir, name);
  fs.writeFileSync(file, rows.join('\n') + '\n');
  return { file, secrets };
}

// The same scenario on the embedded database (data directory) and on PostgreSQL: the CLI and the
// server must load the same master key, or imported secrets could not be decrypted by the server.
const targets = [
  { name: 'embedded database', skip: false as const },
  { name: 'PostgreSQL', skip: !process.env.TEST_DATABASE_URL && 'TEST_DATABASE_URL is not set' },
];

for (const target of targets) {
  describe(`veriframe import-tokens (${target.name})`, { skip: target.skip }, () => {
    let dir: string;
    let env: Record<string, string>;
    let scratch: Awaited<ReturnType<typeof createScratchDatabase>> | undefined;
    let good: ReturnType<typeof tokenFile>;
    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'veriframe-import-'));
      if (target.name === 'PostgreSQL') {
        scratch = await createScratchDatabase();
        env = { DATABASE_URL: scratch.url, VERIFRAME_MASTER_KEY: randomBytes(32).toString('base64') };
      } else {
        env = { VERIFRAME_DATA_DIR: await migratedDataDir(path.join(dir, 'data')) };
      }
      good = tokenFile(dir, 'good.csv', 300, 'HW');
    });
    after(async () => {
      fs.rmSync(dir, { recursive: true, force: true });
      await scratch?.drop();
    });

    it('imports a file with a progress bar that stays readable in a log', SLOW, async () => {
      const cli = runCli(['import-tokens', good.file, '--type', 'hotp', '--algorithm', 'SHA256', '--digits', '8'], env);
      assert.equal(await cli.exited, 0, cli.output().stderr);
      const { stdout, stderr } = cli.output();
      assert.equal(stdout, 'imported 300 tokens\n');
      // Not a terminal: plain lines (no carriage returns), starting at 0 and ending at all.
      const bars = stderr.split('\n').filter((l) => l.startsWith('importing ['));
      assert.equal(bars[0], `importing [${'-'.repeat(30)}] 0/300`);
      assert.equal(bars.at(-1), `importing [${'#'.repeat(30)}] 300/300`);
      assert.ok(bars.length <= 5, 'at most one line per quarter');
      assert.ok(!stderr.includes('\r'));
      for (const secret of good.secrets.values()) assert.ok(!stdout.includes(base32Encode(secret)) && !stderr.includes(base32Encode(secret)));
    });

    it('lists the bad lines, exits 2 and imports nothing', SLOW, async () => {
      const [firstSerial] = good.secrets.keys();
      const fresh = base32Encode(randomBytes(20));
      const lines = [
        'serialNumber,secret',
        `NEW-1,${fresh}`, // 2: fine
        `NEW-1,${fresh}`, // 3: duplicate
        'NEW-2,not*base32', // 4
        `${firstSerial},${base32Encode(randomBytes(20))}`, // 5: imported by the previous test
        `NEW-3,${base32Encode(randomBytes(10))}`, // 6: 80 bits
      ];
      const file = path.join(dir, 'bad.csv');
      fs.writeFileSync(file, lines.join('\r\n'));
      const cli = runCli(['import-tokens', file], env);
      assert.equal(await cli.exited, 2);
      const { stdout, stderr } = cli.output();
      assert.equal(stdout, '');
      const listed = stderr.split('\n').filter((l) => l.startsWith('line '));
      assert.deepEqual(
        listed.map((l) => Number(/^line (\d+):/.exec(l)?.[1])),
        [3, 4, 5, 6],
      );
      assert.match(listed[2]!, new RegExp(`^line 5: serial number ${firstSerial} exists already$`));
      assert.match(stderr, /nothing was imported/);
      assert.ok(!stderr.includes(fresh), 'no secret in the report');
    });

    it('shows the first 50 bad lines and counts the rest', SLOW, async () => {
      const rows = ['serialNumber,secret', ...Array.from({ length: 60 }, (_, i) => `BAD-${i},AAAA`)];
      const file = path.join(dir, 'many-bad.csv');
      fs.writeFileSync(file, rows.join('\n'));
      const cli = runCli(['import-tokens', file], env);
      assert.equal(await cli.exited, 2);
      const { stderr } = cli.output();
      assert.equal(stderr.split('\n').filter((l) => l.startsWith('line ')).length, 50);
      assert.match(stderr, /^… and 10 more$/m);
    });

    it('refuses a missing file and bad options in one line each', SLOW, async () => {
      const missing = runCli(['import-tokens', path.join(dir, 'nope.csv')], env);
      assert.equal(await missing.exited, 2);
      assert.equal(missing.output().stderr, `veriframe: cannot read ${path.join(dir, 'nope.csv')}: no such file\n`);
      const digits = runCli(['import-tokens', good.file, '--digits', '7'], env);
      assert.equal(await digits.exited, 2);
      assert.equal(digits.output().stderr, 'veriframe: --digits must be 6 or 8, got "7"\n');
      const none = runCli(['import-tokens'], env);
      assert.equal(await none.exited, 2);
      assert.match(none.output().stderr, /needs exactly one CSV file/);
    });

    it('the server decrypts and verifies an imported secret', SLOW, async () => {
      const port = await freePort();
      const server = runCli(['serve'], { ...env, PORT: String(port), VERIFRAME_ADMIN_KEY: adminKey });
      try {
        await server.waitFor('Stop with Ctrl+C');
        const api = (p: string, init: RequestInit = {}) =>
          fetch(`http://127.0.0.1:${port}/api/v1${p}`, { ...init, headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' } });

        const all = (await (await api('/tokens?limit=1')).json()) as { total: number };
        assert.equal(all.total, 300, 'only the good file was imported');

        const serial = [...good.secrets.keys()][137]!;
        const found = (await (await api(`/tokens?search=${serial}`)).json()) as { items: Token[] };
        const token = found.items.find((x) => x.serialNumber === serial);
        assert.ok(token, `token ${serial} exists`);
        assert.deepEqual({ type: token.type, algorithm: token.algorithm, digits: token.digits }, { type: 'hotp', algorithm: 'SHA256', digits: 8 });

        const secret = good.secrets.get(serial)!;
        const code = hotp(secret, 0, { algorithm: 'SHA256', digits: 8 });
        const ok = await api(`/tokens/${token.id}/check`, { method: 'POST', body: JSON.stringify({ otp: code }) });
        assert.equal(ok.status, 200, await ok.clone().text());
        assert.deepEqual(await ok.json(), { valid: true });
        // Another token's code is refused: the check really used this token's secret.
        const other = hotp(good.secrets.get([...good.secrets.keys()][0]!)!, 0, { algorithm: 'SHA256', digits: 8 });
        const wrong = await api(`/tokens/${token.id}/check`, { method: 'POST', body: JSON.stringify({ otp: other }) });
        assert.deepEqual(await wrong.json(), { valid: false });
      } finally {
        server.child.kill('SIGTERM');
        await server.exited;
      }
      assert.equal(await server.exited, 0, server.output().stderr);
    });
  });
}
