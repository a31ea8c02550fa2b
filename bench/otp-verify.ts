// OTP verify (DESIGN §9, issue 9): requests/s and latency of POST /api/v1/auth/{r}/user-token
// with valid, never-replayed TOTP codes of many users, against a bare Hono route on the same
// database doing one comparable `UPDATE tokens … WHERE id = $1 RETURNING …`, in the same run.
import type { CpuUse } from './cpu-usage.js';
import { summarize, type LoadDriver, type LoadSample } from './driver.js';
import { userPool, type AuthSeed, type UserPool } from './seed.js';
import type { DbKind, Progress } from './setup.js';

export const OTP_GOAL_RATIO = 0.5;

export interface OtpSettings {
  connections: number;
  /** Unmeasured requests per side before measuring (cold JIT, pool, caches). */
  warmup: number;
  /** Measured segments per side, interleaved with the other side's. */
  rounds: number;
  /** Time per segment at most… */
  segmentMs: number;
  /** …and for the app, users (one request each) per segment at most: the users it may use, shared out. */
  users: number;
}

export interface OtpVerifyResult {
  rps: number;
  baselineRps: number;
  /** rps / baselineRps. */
  ratio: number;
  p50Ms: number;
  p99Ms: number;
  baselineP50Ms: number;
  baselineP99Ms: number;
  requests: number;
  baselineRequests: number;
  /** Answers that were `{"result": true}`: every one, or the bench fails. */
  successes: number;
  connections: number;
  seconds: number;
  baselineSeconds: number;
  /** CPU per request by who spent it (bench/cpu-usage.ts; Linux only). */
  cpuMsPerRequest?: { app: CpuUse; baseline: CpuUse };
}

export interface AuthEnv {
  kind: DbKind;
  driver: LoadDriver;
  seed: AuthSeed;
  /** Users not yet used by any authentication. */
  pool: UserPool;
  appOrigin: string;
  baselineOrigin: string;
}

export async function benchOtpVerify(env: AuthEnv, settings: OtpSettings, progress: Progress): Promise<OtpVerifyResult> {
  const { driver, seed } = env;
  // The baseline changes no step, so it may touch any token row: it walks the users on its own,
  // starting over at the first when it reaches the end.
  let baselinePool = userPool(seed.userCount);
  const run = async (side: 'app' | 'baseline', amount: number, maxMs: number): Promise<LoadSample> => {
    if (side === 'baseline' && baselinePool.used + amount > baselinePool.size) baselinePool = userPool(seed.userCount);
    const pool = side === 'app' ? env.pool : baselinePool;
    const from = pool.reserve(amount);
    const sample = await driver.run({
      origin: side === 'app' ? env.appOrigin : env.baselineOrigin,
      scenario:
        side === 'app'
          ? { kind: 'userToken', path: `/api/v1/auth/${seed.resourceId}/user-token`, authorization: seed.authorization, from }
          : { kind: 'baseline', path: '/baseline/otp', from },
      connections: settings.connections,
      amount,
      maxMs,
    });
    pool.release(from, amount, sample.usersUsed);
    return sample;
  };

  // One unmeasured pass over both first: the server's JIT is cold at the start, and it would
  // otherwise be charged to whichever side runs first.
  const appAmount = Math.floor((settings.users - settings.warmup) / settings.rounds);
  // The baseline's users are not used up, so its segments are bounded by time alone in practice.
  const baselineAmount = Math.floor(seed.userCount / 2);
  await run('baseline', settings.warmup, settings.segmentMs);
  await run('app', settings.warmup, settings.segmentMs);
  // Interleaved B A, A B, B A…: the machine's other load drifts during a run, and the ratio
  // must not depend on which side happened to run during a quiet moment.
  const samples: Record<'app' | 'baseline', LoadSample[]> = { app: [], baseline: [] };
  for (let round = 0; round < settings.rounds; round++) {
    const order = round % 2 === 0 ? (['baseline', 'app'] as const) : (['app', 'baseline'] as const);
    for (const side of order) {
      const sample = await run(side, side === 'app' ? appAmount : baselineAmount, settings.segmentMs);
      samples[side].push(sample);
      progress(
        `otp verify ${env.kind}: round ${round + 1}/${settings.rounds} ${side === 'app' ? 'user-token' : 'baseline  '} ${Math.round(sample.requests / (sample.elapsedMs / 1000))} req/s`,
      );
    }
  }
  const app = summarize(samples.app);
  const baseline = summarize(samples.baseline);
  return {
    rps: app.rps,
    baselineRps: baseline.rps,
    ratio: app.rps / baseline.rps,
    p50Ms: app.p50Ms,
    p99Ms: app.p99Ms,
    baselineP50Ms: baseline.p50Ms,
    baselineP99Ms: baseline.p99Ms,
    requests: app.requests,
    baselineRequests: baseline.requests,
    successes: app.ok,
    connections: settings.connections,
    seconds: app.seconds,
    baselineSeconds: baseline.seconds,
    ...(app.cpuMs && baseline.cpuMs ? { cpuMsPerRequest: { app: app.cpuMs, baseline: baseline.cpuMs } } : {}),
  };
}
