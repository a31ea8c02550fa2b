import fs from 'node:fs/promises';
import path from 'node:path';

// The embedded database's directory must be writable and have room, or PGlite fails deep inside
// (an emscripten ErrnoError without a message, or a half-written cluster). Checked before
// anything is written there, so the server stops at start with one line saying what is wrong.

// PGlite's file system reports errors with emscripten's errno numbers, not the system's names.
const EMSCRIPTEN_ERRNO: Record<number, string> = { 2: 'EACCES', 19: 'EDQUOT', 29: 'EIO', 51: 'ENOSPC', 63: 'EPERM', 69: 'EROFS' };

/** The system error name of a Node or PGlite file error (ENOSPC, EACCES, …), if any. */
export function fileErrorCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; errno?: unknown; name?: unknown } | null;
  if (typeof e?.code === 'string' && /^E[A-Z]+$/.test(e.code)) return e.code;
  if (e?.name === 'ErrnoError' && typeof e.errno === 'number') return EMSCRIPTEN_ERRNO[e.errno] ?? `errno ${e.errno}`;
  return undefined;
}

/** One line for an operator: what is wrong with `dir` and what to do about it. */
export function dataDirError(dir: string, err: unknown): Error {
  const code = fileErrorCode(err);
  const other = 'or set VERIFRAME_DATA_DIR to another directory';
  let message: string;
  if (code === 'EACCES' || code === 'EPERM') {
    message = `the data directory ${dir} is not writable by this process (${code}): give it to the user that runs Veriframe, ${other}`;
  } else if (code === 'EROFS') {
    message = `the data directory ${dir} is on a read-only file system: ${other}`;
  } else if (code === 'ENOSPC' || code === 'EDQUOT') {
    message = `no space left for the data directory ${dir} (${code}): free some space on its disk, ${other}`;
  } else {
    message = `the data directory ${dir} cannot be used: ${(err as Error)?.message ?? code ?? String(err)}`;
  }
  return Object.assign(new Error(message, { cause: err }), { dataDirUnusable: true });
}

const PROBE_BYTES = 64 * 1024;

/** Creates `dir` if needed and proves a file can be written there (throws dataDirError). */
export async function checkWritable(dir: string): Promise<void> {
  const probe = path.join(dir, `.write-probe-${process.pid}`);
  try {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    await fs.writeFile(probe, Buffer.alloc(PROBE_BYTES), { mode: 0o600 });
  } catch (err) {
    throw dataDirError(dir, err);
  } finally {
    await fs.rm(probe, { force: true }).catch(() => {});
  }
}

/** True when `dir` is missing or empty: a failed first start may remove what it began there. */
export async function isEmptyDir(dir: string): Promise<boolean> {
  const entries = await fs.readdir(dir).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? [] : undefined));
  return entries !== undefined && entries.length === 0;
}
