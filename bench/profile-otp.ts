// Where an OTP verification's time goes (bench/README.md): the server-to-server OTP check run one
// request at a time (no queueing, so each figure is the work itself), in process (no HTTP
// socket), with every SQL statement timed from the executor's call to its result. Beside it the
// baseline's one UPDATE, timed the same way.
//   node --import tsx bench/profile-otp.ts            # PGlite and PostgreSQL (BENCH_DATABASE_URL)
//   PROFILE_UNLOGGED_THROTTLE=1 BENCH_DATABASES=postgres node --import tsx bench/profile-otp.ts
//   BENCH_DATABASES=pglite-unprepared,pglite node --import tsx bench/profile-otp.ts
//   PROFILE_CPU=.tmp/prof BENCH_DATABASES=pglite node --import tsx bench/profile-otp.ts
//   BENCH_DATABASES=pglite-file-unprepared,pglite-file node --import tsx bench/profile-otp.ts
//   PROFILE_SQL='alter table events disable trigger events_count_insert' BENCH_DATABASES=pglite …
// `pglite-unprepared` is PGlite with every statement sent through its query() (no prepared
// statements: the state before pglite-prepared.ts), for a before/after in one run.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createKeyRing } from '../server/src/crypto/secretbox.js';
import { hashPassword } from '../server/src/crypto/password.js';
import { totp } from '../server/src/otp/index.js';
import { cpuProfile } from './cpu-profile.js';
import { seedAuth } from './seed.js';
import { median, timeStatements, type Timings } from './statement-timer.js';
import { baselineApp, benchApp, withDatabases, type DbKind } from './setup.js';

const USERS = 3_000;
const WARMUP = 500;
const postgresUrl = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

/** The OTP check's statements by what they do. */
const otpLabel = (text: string) =>
  /auth_throttle/.test(text) && /resource_user_tokens/.test(text)
    ? 'reserve + read user/token'
    : /insert into "events"/.test(text)
      ? /auth_throttle/.test(text)
        ? 'consume + events + release'
        : 'consume + events'
      : /"filters"/.test(text)
        ? 'resource + filters'
        : text.slice(0, 40);

type ProfileKind = DbKind | 'pglite-unprepared' | 'pglite-file' | 'pglite-file-unprepared';

async function profile(label: ProfileKind) {
  const kind: DbKind = label.startsWith('pglite') ? 'pglite' : 'postgres';
  // On a data directory, as `veriframe serve` runs it by default (removed afterwards).
  const dataDir = label.startsWith('pglite-file') ? await fs.mkdtemp(path.join(os.tmpdir(), 'vf-profile-')) : undefined;
  if (dataDir) process.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  return withDatabases(
    kind,
    postgresUrl,
    1,
    async ([bench]) => {
      const { db } = bench!.handle;
      const masterKey = randomBytes(32);
      const { seed, users } = await seedAuth(db, createKeyRing(masterKey), USERS, [await hashPassword('x')], kind, () => {});
      // An experiment, not a configuration: how much of the reservation is its commit's WAL flush.
      if (process.env.PROFILE_UNLOGGED_THROTTLE === '1') await sql`alter table auth_throttle set unlogged`.execute(db);
      // Experiments too: statements run once after seeding (`;`-separated), e.g. an index dropped.
      for (const s of (process.env.PROFILE_SQL ?? '').split(';').filter((x) => x.trim())) await sql.raw(s).execute(db);
      const timings: { current?: Timings } = {};
      timeStatements(db, timings, otpLabel);
      const app = benchApp(db, bench!.url, masterKey);
      const baseline = baselineApp(db);
      const measure = async (n: number, from: number, call: (i: number) => Response | Promise<Response>) => {
        const t: Timings = new Map();
        timings.current = t;
        const totals: number[] = [];
        for (let i = from; i < from + n; i++) {
          const started = performance.now();
          const res = await call(i);
          totals.push(performance.now() - started);
          if (!(await res.json()).result) throw new Error(`request ${i} failed`);
        }
        timings.current = undefined;
        return { totals, t };
      };
      const code = (i: number) => totp(users[i]!.secret, Date.now(), { algorithm: 'SHA1', digits: 6, period: 30 });
      const otp = (i: number) =>
        app.request(`/api/v1/auth/${seed.resourceId}/user-token`, {
          method: 'POST',
          headers: { authorization: seed.authorization, 'content-type': 'application/json' },
          body: JSON.stringify({ login: users[i]!.login, otp: code(i), ip: `10.0.${(i >> 8) & 255}.${i & 255}` }),
        });
      const base = (i: number) =>
        baseline.request('/baseline/otp', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ tokenId: users[i]!.tokenId }),
        });
      await measure(WARMUP, 0, otp);
      await measure(WARMUP, 0, base);
      const n = USERS - WARMUP;
      const stopProfile = await cpuProfile(process.env.PROFILE_CPU, label);
      const a = await measure(n, WARMUP, otp);
      await stopProfile();
      const b = await measure(n, WARMUP, base);
      const row = (name: string, xs: number[]) => `  ${name.padEnd(30)} ${xs.length.toString().padStart(6)} × median ${median(xs).toFixed(3)} ms`;
      console.log(`\n${label}: user-token, one request at a time: median ${median(a.totals).toFixed(3)} ms per request`);
      for (const [step, xs] of a.t) console.log(row(step, xs));
      console.log(`${label}: baseline: median ${median(b.totals).toFixed(3)} ms per request`);
      for (const [step, xs] of b.t) console.log(row(step, xs));
      // Whether PostgreSQL plans each run of a prepared statement anew (custom plans) or reuses one.
      if (!label.endsWith('-unprepared')) {
        const plans = await sql<{ statement: string; genericPlans: string; customPlans: string }>`
          select statement, generic_plans, custom_plans from pg_prepared_statements order by generic_plans + custom_plans desc limit 5`.execute(db);
        for (const p of plans.rows)
          console.log(`  plans: ${p.genericPlans} generic, ${p.customPlans} custom — ${p.statement.replace(/\s+/g, ' ').slice(0, 70)}`);
      }
    },
    { preparePglite: !label.endsWith('-unprepared'), ...(dataDir ? { pgliteDataDir: dataDir } : {}) },
  );
}

for (const kind of (process.env.BENCH_DATABASES ?? 'pglite,postgres').split(',') as ProfileKind[]) {
  const r = await profile(kind);
  if (r && typeof r === 'object' && 'skipped' in r) console.log(`${kind}: skipped — ${r.skipped}`);
}
