// Where a widget login's time goes (bench/README.md, issue 17): the OTP-only sign-in of
// bench/widget-login.ts — the iframe page, start, identify, otp (answered with the result JWT) and
// the site backend's verify — run one login at a time (no queueing, so each figure is the work
// itself), in process (no HTTP socket), with every SQL statement timed from the executor's call
// to its result and counted per step.
//   node --import tsx bench/profile-widget.ts        # PGlite and PostgreSQL (BENCH_DATABASE_URL)
//   BENCH_DATABASES=postgres PROFILE_LOGINS=2000 node --import tsx bench/profile-widget.ts
import { randomBytes } from 'node:crypto';
import { createKeyRing } from '../server/src/crypto/secretbox.js';
import { hashPassword } from '../server/src/crypto/password.js';
import { totp } from '../server/src/otp/index.js';
import { BENCH_SITE, seedAuth } from './seed.js';
import { BENCH_PUBLIC_URL, benchApp, withDatabases, type DbKind } from './setup.js';
import { median, timeStatements, type Timings } from './statement-timer.js';

const LOGINS = Number(process.env.PROFILE_LOGINS ?? 1_500);
const WARMUP = 300;
const postgresUrl = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

/** The Node adapter's bindings as a request through the trusted proxy (127.0.0.1) would have them. */
const PROXY = { incoming: { socket: { remoteAddress: '127.0.0.1', remotePort: 40000, remoteFamily: 'IPv4' } } };

const STEPS = ['page', 'start', 'identify', 'otp', 'verify'] as const;
type StepName = (typeof STEPS)[number];

async function profile(kind: DbKind) {
  return withDatabases(kind, postgresUrl, 1, async ([bench]) => {
    const { db } = bench!.handle;
    const masterKey = randomBytes(32);
    const { seed, users } = await seedAuth(db, createKeyRing(masterKey), LOGINS + WARMUP, [await hashPassword('x')], kind, () => {});
    const timings: { current?: Timings } = {};
    timeStatements(db, timings);
    const app = benchApp(db, bench!.url, masterKey);
    const perStep = new Map<StepName, { totals: number[]; t: Timings }>(STEPS.map((s) => [s, { totals: [], t: new Map() }]));
    const json = { 'content-type': 'application/json', origin: new URL(BENCH_PUBLIC_URL).origin };
    const login = async (i: number, measured: boolean) => {
      const client = { ...json, 'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` };
      const nonce = `profile-${i}`;
      const step = async (name: StepName, call: () => Response | Promise<Response>) => {
        const bucket = perStep.get(name)!;
        timings.current = measured ? bucket.t : undefined;
        const started = performance.now();
        const res = await call();
        const body = name === 'page' ? await res.text() : await res.json();
        if (measured) bucket.totals.push(performance.now() - started);
        timings.current = undefined;
        if (res.status !== 200) throw new Error(`${name} of login ${i}: HTTP ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
        return body;
      };
      const post = (path: string, body: object, headers: Record<string, string> = client) =>
        app.request(path, { method: 'POST', headers, body: JSON.stringify(body) }, PROXY);
      await step('page', () =>
        app.request(
          `/widget/${seed.resourceId}?origin=${encodeURIComponent(BENCH_SITE)}&instance=vf-profile`,
          { headers: { 'x-forwarded-for': client['x-forwarded-for'] } },
          PROXY,
        ),
      );
      const started = await step('start', () => post('/widget/api/start', { resourceId: seed.resourceId, origin: BENCH_SITE, nonce, instance: 'vf-profile' }));
      const u = users[i]!;
      await step('identify', () => post('/widget/api/identify', { transaction: started.transaction, login: u.login }));
      const code = totp(u.secret, Date.now(), { algorithm: 'SHA1', digits: 6, period: 30 });
      const done = await step('otp', () => post('/widget/api/otp', { transaction: started.transaction, otp: code }));
      const verified = await step('verify', () =>
        post('/api/v1/verify', { token: done.token, nonce }, { 'content-type': 'application/json', authorization: seed.authorization }),
      );
      if (verified.valid !== true) throw new Error(`verify of login ${i}: ${JSON.stringify(verified)}`);
    };
    for (let i = 0; i < WARMUP; i++) await login(i, false);
    for (let i = WARMUP; i < WARMUP + LOGINS; i++) await login(i, true);

    let whole = 0;
    let statements = 0;
    console.log(`\n${kind}: OTP-only widget login, one at a time, ${LOGINS} logins (medians)`);
    for (const [name, { totals, t }] of perStep) {
      const n = [...t.values()].reduce((sum, xs) => sum + xs.length, 0) / LOGINS;
      whole += median(totals);
      statements += n;
      console.log(`  ${name.padEnd(9)} ${median(totals).toFixed(3).padStart(7)} ms  ${n.toFixed(2)} statements`);
      for (const [label, xs] of t) {
        console.log(`      ${label.padEnd(48)} ${(xs.length / LOGINS).toFixed(2)} × ${median(xs).toFixed(3)} ms`);
      }
    }
    console.log(`  sum of step medians ${whole.toFixed(3)} ms, ${statements.toFixed(2)} statements per login`);
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const kind of (process.env.BENCH_DATABASES ?? 'pglite,postgres').split(',') as DbKind[]) {
    const r = await profile(kind);
    if (r && typeof r === 'object' && 'skipped' in r) console.log(`${kind}: skipped — ${r.skipped}`);
  }
}
