// CPU time of a measured segment by who spent it, read from /proc (Linux; elsewhere nothing is
// reported). On a small machine a ratio is a ratio of CPU: the server, its database and the
// load generator share the same cores, so requests/s fall in proportion as the CPU each
// request costs rises, wherever it is spent. Requests/s say *that* a side is slower; this says
// where its extra time goes:
//
// - server: this process's main thread (the servers under test, PGlite included);
// - load: the load generators' threads (bench/driver-worker.ts, one per driver);
// - helpers: every other thread of this process: V8's garbage collector and compiler threads,
//   libuv's pool (argon2id runs there);
// - postgres: every `postgres` process on this machine (backends, WAL writer…), so 0 for PGlite
//   and for a PostgreSQL on another host;
// - machine: all CPUs busy (user, system, interrupts, steal), whoever ran: the sum of the above
//   plus the kernel's work for them and anything else running.
import fs from 'node:fs';

export interface CpuUse {
  serverMs: number;
  loadMs: number;
  helpersMs: number;
  postgresMs: number;
  machineMs: number;
}

/** clock ticks (USER_HZ) → ms: 100 on every Linux Node supports. */
const TICK_MS = 10;

const read = (file: string): string | undefined => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined; // a process or thread that ended between listing and reading
  }
};

/** utime + stime of a /proc/…/stat line, after the command name (which may hold spaces). */
function ticksOf(stat: string): number {
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
}

const commOf = (stat: string) => stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));

const available = process.platform === 'linux' && read('/proc/stat') !== undefined;

/** The thread id of the calling thread (for a load worker to report), or undefined off Linux. */
export function threadId(): number | undefined {
  if (!available) return undefined;
  try {
    return Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
  } catch {
    return undefined;
  }
}

interface Ticks {
  /** Per thread of this process. */
  threads: Map<number, number>;
  /** Per `postgres` process. */
  postgres: Map<number, number>;
  machine: number;
}

function snapshot(): Ticks {
  const threads = new Map<number, number>();
  for (const tid of fs.readdirSync('/proc/self/task')) {
    const stat = read(`/proc/self/task/${tid}/stat`);
    if (stat) threads.set(Number(tid), ticksOf(stat));
  }
  const postgres = new Map<number, number>();
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = read(`/proc/${pid}/stat`);
    if (stat && commOf(stat) === 'postgres') postgres.set(Number(pid), ticksOf(stat));
  }
  // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest is inside user)
  const [user, nice, system, , , irq, softirq, steal] = read('/proc/stat')!.split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return { threads, postgres, machine: user! + nice! + system! + irq! + softirq! + steal! };
}

/** Ticks each id of `after` gained (a thread or process that started meanwhile: all of its ticks). */
function* gains(before: Map<number, number>, after: Map<number, number>): Generator<[number, number]> {
  for (const [id, t] of after) yield [id, t - (before.get(id) ?? 0)];
}

/**
 * Starts counting; the returned function gives the CPU time spent since, in ms (undefined off
 * Linux). Threads are sorted into the parts at the end, so a load worker that reported its id
 * late still counts as load.
 */
export function startCpuCount(loadThreads: ReadonlySet<number>): () => CpuUse | undefined {
  if (!available) return () => undefined;
  const before = snapshot();
  return () => {
    const after = snapshot();
    const use: CpuUse = { serverMs: 0, loadMs: 0, helpersMs: 0, postgresMs: 0, machineMs: (after.machine - before.machine) * TICK_MS };
    for (const [tid, t] of gains(before.threads, after.threads)) {
      if (tid === process.pid) use.serverMs += t * TICK_MS;
      else if (loadThreads.has(tid)) use.loadMs += t * TICK_MS;
      else use.helpersMs += t * TICK_MS;
    }
    for (const [, t] of gains(before.postgres, after.postgres)) use.postgresMs += t * TICK_MS;
    return use;
  };
}

/** The CPU of several segments per request (or per login): undefined when any is unknown. */
export function cpuPer(uses: (CpuUse | undefined)[], count: number): CpuUse | undefined {
  if (uses.length === 0 || count === 0 || uses.some((u) => u === undefined)) return undefined;
  const sum = { serverMs: 0, loadMs: 0, helpersMs: 0, postgresMs: 0, machineMs: 0 };
  for (const u of uses as CpuUse[]) for (const k of Object.keys(sum) as (keyof CpuUse)[]) sum[k] += u[k];
  return Object.fromEntries(Object.entries(sum).map(([k, v]) => [k, v / count])) as unknown as CpuUse;
}
