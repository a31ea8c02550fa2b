import type { Config } from '../config.js';
import { installMasterKeyFile, loadMasterKey, readMasterKeyFile } from '../crypto/master-key.js';
import { reencryptStore, type StoreProgress, type StoreResult } from '../crypto/rotation.js';
import { createKeyRing, type KeyRing } from '../crypto/secretbox.js';
import type { Db } from '../db/index.js';
import { sealEvents } from '../events/chain.js';
import { ensureChainKeyed, type ChainReadiness } from '../events/rekey.js';
import { signingKeyStore } from '../jwt/sealed-store.js';
import { tokenSecretStore } from '../tokens/sealed-store.js';
import { migrateIfAllowed, parse, usageError, withDb, type Out } from './common.js';

// `veriframe rotate-key` (DESIGN §4, §10): moves every encrypted secret, and the audit chain, to
// the current master key while servers keep running.
//
// Where the keys come from:
// - with `--new-key-file FILE`, FILE holds the new key and the configured key (VERIFRAME_MASTER_KEY
//   or the data directory's master.key) is the old one. When the old key came from master.key,
//   the new key replaces it once everything is re-encrypted (the old one is kept beside it as
//   master.key.previous). This is the embedded database's way: PGlite has one process at a time,
//   so the server is stopped meanwhile.
// - without it, the configured key is the new one and VERIFRAME_PREVIOUS_MASTER_KEYS holds the old
//   ones. This is the online way: restart every server with the new key and the old one as
//   previous (they then decrypt both and encrypt with the new), run this, then drop the old key.
//   The same run also moves secrets written before HKDF subkeys (sealed with the raw key) onto the
//   subkey.

export interface RotationResult {
  stores: StoreResult[];
  chain: ChainReadiness;
  sealed: number;
}

type RotationProgress = StoreProgress | { store: 'audit chain'; sealed: number };

/** Re-encrypts every sealed secret under `ring.current`, then re-keys and re-seals the audit chain. */
export async function rotateMasterKey(
  db: Db,
  ring: KeyRing,
  opts: { batchSize?: number; onProgress?: (p: RotationProgress) => void | Promise<void> } = {},
): Promise<RotationResult> {
  const stores: StoreResult[] = [];
  for (const store of [tokenSecretStore(db), signingKeyStore(db)]) {
    stores.push(
      await reencryptStore(ring, store, {
        ...(opts.batchSize ? { batchSize: opts.batchSize } : {}),
        ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
      }),
    );
  }
  const chain = await ensureChainKeyed(db, ring);
  let sealed = 0;
  if (chain.ready) {
    // Servers seal too; doing it here leaves a complete chain also when none is running.
    for (let n = -1; n !== 0; sealed += n) {
      n = await sealEvents(db, ring, { limit: opts.batchSize ?? 1000 });
      if (n) await opts.onProgress?.({ store: 'audit chain', sealed: sealed + n });
    }
  }
  return { stores, chain, sealed };
}

export async function rotateKeyCommand(args: string[], config: Config, io: Out): Promise<number> {
  const { values, positionals } = parse(args, { 'new-key-file': { type: 'string' }, 'batch-size': { type: 'string' } });
  if (positionals.length) throw usageError('rotate-key takes only options: [--new-key-file FILE] [--batch-size N]');
  const batch = values['batch-size'];
  if (batch !== undefined && !/^\d{1,5}$/.test(batch)) throw usageError(`--batch-size must be a number from 1 to 10000, got "${batch}"`);
  const batchSize = batch === undefined ? 500 : Number(batch);
  if (batchSize < 1 || batchSize > 10_000) throw usageError(`--batch-size must be a number from 1 to 10000, got "${batch}"`);

  const fromDataDir = !config.masterKey && config.database.kind === 'pglite-file';
  const configured = await loadMasterKey({
    configured: config.masterKey,
    dataDir: fromDataDir ? config.dataDir : undefined,
    log: (msg) => io.err(`veriframe: ${msg}`),
  });
  const file = values['new-key-file'];
  const next = file ? await readMasterKeyFile(file).catch((err: Error) => Promise.reject(usageError(err.message))) : configured;
  const ring = createKeyRing(next, file ? [configured, ...config.previousMasterKeys] : config.previousMasterKeys);
  io.err(`rotating to master key id ${ring.current.id}`);

  return withDb(config, async (db) => {
    await migrateIfAllowed(config, db);
    const result = await rotateMasterKey(db, ring, {
      batchSize,
      onProgress: (p) => io.err('sealed' in p ? `audit chain: ${p.sealed} events sealed` : `${p.store}: ${p.done}/${p.total}`),
    });
    for (const s of result.stores) {
      io.out(`${s.store}: ${s.reencrypted} re-encrypted${s.changed ? `, ${s.changed} changed meanwhile by a server (already current)` : ''}`);
    }
    io.out(
      result.chain.ready
        ? `audit chain: under key id ${ring.current.id}${result.sealed ? ` (${result.sealed} events sealed)` : ''}`
        : `audit chain: NOT re-keyed: ${result.chain.reason}`,
    );
    const failed = result.stores.flatMap((s) => s.failed.map((f) => ({ ...f, store: s.store })));
    if (failed.length) {
      for (const f of failed.slice(0, 20)) io.err(`cannot decrypt ${f.store} ${f.id}: sealed under key id ${f.keyId}, which is not configured`);
      io.err(
        `veriframe: ${failed.length} secret(s) are still under a key this command does not hold; add it to VERIFRAME_PREVIOUS_MASTER_KEYS and run rotate-key again`,
      );
      return 1;
    }
    if (file && fromDataDir && !next.equals(configured)) {
      const installed = await installMasterKeyFile(config.dataDir, next, configured);
      io.out(
        `${installed.path} now holds the new key; the old one is in ${installed.previousPath} (backups taken before now need it: keep it with them, then delete it here)`,
      );
    } else if (file) {
      io.out('done: set VERIFRAME_MASTER_KEY to the new key on every server (and drop the old one from VERIFRAME_PREVIOUS_MASTER_KEYS)');
    } else if (config.previousMasterKeys.length) {
      io.out('done: nothing needs the keys in VERIFRAME_PREVIOUS_MASTER_KEYS any more; remove them from every server');
    } else {
      io.out('done: every secret is under the current master key');
    }
    return 0;
  });
}
