import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMasterKey } from '../../../server/src/crypto/master-key.js';

const posix = process.platform !== 'win32';

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'veriframe-master-key-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function collectLogs(): { log: (msg: string) => void; messages: string[] } {
  const messages: string[] = [];
  return { log: (msg) => messages.push(msg), messages };
}

test('a configured key wins and nothing is written', async () => {
  await withTempDir(async (dir) => {
    const configured = randomBytes(32);
    const { log, messages } = collectLogs();
    const key = await loadMasterKey({ configured, dataDir: dir, log });
    assert.deepEqual(key, configured);
    assert.deepEqual(await readdir(dir), []);
    assert.deepEqual(messages, []);
  });
});

test('a configured key of the wrong length is refused', async () => {
  await assert.rejects(loadMasterKey({ configured: randomBytes(31), log: () => {} }), /32 bytes/);
});

test('generated once with mode 0600, then re-read identically', async () => {
  await withTempDir(async (root) => {
    const dir = join(root, 'nested', 'data');
    const first = collectLogs();
    const key = await loadMasterKey({ dataDir: dir, log: first.log });
    assert.equal(key.length, 32);
    const path = join(dir, 'master.key');
    assert.equal(first.messages.length, 1);
    assert.ok(first.messages[0]?.includes(path));
    assert.ok(first.messages[0]?.includes('back it up'));
    assert.ok(!first.messages[0]?.includes(key.toString('base64')), 'key must not be logged');
    if (posix) {
      assert.equal((await stat(path)).mode & 0o777, 0o600);
      assert.equal((await stat(dir)).mode & 0o777, 0o700);
    }
    assert.deepEqual(Buffer.from((await readFile(path, 'utf8')).trim(), 'base64'), key);
    assert.deepEqual(await readdir(dir), ['master.key'], 'no temp files left behind');

    const second = collectLogs();
    assert.deepEqual(await loadMasterKey({ dataDir: dir, log: second.log }), key);
    assert.deepEqual(second.messages, []);
  });
});

test('an existing valid key file is used as is', async () => {
  await withTempDir(async (dir) => {
    const existing = randomBytes(32);
    await writeFile(join(dir, 'master.key'), existing.toString('base64') + '\n', { mode: 0o600 });
    assert.deepEqual(await loadMasterKey({ dataDir: dir, log: () => {} }), existing);
  });
});

test('a group/world-readable key file is refused with a fix', { skip: !posix }, async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'master.key');
    const existing = randomBytes(32).toString('base64');
    await writeFile(path, existing, { mode: 0o600 });
    await chmod(path, 0o644);
    await assert.rejects(loadMasterKey({ dataDir: dir, log: () => {} }), (err: Error) => {
      assert.match(err.message, /chmod 600/);
      assert.ok(err.message.includes(path));
      assert.ok(!err.message.includes(existing));
      return true;
    });
    await chmod(path, 0o640);
    await assert.rejects(loadMasterKey({ dataDir: dir, log: () => {} }), /chmod 600/);
  });
});

test('a key file that is not 32 bytes of base64 is refused without echoing it', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'master.key');
    for (const content of [randomBytes(31).toString('base64'), randomBytes(33).toString('base64'), '', 'not base64!']) {
      await writeFile(path, content, { mode: 0o600 });
      await assert.rejects(loadMasterKey({ dataDir: dir, log: () => {} }), (err: Error) => {
        assert.match(err.message, /32 bytes/);
        if (content) assert.ok(!err.message.includes(content));
        return true;
      });
    }
  });
});

test('concurrent calls on an empty directory agree on one key and log once', async () => {
  await withTempDir(async (root) => {
    const dir = join(root, 'data');
    const { log, messages } = collectLogs();
    const keys = await Promise.all(Array.from({ length: 5 }, () => loadMasterKey({ dataDir: dir, log })));
    for (const k of keys) assert.deepEqual(k, keys[0]);
    assert.equal(messages.length, 1);
    assert.deepEqual(await readdir(dir), ['master.key']);
  });
});

test('without a data directory the key is ephemeral and says so', async () => {
  const { log, messages } = collectLogs();
  const a = await loadMasterKey({ log });
  const b = await loadMasterKey({ log: () => {} });
  assert.equal(a.length, 32);
  assert.notDeepEqual(a, b);
  assert.equal(messages.length, 1);
  assert.match(messages[0] ?? '', /ephemeral/);
  assert.ok(!messages[0]?.includes(a.toString('base64')));
});
