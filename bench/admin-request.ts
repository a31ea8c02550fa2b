// Admin request overhead: what the whole stack (middleware, key lookup, conditional touch,
// OpenAPI route, JSON) costs on top of the one indexed query that authenticating a key needs
// (the bare-Hono GET /baseline of setup.ts), measured alternately in the same run.
import { randomBytes } from 'node:crypto';
import { ensureBootstrapKey } from '../server/src/admins/keys-service.js';
import type { Db } from '../server/src/db/index.js';
import type { CpuUse } from './cpu-usage.js';
import { summarize, type LoadDriver, type LoadSample } from './driver.js';
import type { DbKind, Progress } from './setup.js';

export interface AdminRequestSettings {
  connections: number;
  warmupMs: number;
  /** Length of one measured segment. */
  segmentMs: number;
  /** Baseline and app each get this many segments, interleaved. */
  rounds: number;
}

export interface AdminRequestResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  baselineRps: number;
  baselineP50Ms: number;
  baselineP99Ms: number;
  baselineRequests: number;
  ratio: number;
  connections: number;
  /** CPU per request by who spent it (bench/cpu-usage.ts; Linux only). */
  cpuMsPerRequest?: { app: CpuUse; baseline: CpuUse };
}

export interface AdminEnv {
  kind: DbKind;
  db: Db;
  driver: LoadDriver;
  appOrigin: string;
  baselineOrigin: string;
}

export async function benchAdminRequest(env: AdminEnv, settings: AdminRequestSettings, progress: Progress): Promise<AdminRequestResult> {
  const apiKey = `vf_${randomBytes(32).toString('base64url')}`;
  await ensureBootstrapKey(env.db, apiKey);
  const headers = { authorization: `Bearer ${apiKey}` };
  const targets = { baseline: { origin: env.baselineOrigin, path: '/baseline' }, app: { origin: env.appOrigin, path: '/api/v1/admins/me' } };
  // Time-bounded segments: a GET changes nothing, so the request count needs no bound of its own.
  const run = (side: keyof typeof targets, ms: number) =>
    env.driver.run({
      origin: targets[side].origin,
      scenario: { kind: 'get', path: targets[side].path, headers },
      connections: settings.connections,
      amount: 10_000_000,
      maxMs: ms,
    });

  // The first /me sets last_used_at; from then on its touch is the no-op conditional update a
  // busy key sees in production. The unmeasured pass also warms both sides' JIT.
  for (const side of ['baseline', 'app'] as const) await run(side, settings.warmupMs);
  const samples: Record<keyof typeof targets, LoadSample[]> = { baseline: [], app: [] };
  for (let round = 0; round < settings.rounds; round++) {
    const order = round % 2 === 0 ? (['baseline', 'app'] as const) : (['app', 'baseline'] as const);
    for (const side of order) {
      const sample = await run(side, settings.segmentMs);
      samples[side].push(sample);
      progress(
        `admin request ${env.kind}: round ${round + 1}/${settings.rounds} ${side === 'app' ? '/admins/me' : 'baseline  '} ${Math.round(sample.requests / (sample.elapsedMs / 1000))} req/s`,
      );
    }
  }
  const me = summarize(samples.app);
  const baseline = summarize(samples.baseline);
  return {
    rps: me.rps,
    p50Ms: me.p50Ms,
    p99Ms: me.p99Ms,
    requests: me.requests,
    baselineRps: baseline.rps,
    baselineP50Ms: baseline.p50Ms,
    baselineP99Ms: baseline.p99Ms,
    baselineRequests: baseline.requests,
    ratio: me.rps / baseline.rps,
    connections: settings.connections,
    ...(me.cpuMs && baseline.cpuMs ? { cpuMsPerRequest: { app: me.cpuMs, baseline: baseline.cpuMs } } : {}),
  };
}
