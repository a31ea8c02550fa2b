import type { Config } from '../config.js';
import { RETIRED_KEY_PUBLISHED_MS, rotateSigningKey } from '../jwt/keys.js';
import { loadRing, migrateIfAllowed, parse, usageError, withDb, type Out } from './common.js';

/**
 * `rotate-signing-key`: the new key signs from now on; running instances pick it up within
 * seconds. It needs the master key exactly as the server loads it, or the server could not
 * decrypt the key written here.
 */
export async function rotateSigningKeyCommand(args: string[], config: Config, io: Out): Promise<number> {
  const { positionals } = parse(args, {});
  if (positionals.length) throw usageError('rotate-signing-key takes no arguments');
  const ring = await loadRing(config, io);
  return withDb(config, async (db) => {
    await migrateIfAllowed(config, db);
    const { kid, retired } = await rotateSigningKey(db, ring, new Date());
    if (retired.length) io.err(`retired ${retired.join(', ')} (kept in the JWKS for ${RETIRED_KEY_PUBLISHED_MS / 60_000} more minutes)`);
    io.out(kid);
    return 0;
  });
}
