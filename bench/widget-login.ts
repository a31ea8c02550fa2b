// Full widget login (DESIGN §9, issue 9): transactions/s of the whole sign-in as a browser and the
// site's backend make it: POST /widget/api/start → identify (login) → otp (TOTP code, answered
// with the signed result JWT) → the site's backend POSTs the JWT to /api/v1/verify. One fresh user
// per login; every step's answer is checked.
import type { CpuUse } from './cpu-usage.js';
import { summarize, type LoadSample } from './driver.js';
import type { AuthEnv } from './otp-verify.js';
import { BENCH_SITE } from './seed.js';
import type { Progress } from './setup.js';

export interface WidgetSettings {
  connections: number;
  /** Unmeasured logins first. */
  warmup: number;
  rounds: number;
  /** Logins per segment at most… */
  segmentLogins: number;
  /** …and time per segment at most. */
  segmentMs: number;
}

export interface WidgetLoginResult {
  loginsPerSec: number;
  /** HTTP requests per second (four per login). */
  rps: number;
  /** Per full login, start sent → verify answered. */
  p50Ms: number;
  p99Ms: number;
  logins: number;
  connections: number;
  seconds: number;
  /** CPU per completed login by who spent it (bench/cpu-usage.ts; Linux only). */
  cpuMsPerLogin?: CpuUse;
}

const REQUESTS_PER_LOGIN = 4;

export async function benchWidgetLogin(env: AuthEnv, settings: WidgetSettings, progress: Progress): Promise<WidgetLoginResult> {
  const run = async (wanted: number, maxMs: number): Promise<LoadSample> => {
    // Whole logins on every connection (autocannon shares `amount` out evenly).
    const logins = Math.ceil(wanted / settings.connections) * settings.connections;
    const from = env.pool.reserve(logins + settings.connections);
    const sample = await env.driver.run({
      origin: env.appOrigin,
      scenario: { kind: 'widgetLogin', resourceId: env.seed.resourceId, siteOrigin: BENCH_SITE, authorization: env.seed.authorization, from },
      connections: settings.connections,
      amount: logins * REQUESTS_PER_LOGIN,
      maxMs,
    });
    env.pool.release(from, logins + settings.connections, sample.usersUsed);
    return sample;
  };
  await run(settings.warmup, settings.segmentMs);
  const samples: LoadSample[] = [];
  for (let round = 0; round < settings.rounds; round++) {
    const sample = await run(settings.segmentLogins, settings.segmentMs);
    samples.push(sample);
    progress(`widget login ${env.kind}: round ${round + 1}/${settings.rounds} ${(sample.ok / (sample.elapsedMs / 1000)).toFixed(1)} logins/s`);
  }
  const logins = summarize(samples, 'login');
  return {
    loginsPerSec: logins.okPerSec,
    rps: logins.rps,
    p50Ms: logins.p50Ms,
    p99Ms: logins.p99Ms,
    logins: logins.ok,
    connections: settings.connections,
    seconds: logins.seconds,
    ...(logins.cpuMs ? { cpuMsPerLogin: logins.cpuMs } : {}),
  };
}
