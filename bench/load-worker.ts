// The load generator. It runs in its own thread so that building requests and parsing responses
// does not compete with the server under test for the main event loop; the app and its baseline
// are driven by this same code, so what remains of the driver's cost cancels out in the ratio.
// It stays up between jobs so that its connections and JIT are warm for every segment alike.
import { parentPort } from 'node:worker_threads';

export interface LoadJob {
  url: string;
  headers: Record<string, string>;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
}

export interface LoadSample {
  requests: number;
  errors: number;
  /** The first failure seen, so a broken setup is reported instead of a fast-failing rps. */
  firstError?: string;
  elapsedMs: number;
  latenciesMs: Float64Array<ArrayBuffer>;
}

async function drive(job: LoadJob, durationMs: number, record: boolean): Promise<LoadSample> {
  const latencies: number[] = [];
  let requests = 0;
  let errors = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const end = start + durationMs;

  const lane = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        const res = await fetch(job.url, { headers: job.headers });
        // Reading the body is part of a request; an unread body also pins the connection.
        const body = await res.text();
        if (!res.ok) {
          errors++;
          firstError ??= `HTTP ${res.status}: ${body.slice(0, 200)}`;
        }
      } catch (err) {
        errors++;
        firstError ??= err instanceof Error ? err.message : String(err);
      }
      requests++;
      if (record) latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, lane));
  return {
    requests,
    errors,
    ...(firstError ? { firstError } : {}),
    elapsedMs: performance.now() - start,
    latenciesMs: Float64Array.from(latencies),
  };
}

parentPort!.on('message', async (job: LoadJob) => {
  await drive(job, job.warmupMs, false);
  const sample = await drive(job, job.durationMs, true);
  parentPort!.postMessage(sample, [sample.latenciesMs.buffer]);
});
