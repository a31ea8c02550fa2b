// Raw argon2id throughput at the server's parameters: the ceiling any password check can reach,
// and the reference the later "password verify" benchmark divides by.
import { ARGON2_PARAMS, hashPassword } from '../server/src/crypto/password.js';

export interface HashRate {
  hashes: number;
  seconds: number;
  hashesPerSec: number;
  msPerHash: number;
}

export interface Argon2Result {
  params: typeof ARGON2_PARAMS;
  sequential: HashRate;
  parallel: HashRate & { lanes: number };
  /** parallel / sequential: how much the libuv thread pool and the cores add. */
  parallelSpeedup: number;
}

/** Hashes for about `durationMs` with `lanes` hashes in flight; finishes the hashes already started. */
async function hashFor(durationMs: number, lanes: number): Promise<HashRate> {
  let hashes = 0;
  const start = performance.now();
  const end = start + durationMs;
  const lane = async (i: number) => {
    while (performance.now() < end) {
      await hashPassword(`bench-password-${i}-${hashes}`);
      hashes++;
    }
  };
  await Promise.all(Array.from({ length: lanes }, (_, i) => lane(i)));
  const seconds = (performance.now() - start) / 1000;
  return { hashes, seconds, hashesPerSec: hashes / seconds, msPerHash: (seconds * 1000) / hashes };
}

export async function benchArgon2(durationMs: number, lanes: number, progress: (line: string) => void): Promise<Argon2Result> {
  await hashPassword('warm-up'); // loads the native module and allocates its first memory block
  progress(`argon2id: sequential for ${durationMs / 1000} s…`);
  const sequential = await hashFor(durationMs, 1);
  progress(`argon2id: ${lanes} in parallel for ${durationMs / 1000} s…`);
  const parallel = { ...(await hashFor(durationMs, lanes)), lanes };
  return { params: ARGON2_PARAMS, sequential, parallel, parallelSpeedup: parallel.hashesPerSec / sequential.hashesPerSec };
}
