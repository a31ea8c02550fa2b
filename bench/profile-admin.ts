// Where an admin request's time goes (bench/README.md, issue 17): GET /api/v1/admins/me through
// the whole application and the bare-Hono GET /baseline (bench/setup.ts: hash the key, one
// indexed SELECT) run one request at a time, alternately, in process (no HTTP socket), with every
// SQL statement timed from the executor's call to its result. What the app costs beyond the
// baseline is the middleware chain and the route.
//   node --import tsx bench/profile-admin.ts          # PGlite and PostgreSQL (BENCH_DATABASE_URL)
//   node --cpu-prof --cpu-prof-dir=.tmp/prof --import tsx bench/profile-admin.ts
import { randomBytes } from 'node:crypto';
import { ensureBootstrapKey } from '../server/src/admins/keys-service.js';
import { baselineApp, benchApp, withDatabases, type DbKind } from './setup.js';
import { median, timeStatements, type Timings } from './statement-timer.js';

const REQUESTS = Number(process.env.PROFILE_REQUESTS ?? 5_000);
const WARMUP = 1_000;
const postgresUrl = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

async function profile(kind: DbKind) {
  return withDatabases(kind, postgresUrl, 1, async ([bench]) => {
    const { db } = bench!.handle;
    const apiKey = `vf_${randomBytes(32).toString('base64url')}`;
    await ensureBootstrapKey(db, apiKey);
    const timings: { current?: Timings } = {};
    timeStatements(db, timings);
    const app = benchApp(db, bench!.url);
    const baseline = baselineApp(db);
    const headers = { authorization: `Bearer ${apiKey}` };
    const sides = {
      app: { call: () => app.request('/api/v1/admins/me', { headers }), totals: [] as number[], t: new Map() as Timings },
      baseline: { call: () => baseline.request('/baseline', { headers }), totals: [] as number[], t: new Map() as Timings },
    };
    for (let i = 0; i < WARMUP + REQUESTS; i++) {
      for (const side of Object.values(sides)) {
        const measured = i >= WARMUP;
        timings.current = measured ? side.t : undefined;
        const started = performance.now();
        const res = await side.call();
        await res.arrayBuffer();
        if (measured) side.totals.push(performance.now() - started);
        timings.current = undefined;
        if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
      }
    }
    console.log(`\n${kind}: one request at a time, ${REQUESTS} each, alternating (medians)`);
    for (const [name, { totals, t }] of Object.entries(sides)) {
      const inStatements = [...t.values()].reduce((sum, xs) => sum + (median(xs) * xs.length) / REQUESTS, 0);
      console.log(`  ${name.padEnd(9)} ${median(totals).toFixed(3)} ms per request, of which statements ≈ ${inStatements.toFixed(3)} ms`);
      for (const [label, xs] of t) console.log(`      ${label.padEnd(40)} ${(xs.length / REQUESTS).toFixed(2)} × ${median(xs).toFixed(3)} ms`);
    }
    console.log(`  ratio of medians (baseline / app): ${(median(sides.baseline.totals) / median(sides.app.totals)).toFixed(2)}`);
  });
}

for (const kind of (process.env.BENCH_DATABASES ?? 'pglite,postgres').split(',') as DbKind[]) {
  const r = await profile(kind);
  if (r && typeof r === 'object' && 'skipped' in r) console.log(`${kind}: skipped — ${r.skipped}`);
}
