import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
const cliPath = path.join(repoRoot, 'bin/veriframe.js');

export interface CliProcess {
  child: ChildProcess;
  output(): { stdout: string; stderr: string };
  /** Resolves with the exit code (or 128 + signal number when killed). */
  exited: Promise<number>;
  /** Resolves once stdout contains `text`; rejects if the process exits first or after `ms`. */
  waitFor(text: string | RegExp, ms?: number): Promise<void>;
}

/** Runs `veriframe ARGS` as a real process, as an operator would (`as`: another OS user). */
export function runCli(args: string[], env: Record<string, string | undefined>, as: { uid?: number; gid?: number } = {}): CliProcess {
  // Only what the CLI needs; the parent's VERIFRAME_* or DATABASE_URL must not leak in.
  const baseEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn' };
  const child = spawn(process.execPath, ['--liftoff-only', cliPath, ...args], {
    cwd: repoRoot,
    env: { ...baseEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...as,
  });
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  child.stdout!.on('data', (d) => {
    stdout += d;
    waiters.forEach((w) => w());
  });
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number>((resolve) =>
    child.on('close', (code, signal) =>
      resolve(code ?? 128 + (signal ? (({ SIGTERM: 15, SIGKILL: 9, SIGINT: 2 } as Record<string, number>)[signal] ?? 0) : 0)),
    ),
  );
  const waitFor = (text: string | RegExp, ms = 60_000) =>
    new Promise<void>((resolve, reject) => {
      const found = () => (typeof text === 'string' ? stdout.includes(text) : text.test(stdout));
      const check = () => {
        if (found()) {
          cleanup();
          resolve();
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${text}; stdout: ${stdout}; stderr: ${stderr}`));
      }, ms);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      void exited.then((code) => {
        if (!found()) {
          cleanup();
          reject(new Error(`exited with ${code} before printing ${text}; stdout: ${stdout}; stderr: ${stderr}`));
        }
      });
      check();
    });
  return { child, output: () => ({ stdout, stderr }), exited, waitFor };
}

/** A port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
