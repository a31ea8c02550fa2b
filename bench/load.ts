import { Worker } from 'node:worker_threads';
import type { LoadJob, LoadSample } from './load-worker.js';

export type { LoadJob, LoadSample };

export interface LoadResult {
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
}

export interface LoadDriver {
  /** Warm-up, then a measured segment; rejects if any request failed. */
  run(job: LoadJob): Promise<LoadSample>;
  close(): Promise<void>;
}

// Node 20 does not pass the `--import tsx` hooks on to worker threads, so the worker registers
// tsx itself before loading its TypeScript module.
const tsxApi = import.meta.resolve('tsx/esm/api');
const workerModule = new URL('./load-worker.ts', import.meta.url).href;
const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(workerModule)}); });`;

/** Starts the load worker thread; one job at a time. */
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
  worker.on('message', (sample: LoadSample) => {
    const p = pending;
    pending = undefined;
    p?.resolve(sample);
  });

  return {
    run: async (job) => {
      if (failure) throw failure;
      if (pending) throw new Error('load driver is busy');
      let deadline: NodeJS.Timeout | undefined;
      try {
        const sample = await new Promise<LoadSample>((resolve, reject) => {
          pending = { resolve, reject };
          // A request that never answers would keep its lane (and the whole bench) waiting forever.
          deadline = setTimeout(() => fail(new Error(`load on ${job.url} did not finish in time`)), job.warmupMs + job.durationMs + 15_000);
          worker.postMessage(job);
        });
        if (sample.errors > 0) {
          throw new Error(`${sample.errors}/${sample.requests} requests to ${job.url} failed; first: ${sample.firstError}`);
        }
        return sample;
      } finally {
        clearTimeout(deadline);
      }
    },
    // Terminating also drops the worker's keep-alive sockets, which would hold servers open.
    close: async () => {
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}

/** Pools measured segments of the same target into one result. */
export function summarize(samples: LoadSample[]): LoadResult {
  const requests = samples.reduce((n, s) => n + s.requests, 0);
  const elapsedMs = samples.reduce((n, s) => n + s.elapsedMs, 0);
  const sorted = new Float64Array(samples.reduce((n, s) => n + s.latenciesMs.length, 0));
  let at = 0;
  for (const s of samples) {
    sorted.set(s.latenciesMs, at);
    at += s.latenciesMs.length;
  }
  sorted.sort();
  return { requests, rps: requests / (elapsedMs / 1000), p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99) };
}

// Nearest-rank percentile of an ascending array.
function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}
