// Password verify (DESIGN §9, issue 9): requests/s of POST /api/v1/auth/{r}/password for many
// users with argon2id hashes at the production parameters, against raw argon2id verifications/s
// in this same process at the same parameters and concurrency, measured in alternation.
import { ARGON2_PARAMS } from '../server/src/crypto/password.js';
import { argon2Rate } from './argon2.js';
import { cpuPer, startCpuCount, type CpuUse } from './cpu-usage.js';
import { summarize, type LoadSample } from './driver.js';
import type { AuthEnv } from './otp-verify.js';
import type { Progress } from './setup.js';

export const PASSWORD_GOAL_RATIO = 0.9;

export interface PasswordSettings {
  connections: number;
  /** Measured segments per side. */
  rounds: number;
  /** Length of a raw segment; an HTTP segment makes as many requests as raw argon2id made hashes in the first one. */
  segmentMs: number;
  /** Requests per HTTP segment at most (bounds the users it uses). */
  segmentAmount: number;
}

export interface PasswordVerifyResult {
  rps: number;
  /** Raw argon2id verifications per second, same parameters, same concurrency. */
  rawHashesPerSec: number;
  /** rps / rawHashesPerSec. */
  ratio: number;
  p50Ms: number;
  p99Ms: number;
  rawMsPerHash: number;
  requests: number;
  rawHashes: number;
  successes: number;
  connections: number;
  params: typeof ARGON2_PARAMS;
  /** CPU per request and per raw verification by who spent it (bench/cpu-usage.ts; Linux only). */
  cpuMsPerRequest?: { app: CpuUse; raw: CpuUse };
}

export async function benchPasswordVerify(
  env: AuthEnv,
  hash: string,
  password: string,
  passwords: string[],
  settings: PasswordSettings,
  progress: Progress,
): Promise<PasswordVerifyResult> {
  const http = async (amount: number, maxMs: number): Promise<LoadSample> => {
    const from = env.pool.reserve(amount);
    const sample = await env.driver.run({
      origin: env.appOrigin,
      scenario: { kind: 'password', path: `/api/v1/auth/${env.seed.resourceId}/password`, authorization: env.seed.authorization, from, passwords },
      connections: settings.connections,
      amount,
      maxMs,
    });
    env.pool.release(from, amount, sample.usersUsed);
    return sample;
  };
  // Warm-up: the native module, its memory, the route and the dummy hash.
  await argon2Rate(hash, password, settings.connections, 300);
  await http(settings.connections * 2, settings.segmentMs);

  const samples: LoadSample[] = [];
  const raw = { hashes: 0, seconds: 0, laneMs: 0, cpu: [] as (CpuUse | undefined)[] };
  // HTTP segments end when their last request is answered, not by a timer: a request cut off
  // would go on hashing in the server during the next segment, and be charged to it.
  let httpAmount = settings.segmentAmount;
  for (let round = 0; round < settings.rounds; round++) {
    const order = round % 2 === 0 ? (['raw', 'http'] as const) : (['http', 'raw'] as const);
    for (const side of order) {
      if (side === 'raw') {
        // No load generator runs during a raw segment: its thread set is empty.
        const cpu = startCpuCount(new Set());
        const r = await argon2Rate(hash, password, settings.connections, settings.segmentMs);
        raw.cpu.push(cpu());
        raw.hashes += r.hashes;
        raw.seconds += r.seconds;
        raw.laneMs += r.msPerHash * r.hashes;
        if (round === 0) httpAmount = Math.max(settings.connections, Math.min(settings.segmentAmount, r.hashes));
        progress(`password verify ${env.kind}: round ${round + 1}/${settings.rounds} raw argon2id ${r.hashesPerSec.toFixed(1)} hashes/s`);
      } else {
        const sample = await http(httpAmount, 4 * settings.segmentMs);
        samples.push(sample);
        progress(
          `password verify ${env.kind}: round ${round + 1}/${settings.rounds} /password     ${(sample.requests / (sample.elapsedMs / 1000)).toFixed(1)} req/s`,
        );
      }
    }
  }
  const app = summarize(samples);
  const rawHashesPerSec = raw.hashes / raw.seconds;
  const rawCpu = cpuPer(raw.cpu, raw.hashes);
  return {
    rps: app.rps,
    rawHashesPerSec,
    ratio: app.rps / rawHashesPerSec,
    p50Ms: app.p50Ms,
    p99Ms: app.p99Ms,
    rawMsPerHash: raw.laneMs / raw.hashes,
    requests: app.requests,
    rawHashes: raw.hashes,
    successes: app.ok,
    connections: settings.connections,
    params: ARGON2_PARAMS,
    ...(app.cpuMs && rawCpu ? { cpuMsPerRequest: { app: app.cpuMs, raw: rawCpu } } : {}),
  };
}
