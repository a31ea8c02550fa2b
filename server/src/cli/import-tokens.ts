import fs from 'node:fs/promises';
import { firstOrNewSuperuser } from '../admins/keys-service.js';
import type { Config } from '../config.js';
import { isAppError } from '../errors.js';
import { importQuery, importTokensCsv, type ImportProgress, type LineError } from '../tokens/import.js';
import type { TokenContext } from '../tokens/service.js';
import { loadRing, migrateIfAllowed, parse, std, usageError, withDb, type Out } from './common.js';

/**
 * `import-tokens FILE`: the same all-or-nothing import as POST /api/v1/tokens/import, done as the
 * first superuser. The key ring comes from the master key exactly as the server loads it, or the
 * server could not decrypt the secrets written here.
 */
export async function importTokensCommand(args: string[], config: Config, io: Out): Promise<number> {
  const importChoices = { kind: 'hardware or universal', type: 'totp or hotp', algorithm: 'SHA1, SHA256 or SHA512', digits: '6 or 8', period: '30 or 60' };
  const options = {
    kind: { type: 'string' },
    type: { type: 'string' },
    algorithm: { type: 'string' },
    digits: { type: 'string' },
    period: { type: 'string' },
  } as const;
  const { values, positionals } = parse(args, options);
  if (positionals.length !== 1) throw usageError('import-tokens needs exactly one CSV file: veriframe import-tokens FILE [options]');
  const file = positionals[0]!;
  const parsed = importQuery.safeParse({ ...values });
  if (!parsed.success) {
    const name = String(parsed.error.issues[0]?.path[0]) as keyof typeof importChoices;
    throw usageError(`--${name} must be ${importChoices[name]}, got "${values[name]}"`);
  }
  // Read before opening the database: a mistyped path should not wait for PGlite to start.
  const text = await fs.readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    const why =
      err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'it is a directory' : err.code === 'EACCES' ? 'permission denied' : err.message;
    throw usageError(`cannot read ${file}: ${why}`);
  });
  const keyRing = await loadRing(config, io);

  // A terminal gets one bar redrawn in place; a log (CI, pipes) gets a line per quarter instead
  // of thousands of carriage returns.
  const tty = io === std && process.stderr.isTTY === true;
  let drawn = false;
  let quarter = -1;
  const bar = (done: number, total: number) => {
    const width = 30;
    const filled = Math.round((done / total) * width);
    return `importing [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`;
  };
  const progress: ImportProgress = (phase, done, total) => {
    const imported = phase === 'validated' ? 0 : done;
    if (tty) {
      process.stderr.write(`\r${bar(imported, total)}`);
      drawn = true;
    } else if (Math.floor((imported * 4) / total) > quarter) {
      quarter = Math.floor((imported * 4) / total);
      io.err(bar(imported, total));
    }
  };

  return withDb(config, async (db) => {
    await migrateIfAllowed(config, db);
    const admin = await firstOrNewSuperuser(db, 'superuser', 'cli');
    const ctx: TokenContext = {
      db,
      keyRing,
      now: new Date(),
      principal: { adminId: admin.id, role: 'superuser', keyId: 'cli', resourceIds: [] },
      ip: null,
      issuer: 'Veriframe',
      ...(config.tokenQuota !== undefined ? { quota: config.tokenQuota } : {}),
    };
    try {
      const { imported } = await importTokensCsv(ctx, text, { ...parsed.data, headerRequired: true }, progress);
      if (drawn) process.stderr.write('\n');
      io.out(`imported ${imported} tokens`);
      return 0;
    } catch (err) {
      if (drawn) process.stderr.write('\n');
      if (!isAppError(err) || err.code !== 'import_invalid') throw err;
      const { lines, total } = err.details as { lines: LineError[]; total: number };
      const shown = lines.slice(0, 50);
      for (const l of shown) io.err(`line ${l.line}: ${l.reason}`);
      if (total > shown.length) io.err(`… and ${total - shown.length} more`);
      io.err(`veriframe: ${total} invalid line(s) in ${file}; nothing was imported`);
      return 2;
    }
  });
}
