// `npm run bench`: admin request overhead, admin lists at scale, argon2id, bundle sizes.
// Results are ratios against a baseline measured in the same run, never absolute thresholds:
// absolute numbers depend on the machine, ratios on our code.
import fs from 'node:fs';
import os from 'node:os';
import { benchPglite, benchPostgres, type AdminRequestResult, type LoadSettings } from './admin-request.js';
import { benchArgon2 } from './argon2.js';
import { measureBundles } from './bundles.js';
import { benchLists, GOAL_RATIO, type ListSettings, type ListsResult } from './lists.js';
import { startDriver } from './load.js';

const load: LoadSettings = { concurrency: 16, warmupMs: 500, segmentMs: 1000, rounds: 4 };
// 1 000 vs 100 000 tokens and events (DESIGN §9); 40–90 s for both databases on 2 cores.
const listSettings: ListSettings = { small: 1_000, large: 100_000, requests: 200, warmup: 20, caseBudgetMs: 8_000 };
const ARGON2_MS = 2000;
const ARGON2_LANES = 4;
const postgresUrl = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const resultsFile = new URL('./results/latest.json', import.meta.url);

const started = performance.now();
const progress = (line: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s] ${line}`);

const machine = {
  cpuModel: os.cpus()[0]?.model ?? 'unknown',
  cpuCount: os.cpus().length,
  totalMemoryMiB: Math.round(os.totalmem() / 2 ** 20),
  node: process.version,
  platform: `${os.platform()} ${os.arch()}`,
};
progress(`${machine.cpuCount} × ${machine.cpuModel}, ${machine.totalMemoryMiB} MiB, node ${machine.node}`);

const notes: string[] = [];
const driver = startDriver();
let adminRequest: { pglite: AdminRequestResult; postgres?: AdminRequestResult };
try {
  adminRequest = { pglite: await benchPglite(driver, load, progress) };
  const pgResult = await benchPostgres(postgresUrl, driver, load, progress);
  if ('skipped' in pgResult) {
    notes.push(pgResult.skipped);
    progress(`postgres: skipped — ${pgResult.skipped}`);
  } else {
    adminRequest.postgres = pgResult;
  }
} finally {
  await driver.close();
}

const listsRun = await benchLists(postgresUrl, listSettings, progress);
const lists: ListsResult = { goalRatio: GOAL_RATIO, settings: listSettings, pglite: listsRun.pglite };
if ('skipped' in listsRun.postgres) notes.push(`lists on PostgreSQL skipped — ${listsRun.postgres.skipped}`);
else lists.postgres = listsRun.postgres;

const argon2 = await benchArgon2(ARGON2_MS, ARGON2_LANES, progress);
progress('bundles: gzip -9…');
const bundles = measureBundles(progress);

const results = { adminRequest, lists, argon2, bundles, machine, notes, date: new Date().toISOString() };
fs.mkdirSync(new URL('.', resultsFile), { recursive: true });
fs.writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
progress(`done, wrote bench/results/latest.json`);

printTables();

function printTables() {
  const ms = (n: number) => n.toFixed(2);
  const int = (n: number) => Math.round(n).toLocaleString('en-US');
  const kB = (n: number) => `${(n / 1000).toFixed(2)} kB`;

  console.log(`\nAdmin request: GET /api/v1/admins/me vs bare Hono + one SELECT (concurrency ${load.concurrency}, ${load.rounds} × ${load.segmentMs / 1000} s each, interleaved)`);
  table(
    ['database', 'rps', 'p50 ms', 'p99 ms', 'baseline rps', 'base p50', 'base p99', 'ratio'],
    Object.entries(adminRequest).map(([name, r]) => [
      name, int(r.rps), ms(r.p50Ms), ms(r.p99Ms), int(r.baselineRps), ms(r.baselineP50Ms), ms(r.baselineP99Ms), r.ratio.toFixed(2),
    ]),
  );

  console.log(
    `\nLists at scale: p50/p90 of in-process GET requests, ${int(listSettings.small)} vs ${int(listSettings.large)} tokens and events ` +
      `(${listSettings.requests} requests per case and size, alternating; goal: ratio ≤ ${GOAL_RATIO})`,
  );
  const dbs = Object.entries({ pglite: lists.pglite, postgres: lists.postgres }).filter((e): e is [string, NonNullable<typeof e[1]>] => e[1] !== undefined);
  table(
    ['database', 'case', `request (at ${int(listSettings.large)})`, 'p50 1k', 'p90 1k', 'p50 100k', 'p90 100k', 'ratio', 'goal'],
    dbs.flatMap(([name, r]) =>
      Object.entries(r.cases).map(([caseName, c]) => [
        name, caseName, c.path, ms(c.small.p50Ms), ms(c.small.p90Ms), ms(c.large.p50Ms), ms(c.large.p90Ms), c.ratio.toFixed(2),
        !c.counted ? 'n/a' : c.ratio <= GOAL_RATIO ? 'yes' : 'NO',
      ]),
    ),
    3,
  );
  console.log('tokensDeepOffset is not counted: OFFSET reads every row it skips, so a page deep in the list costs O(start) on any index.');

  const p = argon2.params;
  console.log(`\nargon2id (m=${p.memoryCost} KiB, t=${p.timeCost}, p=${p.parallelism})`);
  table(
    ['mode', 'hashes', 'hashes/s', 'ms/hash'],
    [
      ['sequential', String(argon2.sequential.hashes), argon2.sequential.hashesPerSec.toFixed(1), ms(argon2.sequential.msPerHash)],
      [`${argon2.parallel.lanes} parallel`, String(argon2.parallel.hashes), argon2.parallel.hashesPerSec.toFixed(1), ms(argon2.parallel.msPerHash)],
    ],
  );
  console.log(`parallel speed-up ×${argon2.parallelSpeedup.toFixed(2)}`);

  console.log(`\nBundles (${bundles.dir}${bundles.built ? ', built by this run' : ''}, gzip -9)`);
  table(
    ['file', 'raw', 'gzip', 'budget', 'ok'],
    [
      ...Object.entries(bundles.files).map(([name, b]) => [
        name, kB(b.bytes), kB(b.gzipBytes), b.budgetGzipBytes ? kB(b.budgetGzipBytes) : '-', b.withinBudget === undefined ? '-' : b.withinBudget ? 'yes' : 'NO',
      ]),
      ...bundles.missing.map((name) => [name, '-', '-', 'n/a', 'not built']),
    ],
  );

  console.log(`\nMachine: ${machine.cpuCount} × ${machine.cpuModel}, ${machine.totalMemoryMiB} MiB, node ${machine.node}, ${machine.platform}`);
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
