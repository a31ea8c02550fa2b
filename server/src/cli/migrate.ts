import type { Config } from '../config.js';
import { createMigrator } from '../db/index.js';
import { withDb, type Out } from './common.js';

/** `migrate`: applies pending migrations and names each. */
export function migrateCommand(config: Config, io: Out): Promise<number> {
  return withDb(config, async (db) => {
    const result = await createMigrator(db).migrateToLatest();
    for (const r of result.results ?? []) io.out(`${r.status === 'Success' ? 'applied' : r.status.toLowerCase()}: ${r.migrationName}`);
    if (result.error) {
      io.err(`veriframe: migration failed: ${result.error instanceof Error ? result.error.message : String(result.error)}`);
      return 1;
    }
    if (!result.results?.length) io.out('database is up to date; nothing to apply');
    return 0;
  });
}
