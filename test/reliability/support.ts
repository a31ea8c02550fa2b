import assert from 'node:assert/strict';
import { adminApi, assertPresent, runLoad, waitUntil, type Answer } from '../helpers/load.js';
import { freePort, runCli, type CliProcess } from '../helpers/process.js';

// The figures each fault test prints (README, "Reliability" quotes them): one line per test.

export interface FaultFigures {
  /** Requests answered during the test. */
  requests: number;
  /** Writes acknowledged with a 2xx (each one checked afterwards). */
  acked: number;
  /** 503 answers while the database was away. */
  during?: number;
  /** Requests without an answer because the process was killed under them. */
  cut?: number;
  /** How long the fault lasted. */
  outageSeconds?: number;
  /** From the end of the fault to the first write acknowledged again. */
  recoverSeconds?: number;
  /** Requests in flight when the fault struck that still got their answer. */
  held?: number;
  lost: number;
}

export function faultFigures(name: string, f: FaultFigures): string {
  const parts = [`requests ${f.requests}`, `acknowledged writes ${f.acked}`];
  if (f.held !== undefined) parts.push(`answered after the signal ${f.held}`);
  if (f.cut !== undefined) parts.push(`cut off by the kill ${f.cut}`);
  if (f.during !== undefined) parts.push(`503 during the fault ${f.during}`);
  if (f.outageSeconds !== undefined) parts.push(`outage ${f.outageSeconds.toFixed(1)} s`);
  if (f.recoverSeconds !== undefined) parts.push(`recovered ${f.recoverSeconds.toFixed(1)} s after`);
  parts.push(`writes lost ${f.lost}`);
  return `[reliability] ${name}: ${parts.join(', ')}`;
}

/** GET /readyz, without throwing when nothing answers (status 0 then). */
export async function readyz(base: string): Promise<{ status: number; headers: Headers }> {
  try {
    const res = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(10_000) });
    await res.arrayBuffer();
    return { status: res.status, headers: res.headers };
  } catch {
    return { status: 0, headers: new Headers() };
  }
}

/** A serving `veriframe serve` on a free port of 127.0.0.1, and the admin key it accepts. */
export async function serve(env: Record<string, string>, adminKey: string, port?: number): Promise<{ server: CliProcess; port: number; base: () => string }> {
  const p = port ?? (await freePort());
  const server = runCli(['serve'], { PORT: String(p), VERIFRAME_ADMIN_KEY: adminKey, ...env });
  await server.waitFor('Stop with Ctrl+C');
  return { server, port: p, base: () => `http://127.0.0.1:${p}` };
}

/** Kills what is left of a server (after a failed assertion). */
export async function reap(server: CliProcess | undefined): Promise<void> {
  if (server && server.child.exitCode === null && server.child.signalCode === null) {
    server.child.kill('SIGKILL');
    await server.exited;
  }
}

export interface Outage {
  /** Takes the database away; resolves once it is away. */
  fault(): Promise<void>;
  /** Brings it back; resolves once it accepts connections. */
  heal(): Promise<void>;
}

/**
 * A database outage under a write load of `workers` clients against a running server: some
 * writes, the fault, /readyz and at least 20 answers while it lasts, the heal, /readyz ready
 * again and 30 more writes acknowledged. Every answer must be a 201 or a 503
 * database_unavailable with Retry-After; every request must get an answer (no reset, no hang);
 * every acknowledged write must be there at the end. Returns the figures.
 */
export async function outageUnderLoad(
  running: { server: CliProcess; base: () => string },
  adminKey: string,
  outage: Outage,
  opts: { workers: number; prefix: string; stopped: { now: boolean }; minDuring?: number },
): Promise<FaultFigures> {
  const { server, base } = running;
  const api = adminApi(base, adminKey);
  const phase = { down: false, upAt: 0, firstAckAfter: 0, acks: 0, whileDown: 0 };
  const bad: string[] = [];
  const check = (answer: Answer) => {
    if (phase.down) phase.whileDown++;
    if (answer.status === 201) {
      phase.acks++;
      if (phase.upAt && !phase.firstAckAfter) phase.firstAckAfter = Date.now();
      return;
    }
    const code = (answer.body as { error?: { code?: string } }).error?.code;
    if (answer.status !== 503 || code !== 'database_unavailable' || !/^\d+$/.test(answer.headers.get('retry-after') ?? '')) {
      bad.push(`${answer.status} ${code} retry-after=${answer.headers.get('retry-after')}`);
    }
  };
  const load = runLoad(api, { workers: opts.workers, prefix: opts.prefix, stop: () => opts.stopped.now, maxPerWorker: 20_000, onAnswer: check });
  try {
    await waitUntil('writes before the fault', () => phase.acks >= 30);

    phase.down = true;
    await outage.fault();
    const downAt = Date.now();
    const ready = await readyz(base());
    assert.equal(
      ready.status,
      503,
      `readyz while the database is away; server output: ${server.output().stdout.slice(-2000)}${server.output().stderr.slice(-2000)}`,
    );
    assert.match(ready.headers.get('retry-after') ?? '', /^\d+$/, 'readyz 503 carries Retry-After');
    await waitUntil('503s during the outage', () => phase.whileDown >= (opts.minDuring ?? 20), 30_000);
    assert.equal(server.child.exitCode, null, `the server died: ${server.output().stderr}`);

    await outage.heal();
    const upAt = Date.now();
    phase.down = false;
    phase.upAt = upAt;
    await waitUntil('ready again', async () => (await readyz(base())).status === 200, 30_000);
    const acksAtReady = phase.acks;
    await waitUntil('writes after the fault', () => phase.acks >= acksAtReady + 30, 30_000);
    opts.stopped.now = true;
    const result = await load;

    assert.deepEqual(result.failures, {}, 'every request got an answer (no reset, no refused connection, no hang)');
    assert.deepEqual(bad, [], 'only 201, or 503 database_unavailable with Retry-After');
    assert.ok((result.statuses[503] ?? 0) >= (opts.minDuring ?? 20), 'the outage was seen by requests');
    await assertPresent(api, result.acks);
    assert.equal(server.child.exitCode, null, 'still running');
    return {
      requests: Object.values(result.statuses).reduce((a, b) => a + b, 0),
      acked: result.acks.length,
      during: result.statuses[503] ?? 0,
      outageSeconds: (upAt - downAt) / 1000,
      recoverSeconds: (phase.firstAckAfter - upAt) / 1000,
      lost: 0,
    };
  } finally {
    opts.stopped.now = true;
    await load;
  }
}
