import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { loadKeyRing } from '../crypto/master-key.js';
import type { KeyRing } from '../crypto/secretbox.js';
import { createMigrator, openDatabase, type Db } from '../db/index.js';

// What every command shares: output, usage errors, option parsing, the database and the key ring.

export type Out = { out: (line: string) => void; err: (line: string) => void };
export const std: Out = { out: (l) => process.stdout.write(l + '\n'), err: (l) => process.stderr.write(l + '\n') };

const usageBrand = Symbol('usage');
export const usageError = (message: string) => Object.assign(new Error(message), { [usageBrand]: true });
export const isUsageError = (err: unknown) => err instanceof Error && usageBrand in err;

export function parse<T extends Record<string, { type: 'string' | 'boolean' }>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw usageError((err as Error).message);
  }
}

export async function withDb(config: Config, fn: (db: Db) => Promise<number>): Promise<number> {
  const database = await openDatabase(config.database);
  try {
    return await fn(database.db);
  } finally {
    await database.close();
  }
}

/** Applies pending migrations first when VERIFRAME_AUTO_MIGRATE allows it (commands that write). */
export async function migrateIfAllowed(config: Config, db: Db): Promise<void> {
  if (config.autoMigrate) await createMigrator(db).migrateToLatest();
}

/**
 * The key ring exactly as the server loads it (master key, then VERIFRAME_PREVIOUS_MASTER_KEYS),
 * or the server could not decrypt what a command writes.
 */
export function loadRing(config: Config, io: Out): Promise<KeyRing> {
  return loadKeyRing({
    configured: config.masterKey,
    previous: config.previousMasterKeys,
    dataDir: config.database.kind === 'pglite-file' ? config.dataDir : undefined,
    log: (msg) => io.err(`veriframe: ${msg}`),
  });
}
