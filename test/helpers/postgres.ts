import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './process.js';

// A PostgreSQL server of a test's own, for fault tests that stop and restart it (the shared test
// server at 127.0.0.1:5432 must never be restarted). We run as root and PostgreSQL refuses to, so
// its files belong to the `postgres` OS user and its binaries run as that user.

const run = promisify(execFile);
const BIN = process.env.PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin';

export interface OwnPostgres {
  url: string;
  port: number;
  /** Stops it: `fast` ends every session with 57P01, like `pg_ctlcluster … restart`. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  /** Stops everything and deletes its files. */
  destroy(): Promise<void>;
}

const asPostgres = (cmd: string, args: string[]) => run('runuser', ['-u', 'postgres', '--', path.join(BIN, cmd), ...args], { timeout: 30_000 });

/** initdb into a temporary directory, then starts it on a free port of 127.0.0.1. */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'veriframe-pg-'));
  fs.chownSync(dir, pgUid(), pgGid());
  const data = path.join(dir, 'data');
  const port = await freePort();
  // No fsync: the tests cut the server, not the power; syncing only slows a 2-core machine.
  await asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=40`;
  let running = false;
  const pg: OwnPostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async start() {
      await asPostgres('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', '-t', '20', 'start']);
      running = true;
    },
    async stop(mode = 'fast') {
      await asPostgres('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '20', 'stop']);
      running = false;
    },
    async destroy() {
      if (running) await pg.stop('immediate').catch(() => {});
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  await pg.start();
  return pg;
}

function pgUid(): number {
  return Number(
    fs
      .readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('postgres:'))!
      .split(':')[2],
  );
}

function pgGid(): number {
  return Number(
    fs
      .readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('postgres:'))!
      .split(':')[3],
  );
}
