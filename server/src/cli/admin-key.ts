import { createKeyForCli, revokeApiKey } from '../admins/keys-service.js';
import * as adminRepo from '../admins/keys-repository.js';
import type { Config } from '../config.js';
import type { Db } from '../db/index.js';
import { migrateIfAllowed, parse, usageError, withDb, type Out } from './common.js';

/** `admin-key create|list|revoke`. */
export async function adminKeyCommand(args: string[], config: Config, io: Out): Promise<number> {
  const { values, positionals } = parse(args, { admin: { type: 'string' }, name: { type: 'string' } });
  const [sub, target] = positionals;
  return withDb(config, async (db) => {
    await migrateIfAllowed(config, db);
    if (sub === 'create') {
      const key = await createKeyForCli(db, { adminId: values.admin, name: values.name ?? 'created with the CLI' });
      io.out(`API key for administrator ${key.adminId} (key id ${key.id}):`);
      io.out(key.apiKey);
      io.out('Store it now: it is shown once and only its hash is kept.');
      return 0;
    }
    if (sub === 'list') {
      const keys = await adminRepo.listKeys(db);
      if (!keys.length) io.out('no API keys yet; create one with: veriframe admin-key create');
      for (const k of keys) {
        const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active';
        const used = k.lastUsedAt ? k.lastUsedAt.toISOString() : 'never';
        io.out(`${k.id}  ${k.prefix}…  admin ${k.adminId}  ${state}  last used ${used}  "${k.name}"`);
      }
      return 0;
    }
    if (sub === 'revoke') {
      if (!target) throw usageError('admin-key revoke needs a key id or prefix (see admin-key list)');
      const id = await resolveKeyId(db, target);
      const key = await revokeApiKey(db, { keyId: id, actor: 'cli', now: new Date() });
      io.out(`revoked ${key.id} (${key.prefix}…)`);
      return 0;
    }
    throw usageError('admin-key needs one of: create, list, revoke');
  });
}

async function resolveKeyId(db: Db, target: string): Promise<string> {
  if (/^[0-9a-f-]{36}$/i.test(target)) return target;
  const matches = await adminRepo.findKeysByPrefix(db, target.replace(/…$/, ''));
  if (matches.length === 1) return matches[0]!.id;
  throw usageError(matches.length ? `prefix ${target} matches ${matches.length} keys; use the key id` : `no API key with id or prefix ${target}`);
}
