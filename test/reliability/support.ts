import { freePort, runCli, type CliProcess } from '../helpers/process.js';

// The figures each fault test prints (README, "Reliability" quotes them): one line per test.

export interface FaultFigures {
  /** Requests answered during the test. */
  requests: number;
  /** Writes acknowledged with a 2xx (each one checked afterwards). */
  acked: number;
  /** 503 answers while the database was away. */
  during: number;
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
  if (f.held !== undefined) parts.push(`in flight at the fault and answered ${f.held}`);
  parts.push(`503 during the fault ${f.during}`);
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
