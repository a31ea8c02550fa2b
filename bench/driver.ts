// The main-thread side of the load generator (bench/driver-worker.ts): one job at a time, and
// helpers to pool and summarise samples.
import { Worker } from 'node:worker_threads';
import { cpuProfile } from './cpu-profile.js';
import { cpuPer, startCpuCount, type CpuUse } from './cpu-usage.js';
import type { BenchUser, LoadJob, LoadSample, WorkerMessage, WorkerReply } from './driver-worker.js';

export type { BenchUser, LoadJob, LoadSample };

export interface LoadDriver {
  /** Hands the seeded users to the worker (replaces the previous set). */
  setUsers(users: BenchUser[]): void;
  /** Runs one job; rejects when the worker fails, a request errors or any answer was not the expected success. */
  run(job: LoadJob): Promise<LoadSample>;
  close(): Promise<void>;
}

// Node 20 does not pass the `--import tsx` hooks on to worker threads, so the worker registers
// tsx itself before loading its TypeScript module.
const tsxApi = import.meta.resolve('tsx/esm/api');
const workerModule = new URL('./driver-worker.ts', import.meta.url).href;
const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(workerModule)}); });`;

// BENCH_CPU_PROFILE=dir: a CPU profile of the main thread (the server) during every segment, one
// file per segment: dir/<scenario>-<n>.cpuprofile, dir/baseline-<n>.cpuprofile for the baselines.
const profileDir = process.env.BENCH_CPU_PROFILE;
let profiled = 0;
// The load generators' threads (every driver's), told apart from the server's in CPU counts.
const loadThreads = new Set<number>();
const isBaseline = (job: LoadJob) => 'path' in job.scenario && job.scenario.path.startsWith('/baseline');

export function startDriver(): LoadDriver {
  const worker = new Worker(bootstrap, { eval: true });
  let failure: Error | undefined;
  let pending: { resolve(s: LoadSample): void; reject(e: Error): void } | undefined;
  const fail = (err: Error) => {
    failure ??= err;
    pending?.reject(err);
    pending = undefined;
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`load worker exited (code ${code})`)));
  worker.on('message', (reply: WorkerReply) => {
    if (reply.type === 'thread') {
      if (reply.tid !== undefined) loadThreads.add(reply.tid);
      return;
    }
    const p = pending;
    pending = undefined;
    if (reply.type === 'sample') p?.resolve(reply.sample);
    else p?.reject(new Error(`load worker: ${reply.message}`));
  });

  return {
    setUsers: (users) => worker.postMessage({ type: 'users', users } satisfies WorkerMessage),
    run: async (job) => {
      if (failure) throw failure;
      if (pending) throw new Error('load driver is busy');
      let deadline: NodeJS.Timeout | undefined;
      const stopProfile = await cpuProfile(profileDir, `${isBaseline(job) ? 'baseline' : job.scenario.kind}-${++profiled}`);
      const cpu = startCpuCount(loadThreads);
      try {
        const sample = await new Promise<LoadSample>((resolve, reject) => {
          pending = { resolve, reject };
          // A request that never answers would keep the whole bench waiting forever.
          deadline = setTimeout(() => fail(new Error(`${job.scenario.kind} load did not finish in time`)), job.maxMs + 30_000);
          worker.postMessage({ type: 'run', job } satisfies WorkerMessage);
        });
        const used = cpu();
        if (used) sample.cpu = used;
        if (sample.errors > 0 || sample.failures > 0) {
          throw new Error(
            `${job.scenario.kind}: ${sample.failures} unexpected answers and ${sample.errors} connection errors or timeouts in ${sample.requests} requests; first: ${sample.firstFailure ?? '(connection error)'}`,
          );
        }
        return sample;
      } finally {
        clearTimeout(deadline);
        await stopProfile();
      }
    },
    // Terminating also drops the worker's keep-alive sockets, which would hold servers open.
    close: async () => {
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}

export interface Summary {
  /** Answers per second. */
  rps: number;
  /** Expected successes per second (completed logins for the widget). */
  okPerSec: number;
  requests: number;
  ok: number;
  p50Ms: number;
  p99Ms: number;
  seconds: number;
  /** CPU per request (per completed login for `latency: 'login'`), on Linux. */
  cpuMs?: CpuUse;
}

/** Pools the measured segments of one side into one result; `latency` picks which latencies. */
export function summarize(samples: LoadSample[], latency: 'request' | 'login' = 'request'): Summary {
  const requests = samples.reduce((n, s) => n + s.requests, 0);
  const ok = samples.reduce((n, s) => n + s.ok, 0);
  const seconds = samples.reduce((n, s) => n + s.elapsedMs, 0) / 1000;
  const parts = samples.map((s) => (latency === 'login' ? (s.loginLatenciesMs ?? new Float64Array()) : s.latenciesMs));
  const sorted = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    sorted.set(p, at);
    at += p.length;
  }
  sorted.sort();
  const cpuMs = cpuPer(
    samples.map((s) => s.cpu),
    latency === 'login' ? ok : requests,
  );
  return {
    rps: requests / seconds,
    okPerSec: ok / seconds,
    requests,
    ok,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    seconds,
    ...(cpuMs ? { cpuMs } : {}),
  };
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
