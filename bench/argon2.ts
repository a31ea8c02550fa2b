// Raw argon2id throughput at the server's parameters, in this process: the ceiling any password
// check can reach, and what the password benchmark divides by.
import { verify } from '@node-rs/argon2';

export interface HashRate {
  hashes: number;
  seconds: number;
  hashesPerSec: number;
  /** Time per hash as each lane saw it. */
  msPerHash: number;
  lanes: number;
}

/**
 * Verifies `password` against `hash` (one argon2id computation at the hash's parameters) for
 * about `durationMs` with `lanes` verifications in flight, as many as the HTTP benchmark has
 * connections; the verifications already started are finished and counted.
 */
export async function argon2Rate(hash: string, password: string, lanes: number, durationMs: number): Promise<HashRate> {
  let hashes = 0;
  const start = performance.now();
  const end = start + durationMs;
  const lane = async () => {
    while (performance.now() < end) {
      if (!(await verify(hash, password))) throw new Error('argon2 bench: the password does not match its hash');
      hashes++;
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  const seconds = (performance.now() - start) / 1000;
  return { hashes, seconds, hashesPerSec: hashes / seconds, msPerHash: (seconds * 1000 * lanes) / hashes, lanes };
}
