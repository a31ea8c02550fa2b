// Where the master key comes from. Order: explicit configuration (VERIFRAME_MASTER_KEY), then a
// key file in the data directory (generated on first start so `npm start` needs no setup), then
// — only for in-memory databases — a throwaway key, since nothing it encrypts outlives the process.
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createKeyRing, type KeyRing } from './secretbox.js';

export type LoadMasterKeyOptions = {
  configured?: Buffer;
  dataDir?: string;
  log: (msg: string) => void;
};

const KEY_BYTES = 32;
const KEY_FILE = 'master.key';
// Standard base64 of 32 bytes: 43 characters and one '=' of padding.
const KEY_TEXT = /^[A-Za-z0-9+/]{43}=$/;

export async function loadMasterKey(opts: LoadMasterKeyOptions): Promise<Buffer> {
  if (opts.configured) {
    if (opts.configured.length !== KEY_BYTES) {
      throw new Error(`the configured master key must be ${KEY_BYTES} bytes, got ${opts.configured.length}`);
    }
    return opts.configured;
  }
  if (opts.dataDir) return loadOrCreateKeyFile(join(opts.dataDir, KEY_FILE), opts.dataDir, opts.log);
  opts.log('using an ephemeral master key (in-memory database): encrypted secrets do not survive a restart');
  return randomBytes(KEY_BYTES);
}

async function loadOrCreateKeyFile(path: string, dir: string, log: (msg: string) => void): Promise<Buffer> {
  const existing = await readKeyFile(path);
  if (existing) return existing;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const key = randomBytes(KEY_BYTES);
  if (await publishKeyFile(path, key.toString('base64') + '\n')) {
    log(`generated a new master key at ${path}; back it up: without it token secrets cannot be decrypted`);
    return key;
  }
  // Another process (or a concurrent call) won the race: everyone must use its key.
  const theirs = await readKeyFile(path);
  if (!theirs) throw new Error(`master key file ${path} disappeared while it was being created`);
  return theirs;
}

/**
 * Returns undefined if the file does not exist. Permissions are checked on the opened handle so
 * the file we judge is the file we read.
 */
async function readKeyFile(path: string): Promise<Buffer | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    if (isCode(err, 'ENOENT')) return undefined;
    throw err;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new Error(`master key file ${path} is not a regular file`);
    // Mode bits mean nothing on Windows; elsewhere a key others can read is a leaked key.
    if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
      const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
      throw new Error(`master key file ${path} is accessible by group/others (mode ${mode}); ` + `restrict it with: chmod 600 ${path}`);
    }
    return decodeKeyText(path, await handle.readFile('utf8'));
  } finally {
    await handle.close();
  }
}

function decodeKeyText(path: string, text: string): Buffer {
  const trimmed = text.trim();
  // Never echo the content: it is (or is meant to be) the key.
  if (!KEY_TEXT.test(trimmed)) {
    throw new Error(`master key file ${path} must contain ${KEY_BYTES} bytes encoded as base64 ` + `(e.g. the output of: openssl rand -base64 32)`);
  }
  return Buffer.from(trimmed, 'base64');
}

/**
 * Creates `path` with `content` unless it already exists; true if we created it. The content is
 * written to a private temp file first and then hard-linked into place: link() never replaces an
 * existing file and the key file appears complete, so a concurrent reader cannot see it empty.
 */
async function publishKeyFile(path: string, content: string): Promise<boolean> {
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeDurably(temp, content);
  try {
    await link(temp, path);
    return true;
  } catch (err) {
    if (isCode(err, 'EEXIST')) return false;
    // Some filesystems have no hard links; 'wx' still never overwrites, only the window in
    // which a concurrent reader could see a partly written file reopens.
    if (isCode(err, 'EPERM') || isCode(err, 'ENOTSUP') || isCode(err, 'ENOSYS')) {
      return writeExclusive(path, content);
    }
    throw err;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

async function writeDurably(path: string, content: string): Promise<void> {
  const handle = await open(path, 'wx', 0o600);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function writeExclusive(path: string, content: string): Promise<boolean> {
  try {
    await writeFile(path, content, { flag: 'wx', mode: 0o600 });
    return true;
  } catch (err) {
    if (isCode(err, 'EEXIST')) return false;
    throw err;
  }
}

function isCode(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}

/**
 * The key ring a process works with: the master key (as `loadMasterKey` finds it) encrypts, and
 * VERIFRAME_PREVIOUS_MASTER_KEYS still decrypt while `veriframe rotate-key` moves data off them.
 */
export async function loadKeyRing(opts: LoadMasterKeyOptions & { previous?: Buffer[] }): Promise<KeyRing> {
  return createKeyRing(await loadMasterKey(opts), opts.previous ?? []);
}

/** Reads a key file written like master.key (base64 of 32 bytes, private to its owner). */
export async function readMasterKeyFile(path: string): Promise<Buffer> {
  const key = await readKeyFile(path);
  if (!key) throw new Error(`key file ${path} does not exist`);
  return key;
}

/**
 * Replaces the data directory's master.key with `key` (after `rotate-key`), keeping the key it
 * replaces as master.key.previous: backups taken before the rotation still need it. The new file
 * is complete and synced before the rename, which swaps it in atomically.
 */
export async function installMasterKeyFile(dataDir: string, key: Buffer, previous: Buffer): Promise<{ path: string; previousPath: string }> {
  const path = join(dataDir, KEY_FILE);
  const previousPath = `${path}.previous`;
  for (const [target, content] of [
    [previousPath, previous],
    [path, key],
  ] as const) {
    const temp = `${target}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    await writeDurably(temp, content.toString('base64') + '\n');
    await rename(temp, target);
  }
  return { path, previousPath };
}
