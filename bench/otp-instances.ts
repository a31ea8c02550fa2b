// OTP verify on several server processes sharing one PostgreSQL (DESIGN §15, issue 17): the same
// requests as otp-verify.ts, sent to one process and then to two (one load generator each,
// users of their own), in interleaved segments, so the two figures are comparable with each other.
// The processes are bench/instance.ts children; the one-process figure of otp-verify.ts runs
// in the bench's own process and is not the comparison here.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { summarize, type LoadDriver, type LoadSample } from './driver.js';
import type { OtpSettings } from './otp-verify.js';
import type { AuthSeed, UserPool } from './seed.js';
import type { Progress } from './setup.js';

export interface OtpInstancesResult {
  /** One server process. */
  one: { rps: number; p50Ms: number; p99Ms: number; requests: number };
  /** Two server processes, requests split evenly. */
  two: { rps: number; p50Ms: number; p99Ms: number; requests: number };
  /** two.rps / one.rps. */
  scaling: number;
}

interface Instance {
  origin: string;
  child: ChildProcess;
}

function startInstance(env: Record<string, string>): Promise<Instance> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./instance.ts', import.meta.url).pathname], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench instance exited (code ${code}) before it served`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^listening (\S+)$/.exec(line);
      if (m) resolve({ origin: m[1]!, child });
    });
  });
}

async function stopInstance(i: Instance): Promise<void> {
  if (i.child.exitCode !== null) return;
  const exited = new Promise((resolve) => i.child.once('exit', resolve));
  i.child.kill('SIGTERM');
  await exited;
}

export async function benchOtpInstances(
  opts: { seed: AuthSeed; pool: UserPool; drivers: [LoadDriver, LoadDriver]; url: string; schema: string; masterKey: Buffer },
  settings: OtpSettings & { instanceRounds: number; instanceUsers: number },
  progress: Progress,
): Promise<OtpInstancesResult> {
  const env = { BENCH_INSTANCE_URL: opts.url, BENCH_INSTANCE_SCHEMA: opts.schema, BENCH_INSTANCE_KEY: opts.masterKey.toString('base64') };
  const instances: Instance[] = [];
  try {
    instances.push(await startInstance(env), await startInstance(env));
    const { drivers } = opts;
    const run = async (count: 1 | 2, amount: number): Promise<LoadSample[]> => {
      const share = Math.floor(amount / count);
      const jobs = instances.slice(0, count).map((instance, i) => {
        const from = opts.pool.reserve(share);
        return drivers[i]!.run({
          origin: instance.origin,
          scenario: { kind: 'userToken', path: `/api/v1/auth/${opts.seed.resourceId}/user-token`, authorization: opts.seed.authorization, from },
          // The same connections in all, split between the processes.
          connections: Math.max(1, Math.floor(settings.connections / count)),
          amount: share,
          maxMs: settings.segmentMs,
        });
      });
      // Users a job did not get to stay unused (each reserved range is its job's alone).
      return Promise.all(jobs);
    };
    // Warm both processes (JIT, pools, the resource cache).
    await run(2, settings.warmup * 2);
    const amount = Math.floor(settings.instanceUsers / settings.instanceRounds / 2);
    const samples: Record<1 | 2, LoadSample[][]> = { 1: [], 2: [] };
    for (let round = 0; round < settings.instanceRounds; round++) {
      for (const count of round % 2 === 0 ? ([1, 2] as const) : ([2, 1] as const)) {
        const segment = await run(count, amount);
        samples[count].push(segment);
        const rps = segment.reduce((n, s) => n + s.requests, 0) / (Math.max(...segment.map((s) => s.elapsedMs)) / 1000);
        progress(`otp verify postgres: round ${round + 1}/${settings.instanceRounds} ${count} instance${count > 1 ? 's' : ' '} ${Math.round(rps)} req/s`);
      }
    }
    const pooled = (count: 1 | 2) => {
      const segments = samples[count];
      // Concurrent jobs: requests add up over the longer job's time.
      const requests = segments.flat().reduce((n, s) => n + s.requests, 0);
      const seconds = segments.reduce((n, seg) => n + Math.max(...seg.map((s) => s.elapsedMs)), 0) / 1000;
      const { p50Ms, p99Ms } = summarize(segments.flat());
      return { rps: requests / seconds, p50Ms, p99Ms, requests };
    };
    const one = pooled(1);
    const two = pooled(2);
    return { one, two, scaling: two.rps / one.rps };
  } finally {
    await Promise.all(instances.map(stopInstance));
  }
}
