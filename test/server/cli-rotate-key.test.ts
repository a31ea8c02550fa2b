import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../server/src/cli/index.js';
import { createKeyRing, decryptSecret, keyIdOf } from '../../server/src/crypto/secretbox.js';
import { openDatabase } from '../../server/src/db/index.js';
import { base32Encode } from '../../server/src/otp/index.js';
import { migratedDataDir } from '../helpers/data-dir.js';

// `veriframe rotate-key` on the embedded database, in process (the command is the same code the
// binary runs): the data directory's key is replaced once every secret is under the new one.

async function run(args: string[], env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) }, { LOG_LEVEL: 'silent', ...env });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const readKey = (file: string) => Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');

describe('veriframe rotate-key (embedded database)', () => {
  let dir: string;
  let dataDir: string;
  const secrets = new Map<string, Buffer>();
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'veriframe-rotate-'));
    dataDir = await migratedDataDir(path.join(dir, 'data'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('re-encrypts every token secret under the new key file, then installs it as master.key', async () => {
    const rows = ['serialNumber,secret'];
    for (let i = 0; i < 5; i++) {
      const secret = randomBytes(20);
      secrets.set(`ROT-${i}`, secret);
      rows.push(`ROT-${i},${base32Encode(secret)}`);
    }
    const csv = path.join(dir, 'tokens.csv');
    fs.writeFileSync(csv, rows.join('\n') + '\n');
    const imported = await run(['import-tokens', csv], { VERIFRAME_DATA_DIR: dataDir });
    assert.equal(imported.code, 0, imported.err);
    const oldKey = readKey(path.join(dataDir, 'master.key'));

    const newKey = randomBytes(32);
    const newKeyFile = path.join(dir, 'new.key');
    fs.writeFileSync(newKeyFile, newKey.toString('base64') + '\n', { mode: 0o600 });
    const rotated = await run(['rotate-key', '--new-key-file', newKeyFile, '--batch-size', '2'], { VERIFRAME_DATA_DIR: dataDir });
    assert.equal(rotated.code, 0, rotated.err);
    assert.match(rotated.err, /token secrets: 2\/5\ntoken secrets: 4\/5\ntoken secrets: 5\/5/);
    assert.match(rotated.out, /^token secrets: 5 re-encrypted$/m);
    assert.match(rotated.out, /master\.key now holds the new key; the old one is in .*master\.key\.previous/);
    assert.deepEqual(readKey(path.join(dataDir, 'master.key')), newKey);
    assert.deepEqual(readKey(path.join(dataDir, 'master.key.previous')), oldKey);
    assert.equal(fs.statSync(path.join(dataDir, 'master.key')).mode & 0o777, 0o600);

    const database = await openDatabase({ kind: 'pglite-file', dataDir });
    try {
      const ring = createKeyRing(newKey);
      const tokens = await database.db.selectFrom('tokens').select(['id', 'serialNumber', 'secretEnc']).execute();
      assert.equal(tokens.length, 5);
      for (const t of tokens) {
        assert.equal(keyIdOf(t.secretEnc!), ring.current.id);
        assert.deepEqual(decryptSecret(ring, t.secretEnc!, `token:${t.id}`), secrets.get(t.serialNumber!));
      }
    } finally {
      await database.close();
    }
  });

  it('run again, finds nothing to do and keeps the previous key file as it was', async () => {
    const previous = fs.readFileSync(path.join(dataDir, 'master.key.previous'), 'utf8');
    const again = await run(['rotate-key', '--new-key-file', path.join(dir, 'new.key')], { VERIFRAME_DATA_DIR: dataDir });
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, /^token secrets: 0 re-encrypted$/m);
    assert.equal(fs.readFileSync(path.join(dataDir, 'master.key.previous'), 'utf8'), previous);
  });

  it('refuses bad options with usage exit code 2, never echoing a key', async () => {
    assert.equal((await run(['rotate-key', '--batch-size', '0'], { VERIFRAME_DATA_DIR: dataDir })).code, 2);
    assert.equal((await run(['rotate-key', 'extra'], { VERIFRAME_DATA_DIR: dataDir })).code, 2);
    const missing = await run(['rotate-key', '--new-key-file', path.join(dir, 'absent.key')], { VERIFRAME_DATA_DIR: dataDir });
    assert.equal(missing.code, 2);
    assert.match(missing.err, /absent\.key does not exist/);
    const loose = path.join(dir, 'loose.key');
    fs.writeFileSync(loose, randomBytes(32).toString('base64') + '\n', { mode: 0o644 });
    fs.chmodSync(loose, 0o644);
    const open = await run(['rotate-key', '--new-key-file', loose], { VERIFRAME_DATA_DIR: dataDir });
    assert.equal(open.code, 2);
    assert.match(open.err, /accessible by group\/others/);
    assert.ok(!open.err.includes(fs.readFileSync(loose, 'utf8').trim()));
  });
});
