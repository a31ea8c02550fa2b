// `npm run bench` (DESIGN §9, issue 9): OTP verify against a bare-Hono baseline, password verify
// against raw argon2id, full widget logins, admin request overhead, admin lists at 1 000 vs
// 100 000 tokens, bundle sizes. Goals are ratios against a baseline measured in the same run,
// never absolute thresholds: absolute numbers depend on the machine, ratios on our code.
//
// Everything runs on 127.0.0.1: the servers under test in this process (main thread), the load
// generator (autocannon) in a worker thread, PostgreSQL from BENCH_DATABASE_URL in a fresh schema
// (dropped afterwards) and in-memory PGlite. Writes bench/results/latest.json and prints tables.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { createKeyRing } from '../server/src/crypto/secretbox.js';
import { ARGON2_PARAMS, hashPassword } from '../server/src/crypto/password.js';
import type { CpuUse } from './cpu-usage.js';
import { benchAdminRequest, type AdminRequestResult, type AdminRequestSettings } from './admin-request.js';
import { measureBundles, type BundlesResult } from './bundles.js';
import { round, startDriver, type LoadDriver } from './driver.js';
import { benchLists, GOAL_RATIO as LISTS_GOAL_RATIO, type ListSettings, type ListsResult } from './lists.js';
import { benchOtpInstances, type OtpInstancesResult } from './otp-instances.js';
import { benchOtpVerify, OTP_GOAL_RATIO, type OtpSettings, type OtpVerifyResult } from './otp-verify.js';
import { benchPasswordVerify, PASSWORD_GOAL_RATIO, type PasswordSettings, type PasswordVerifyResult } from './password-verify.js';
import { seedAuth, userPool } from './seed.js';
import { baselineApp, benchApp, pgliteOnDisk, serveLocal, withDatabases, type DbKind } from './setup.js';
import { benchWidgetLogin, type WidgetLoginResult, type WidgetSettings } from './widget-login.js';

// Sized for < 10 minutes in all on 2 cores (about 5 with both databases).
const USERS = 60_000;
// Segments are bounded by time (and by a request count that the users seeded allow).
// Of the users, OTP verify may use 30 000, password verify 4 000, widget logins 8 000 and the
// two-instance OTP run (PostgreSQL) 9 000 at most.
const otpSettings: OtpSettings = { connections: 16, warmup: 1_000, rounds: 4, segmentMs: 5_000, users: 30_000 };
const instanceSettings = { ...otpSettings, warmup: 500, instanceRounds: 2, instanceUsers: 8_000 };
const passwordSettings: PasswordSettings = { connections: 8, rounds: 4, segmentMs: 3_000, segmentAmount: 1_000 };
const widgetSettings: WidgetSettings = { connections: 16, warmup: 200, rounds: 3, segmentLogins: 2_000, segmentMs: 4_000 };
const adminSettings: AdminRequestSettings = { connections: 16, warmupMs: 1_000, segmentMs: 1_000, rounds: 4 };
// 1 000 vs 100 000 tokens and events (DESIGN §9); 40–90 s for both databases on 2 cores.
const listSettings: ListSettings = { small: 1_000, large: 100_000, requests: 200, warmup: 20, caseBudgetMs: 8_000 };
// Users' passwords: user i has PASSWORDS[i % n], hashed once each at the production parameters.
const PASSWORDS = Array.from({ length: 4 }, (_, i) => `bench password ${i}`);

const postgresUrl = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
// For working on one part: BENCH_ONLY=otp,password (of admin otp password widget lists bundles)
// and BENCH_DATABASES=postgres. A partial run prints its tables but writes no latest.json.
const parts = ['admin', 'otp', 'password', 'widget', 'lists', 'bundles'] as const;
const only = new Set((process.env.BENCH_ONLY ?? '').split(',').filter(Boolean));
const databases = new Set((process.env.BENCH_DATABASES ?? '').split(',').filter(Boolean));
for (const p of only) if (!(parts as readonly string[]).includes(p)) throw new Error(`BENCH_ONLY: unknown part ${p} (${parts.join(' ')})`);
const want = (part: (typeof parts)[number]) => only.size === 0 || only.has(part);
const partial = only.size > 0 || databases.size > 0;
const resultsFile = new URL('./results/latest.json', import.meta.url);

const started = performance.now();
const progress = (line: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s] ${line}`);

const machine = {
  cpuModel: os.cpus()[0]?.model ?? 'unknown',
  cpuCount: os.cpus().length,
  totalMemoryMiB: Math.round(os.totalmem() / 2 ** 20),
  loadAverageAtStart: os.loadavg().map((n) => round(n)),
  node: process.version,
  platform: `${os.platform()} ${os.arch()}`,
  /** Where the PGlite databases were kept (BENCH_PGLITE_DIR=1: on disk, as `veriframe serve` keeps them). */
  pglite: pgliteOnDisk() ? 'data directory' : 'memory',
};
progress(`${machine.cpuCount} × ${machine.cpuModel}, ${machine.totalMemoryMiB} MiB, node ${machine.node}, load ${machine.loadAverageAtStart.join(' ')}`);
progress(`PGlite in ${machine.pglite === 'memory' ? 'memory' : 'a data directory (BENCH_PGLITE_DIR=1)'}`);

interface AuthRun {
  otpVerify?: OtpVerifyResult;
  /** PostgreSQL: one vs two server processes (bench/otp-instances.ts). */
  otpInstances?: OtpInstancesResult;
  passwordVerify?: PasswordVerifyResult;
  widgetLogin?: WidgetLoginResult;
  adminRequest?: AdminRequestResult;
  seedMs: number;
  usersUsed: number;
}

const notes: string[] = [];
progress('argon2id: hashing the bench passwords…');
const passwordHashes = await Promise.all(PASSWORDS.map((p) => hashPassword(p)));

const auth: Partial<Record<DbKind, AuthRun>> = {};
if (['admin', 'otp', 'password', 'widget'].some((p) => want(p as (typeof parts)[number]))) {
  const driver = startDriver();
  try {
    for (const kind of ['pglite', 'postgres'] as const) {
      if (databases.size && !databases.has(kind)) continue;
      const result = await benchAuth(kind, driver);
      if ('skipped' in result) {
        notes.push(`${kind}: skipped — ${result.skipped}`);
        progress(`${kind}: skipped — ${result.skipped}`);
      } else {
        auth[kind] = result;
      }
    }
  } finally {
    await driver.close();
  }
}

let lists: ListsResult | undefined;
if (want('lists')) {
  const listsRun = await benchLists(postgresUrl, listSettings, progress, databases);
  lists = { goalRatio: LISTS_GOAL_RATIO, settings: listSettings, ...(listsRun.pglite ? { pglite: listsRun.pglite } : {}) };
  if (listsRun.postgres && 'skipped' in listsRun.postgres) notes.push(`lists on PostgreSQL skipped — ${listsRun.postgres.skipped}`);
  else if (listsRun.postgres) lists.postgres = listsRun.postgres;
}

let bundles: BundlesResult | undefined;
if (want('bundles')) {
  progress('bundles: gzip -9…');
  bundles = measureBundles(progress);
}

// The goals are stated for PostgreSQL; without it the headline figures are PGlite's.
const headline: DbKind = auth.postgres ? 'postgres' : 'pglite';
const head = auth[headline];
const byDatabase = <K extends keyof AuthRun>(key: K) =>
  Object.fromEntries(Object.entries(auth).flatMap(([kind, r]) => (r[key] === undefined ? [] : [[kind, r[key]]]))) as Partial<
    Record<DbKind, NonNullable<AuthRun[K]>>
  >;

const results = {
  date: new Date().toISOString(),
  otpVerify: head?.otpVerify && {
    database: headline,
    ...head.otpVerify,
    goal: OTP_GOAL_RATIO,
    withinGoal: head.otpVerify.ratio >= OTP_GOAL_RATIO,
    byDatabase: byDatabase('otpVerify'),
    settings: otpSettings,
    ...(auth.postgres?.otpInstances ? { postgresInstances: { ...auth.postgres.otpInstances, settings: instanceSettings } } : {}),
  },
  passwordVerify: head?.passwordVerify && {
    database: headline,
    ...head.passwordVerify,
    goal: PASSWORD_GOAL_RATIO,
    withinGoal: head.passwordVerify.ratio >= PASSWORD_GOAL_RATIO,
    byDatabase: byDatabase('passwordVerify'),
    settings: passwordSettings,
  },
  widgetLogin: head?.widgetLogin && { database: headline, ...head.widgetLogin, byDatabase: byDatabase('widgetLogin'), settings: widgetSettings },
  lists: lists && { ...lists, withinGoal: [lists.pglite, lists.postgres].every((r) => !r || r.withinGoal) },
  bundles,
  adminRequest: head?.adminRequest && { ...byDatabase('adminRequest'), settings: adminSettings },
  seeding: { users: USERS, ...Object.fromEntries(Object.entries(auth).map(([kind, r]) => [kind, { seedMs: r.seedMs, usersUsed: r.usersUsed }])) },
  machine,
  durationSeconds: (performance.now() - started) / 1000,
  notes,
};
if (partial) {
  progress('done (partial run: bench/results/latest.json left as it was)');
} else {
  if (!head) throw new Error('no database could be benchmarked');
  fs.mkdirSync(new URL('.', resultsFile), { recursive: true });
  // Three decimals are more than these measurements can tell apart.
  fs.writeFileSync(resultsFile, `${JSON.stringify(results, (_k, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? round(v, 3) : v), 2)}\n`);
  progress('done, wrote bench/results/latest.json');
}
printTables();

/** Seeds one database and runs the authentication benchmarks on it, the app and baseline served side by side. */
async function benchAuth(kind: DbKind, driver: LoadDriver) {
  return withDatabases(kind, postgresUrl, 1, async ([bench]) => {
    const { db } = bench!.handle;
    const masterKey = randomBytes(32);
    const { seed, users } = await seedAuth(db, createKeyRing(masterKey), USERS, passwordHashes, kind, progress);
    // The users (and their secrets) live in the load worker only: 50 000 objects in the server's
    // heap would make every garbage collection of the server under test slower.
    driver.setUsers(users);
    // The two-instance run drives its second process from a load generator of its own.
    const second = kind === 'postgres' && want('otp') ? startDriver() : undefined;
    second?.setUsers(users);
    users.length = 0;
    const app = await serveLocal(benchApp(db, bench!.url, masterKey).fetch);
    const baseline = await serveLocal(baselineApp(db).fetch);
    try {
      const env = { kind, driver, seed, pool: userPool(seed.userCount), appOrigin: app.origin, baselineOrigin: baseline.origin };
      const run: AuthRun = { seedMs: seed.seedMs, usersUsed: 0 };
      if (want('admin')) run.adminRequest = await benchAdminRequest({ ...env, db }, adminSettings, progress);
      if (want('otp')) run.otpVerify = await benchOtpVerify(env, otpSettings, progress);
      if (second && bench!.schema) {
        const opts = { seed, pool: env.pool, drivers: [driver, second] as [LoadDriver, LoadDriver], url: bench!.url, schema: bench!.schema, masterKey };
        run.otpInstances = await benchOtpInstances(opts, instanceSettings, progress);
      }
      if (want('password')) run.passwordVerify = await benchPasswordVerify(env, passwordHashes[0]!, PASSWORDS[0]!, PASSWORDS, passwordSettings, progress);
      if (want('widget')) run.widgetLogin = await benchWidgetLogin(env, widgetSettings, progress);
      run.usersUsed = env.pool.used;
      return run;
    } finally {
      await second?.close();
      await app.close();
      await baseline.close();
    }
  });
}

function printTables() {
  const ms = (n: number) => n.toFixed(2);
  const int = (n: number) => Math.round(n).toLocaleString('en-US');
  const kB = (n: number) => `${(n / 1000).toFixed(2)} kB`;
  const goal = (ok: boolean) => (ok ? 'yes' : 'NO');
  const rows = <K extends 'otpVerify' | 'passwordVerify' | 'widgetLogin' | 'adminRequest'>(
    key: K,
    row: (name: string, r: NonNullable<AuthRun[K]>) => string[],
  ) => Object.entries(auth).flatMap(([name, run]) => (run[key] ? [row(name, run[key]!)] : []));

  if (results.otpVerify) {
    console.log(
      `\nOTP verify: POST /auth/{r}/user-token (fresh user and valid code per request) vs bare Hono + one UPDATE … RETURNING (${otpSettings.connections} connections, ${otpSettings.rounds} interleaved segments a side; goal ratio ≥ ${OTP_GOAL_RATIO})`,
    );
    table(
      ['database', 'rps', 'p50 ms', 'p99 ms', 'baseline rps', 'base p50', 'base p99', 'ratio', 'goal'],
      rows('otpVerify', (name, r) => [
        name,
        int(r.rps),
        ms(r.p50Ms),
        ms(r.p99Ms),
        int(r.baselineRps),
        ms(r.baselineP50Ms),
        ms(r.baselineP99Ms),
        r.ratio.toFixed(2),
        goal(r.ratio >= OTP_GOAL_RATIO),
      ]),
    );
  }
  const instances = auth.postgres?.otpInstances;
  if (instances) {
    console.log(
      `\nOTP verify on server processes sharing one PostgreSQL (bench/instance.ts; ${otpSettings.connections} connections in all, ${instanceSettings.instanceRounds} interleaved segments a side)`,
    );
    table(
      ['processes', 'rps', 'p50 ms', 'p99 ms', 'requests'],
      (['one', 'two'] as const).map((k) => [k, int(instances[k].rps), ms(instances[k].p50Ms), ms(instances[k].p99Ms), int(instances[k].requests)]),
    );
    console.log(`two / one: ${instances.scaling.toFixed(2)}`);
  }
  if (results.passwordVerify) {
    const p = ARGON2_PARAMS;
    console.log(
      `\nPassword verify: POST /auth/{r}/password vs raw argon2id verifications in this process (m=${p.memoryCost} KiB, t=${p.timeCost}, p=${p.parallelism}; ${passwordSettings.connections} in flight; goal ratio ≥ ${PASSWORD_GOAL_RATIO})`,
    );
    table(
      ['database', 'rps', 'p50 ms', 'p99 ms', 'argon2id/s', 'ms/hash', 'ratio', 'goal'],
      rows('passwordVerify', (name, r) => [
        name,
        r.rps.toFixed(1),
        ms(r.p50Ms),
        ms(r.p99Ms),
        r.rawHashesPerSec.toFixed(1),
        ms(r.rawMsPerHash),
        r.ratio.toFixed(2),
        goal(r.ratio >= PASSWORD_GOAL_RATIO),
      ]),
    );
  }
  if (results.widgetLogin) {
    console.log(`\nWidget login: start → identify → otp (JWT) → /api/v1/verify, OTP-only resource (${widgetSettings.connections} logins in flight)`);
    table(
      ['database', 'logins/s', 'p50 ms', 'p99 ms', 'requests/s', 'logins'],
      rows('widgetLogin', (name, r) => [name, r.loginsPerSec.toFixed(1), ms(r.p50Ms), ms(r.p99Ms), int(r.rps), int(r.logins)]),
    );
  }
  if (results.adminRequest) {
    console.log(
      `\nAdmin request: GET /api/v1/admins/me vs bare Hono + one SELECT (${adminSettings.connections} connections, ${adminSettings.rounds} × ${adminSettings.segmentMs / 1000} s a side, interleaved)`,
    );
    table(
      ['database', 'rps', 'p50 ms', 'p99 ms', 'baseline rps', 'base p50', 'base p99', 'ratio'],
      rows('adminRequest', (name, r) => [
        name,
        int(r.rps),
        ms(r.p50Ms),
        ms(r.p99Ms),
        int(r.baselineRps),
        ms(r.baselineP50Ms),
        ms(r.baselineP99Ms),
        r.ratio.toFixed(2),
      ]),
    );
  }
  printCpuTable();
  if (lists) {
    console.log(
      `\nLists at scale: p50/p90 of in-process GET requests, ${int(listSettings.small)} vs ${int(listSettings.large)} tokens and events ` +
        `(${listSettings.requests} requests per case and size, alternating; goal: ratio ≤ ${LISTS_GOAL_RATIO})`,
    );
    const listDbs = Object.entries({ pglite: lists.pglite, postgres: lists.postgres }).filter(
      (e): e is [string, NonNullable<(typeof e)[1]>] => e[1] !== undefined,
    );
    table(
      ['database', 'case', `request (at ${int(listSettings.large)})`, 'p50 1k', 'p90 1k', 'p50 100k', 'p90 100k', 'ratio', 'goal'],
      listDbs.flatMap(([name, r]) =>
        Object.entries(r.cases).map(([caseName, c]) => [
          name,
          caseName,
          c.path,
          ms(c.small.p50Ms),
          ms(c.small.p90Ms),
          ms(c.large.p50Ms),
          ms(c.large.p90Ms),
          c.ratio.toFixed(2),
          !c.counted ? 'n/a' : goal(c.ratio <= LISTS_GOAL_RATIO),
        ]),
      ),
      3,
    );
    console.log('tokensDeepOffset is not counted: OFFSET reads every row it skips, so a page deep in the list costs O(start) on any index.');
    for (const [name, r] of listDbs) {
      console.log(
        `${name}: deep page / first page at ${int(listSettings.large)} tokens: by cursor ${r.deepPage.cursor.toFixed(2)} (goal ≤ ${LISTS_GOAL_RATIO}), by start ${r.deepPage.offset.toFixed(2)}`,
      );
    }
  }
  if (bundles) {
    console.log(`\nBundles (${bundles.dir}${bundles.built ? ', built by this run' : ''}, gzip -9)`);
    table(
      ['file', 'raw', 'gzip', 'budget', 'ok'],
      [
        ...Object.entries(bundles.files).map(([name, b]) => [
          name,
          kB(b.bytes),
          kB(b.gzipBytes),
          b.budgetGzipBytes ? kB(b.budgetGzipBytes) : '-',
          b.withinBudget === undefined ? '-' : goal(b.withinBudget),
        ]),
        ...bundles.missing.map((name) => [name, '-', '-', 'n/a', 'not built']),
      ],
    );
  }
  console.log(
    `\nMachine: ${machine.cpuCount} × ${machine.cpuModel}, ${machine.totalMemoryMiB} MiB, node ${machine.node}, ${machine.platform}; ${results.durationSeconds.toFixed(0)} s in all`,
  );
  for (const note of notes) console.log(`Note: ${note}`);
}

function table(head: string[], rows: string[][], textColumns = 1) {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  // The first `textColumns` columns left-aligned (names), the rest right-aligned (numbers).
  const line = (cells: string[]) => cells.map((c, i) => (i < textColumns ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

/** Where each measured request's CPU went (bench/cpu-usage.ts), beside its baseline's. */
function printCpuTable() {
  const rows: string[][] = [];
  const ms = (n: number) => n.toFixed(2);
  const row = (db: string, what: string, per: string, u: CpuUse) => [
    db,
    what,
    per,
    ms(u.serverMs),
    ms(u.loadMs),
    ms(u.helpersMs),
    ms(u.postgresMs),
    ms(u.machineMs),
  ];
  // The app's row, then its baseline's with the ratio of their machine CPU.
  const pair = (db: string, what: string, app: CpuUse | undefined, base: CpuUse | undefined, baseName: string, basePer: string) => {
    if (!app || !base) return;
    rows.push(row(db, what, 'request', app), [...row(db, baseName, basePer, base), (base.machineMs / app.machineMs).toFixed(2)]);
  };
  for (const [db, r] of Object.entries(auth)) {
    const { otpVerify: otp, passwordVerify: password, adminRequest: admin } = r;
    pair(db, 'OTP verify', otp?.cpuMsPerRequest?.app, otp?.cpuMsPerRequest?.baseline, 'baseline', 'request');
    pair(db, 'password verify', password?.cpuMsPerRequest?.app, password?.cpuMsPerRequest?.raw, 'raw argon2id', 'hash');
    if (r.widgetLogin?.cpuMsPerLogin) rows.push(row(db, 'widget login', 'login', r.widgetLogin.cpuMsPerLogin));
    pair(db, 'admin request', admin?.cpuMsPerRequest?.app, admin?.cpuMsPerRequest?.baseline, 'baseline', 'request');
  }
  if (!rows.length) return;
  console.log(
    "\nCPU per request in ms, by who spent it (bench/cpu-usage.ts; /proc, this machine): the server's main thread, the load generator, " +
      "this process's other threads (garbage collector, libuv pool: argon2id), PostgreSQL's processes, and the whole machine busy. " +
      "On a machine the load saturates, a ratio is roughly the baseline's machine CPU over the app's (last column).",
  );
  table(
    ['database', 'measure', 'per', 'server', 'load', 'helpers', 'postgres', 'machine', 'machine ratio'],
    rows.map((r) => (r.length < 9 ? [...r, ''] : r)),
  );
}
