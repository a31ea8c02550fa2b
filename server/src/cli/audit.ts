import type { Config } from '../config.js';
import { verifyChain } from '../events/chain.js';
import { loadRing, parse, usageError, withDb, type Out } from './common.js';

/**
 * `audit verify`: recomputes the event chain and compares it with the stored hashes. It writes
 * nothing (no migration, no sealing), so it checks exactly what was sealed; events newer than
 * the sealer's last pass are counted, not verified.
 */
export async function auditCommand(args: string[], config: Config, io: Out): Promise<number> {
  const { positionals } = parse(args, {});
  if (positionals.length !== 1 || positionals[0] !== 'verify') throw usageError('audit needs one subcommand: verify');
  // The chain is keyed (DESIGN §10): verifying needs the master key it was sealed under.
  const ring = await loadRing(config, io);
  return withDb(config, async (db) => {
    const started = Date.now();
    let shown = 0;
    const result = await verifyChain(db, ring, {
      // Only large chains get progress lines (on stderr), about one per tenth of the ids.
      onProgress: ({ checked, throughId, lastSealedId }) => {
        const tenth = Math.floor((Number(throughId) / Number(lastSealedId)) * 10);
        if (Number(lastSealedId) < 50_000 || tenth <= shown) return;
        shown = tenth;
        io.err(`verifying: ${checked} events, through event ${throughId} of ${lastSealedId} (${Math.round((Date.now() - started) / 1000)} s)`);
      },
    });
    if (!result.ok) {
      io.out(`audit chain BROKEN at event ${result.brokenAt}: ${result.message}`);
      return 1;
    }
    io.out(`audit chain intact: ${result.checked} events verified (${result.unsealed} not yet sealed)`);
    // Written down elsewhere, the head hash lets a later run prove the end was not cut off.
    if (result.checked) io.out(`chain head: event ${result.lastSealedId}, hmac-sha256 ${result.headHash}`);
    return 0;
  });
}
