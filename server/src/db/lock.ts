import fs from 'node:fs/promises';
import path from 'node:path';

// An embedded database directory may be opened by one process at a time: two PGlite instances
// on the same files would corrupt them. The lock is a pid file; a stale one (its process gone)
// is taken over, so a crash never leaves the directory unusable.

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const file = path.join(dataDir, 'veriframe.pid');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await fs.writeFile(file, String(process.pid), { flag: 'wx', mode: 0o600 });
      return async () => {
        await fs.rm(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number((await fs.readFile(file, 'utf8').catch(() => '')).trim());
      if (holder && holder !== process.pid && alive(holder)) {
        throw Object.assign(
          new Error(`the embedded database in ${dataDir} is in use by process ${holder} (a running "veriframe serve"?); stop it first, or use the admin API`),
          { dataDirLocked: true },
        );
      }
      await fs.rm(file, { force: true });
    }
  }
  throw new Error(`could not lock ${file}`);
}
