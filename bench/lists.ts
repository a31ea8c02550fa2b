// Lists at scale (DESIGN §9, issue 9): admin list endpoints must answer in the same time with
// 100 000 tokens as with 1 000. Two databases of the same engine are seeded side by side, one
// with 1 000 tokens and events, one with 100 000, each behind its own instance of the real app;
// the same requests then alternate between them and the result is the ratio of the p50
// latencies. Alternating (rather than measuring 1 000, growing, measuring 100 000) makes the
// ratio immune to the machine's other load drifting during the run. Requests go through the app
// in-process (`app.request`), one at a time, so the numbers are the route's and the database's
// work, not an HTTP stack's or a queue's.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { insertAdmin } from '../server/src/admins/repository.js';
import { createApiKey, ensureBootstrapKey } from '../server/src/admins/keys-service.js';
import type { DatabaseHandle, Db } from '../server/src/db/index.js';
import { benchApp, withDatabases, type DbKind, type Progress } from './setup.js';

export interface ListSettings {
  /** Tokens (and as many events) in the small database. */
  small: number;
  /** Tokens (and as many events) in the large database. */
  large: number;
  /** Measured requests per case and size (the deep-offset case gets a quarter of them). */
  requests: number;
  /** Unmeasured requests per case and size before measuring. */
  warmup: number;
  /** A case stops early after this much measured time per size, so a slow (unindexed) case cannot stall the run. */
  caseBudgetMs: number;
}

export interface Timing {
  requests: number;
  p50Ms: number;
  p90Ms: number;
}

export interface ListCaseResult {
  /** The first measured request against the large database (start and search vary per request where noted). */
  path: string;
  small: Timing;
  large: Timing;
  /** p50(large) / p50(small). */
  ratio: number;
  /** Whether the case counts for the goal (a deep OFFSET is O(offset) by nature and does not). */
  counted: boolean;
}

export interface ListsDbResult {
  small: number;
  large: number;
  seedMs: number;
  cases: Record<string, ListCaseResult>;
  /** The largest ratio of the counted cases. */
  maxRatio: number;
  /**
   * A page in the middle of the large list / its first page (p50): by keyset cursor (the goal,
   * ≤ GOAL_RATIO) and by `start` (OFFSET, reported).
   */
  deepPage: { cursor: number; offset: number };
  withinGoal: boolean;
}

export interface ListsResult {
  goalRatio: number;
  settings: ListSettings;
  pglite?: ListsDbResult;
  postgres?: ListsDbResult;
}

export const GOAL_RATIO = 1.5;
// Rows per seeding INSERT.
const SEED_BATCH = 10_000;
// Resource administrator's view: a fixed set of assigned tokens, whatever the table holds.
const SCOPED_TOKENS = 100;

const serial = (i: number) => `SN-${String(i).padStart(6, '0')}`;

/** PGlite in memory, then PostgreSQL in fresh schemas (skipped with a reason when unreachable). */
export async function benchLists(
  postgresUrl: string,
  settings: ListSettings,
  progress: Progress,
  only: ReadonlySet<string> = new Set(),
): Promise<{ pglite?: ListsDbResult; postgres?: ListsDbResult | { skipped: string } }> {
  const run = (kind: DbKind) =>
    withDatabases(kind, postgresUrl, 2, ([small, large]) => benchOn({ small: small!.handle, large: large!.handle }, small!.url, settings, progress));
  const pglite = !only.size || only.has('pglite') ? await run('pglite') : undefined;
  const postgres = !only.size || only.has('postgres') ? await run('postgres') : undefined;
  if (pglite && 'skipped' in pglite) throw new Error(pglite.skipped);
  return { ...(pglite ? { pglite } : {}), ...(postgres ? { postgres } : {}) };
}

interface Case {
  name: string;
  /** The i-th request; varies where a fixed value would only measure a cached answer. */
  path: (i: number, size: number) => string;
  /** Checks one answer, so a broken index or counter fails the bench instead of looking fast. */
  check: (body: ListBody, size: number, path: string) => void;
  key: 'superuser' | 'scoped';
  counted: boolean;
  /** Fraction of `requests` this case makes (default 1). */
  share?: number;
}

interface ListBody {
  items: { serialNumber?: string | null; id: string }[];
  total: number;
}

function expect(ok: boolean, message: string) {
  if (!ok) throw new Error(`lists bench: ${message}`);
}

const CASES: Case[] = [
  {
    name: 'tokensPage',
    key: 'superuser',
    counted: true,
    path: () => '/api/v1/tokens?limit=50',
    check: (b, size) =>
      expect(
        b.total === size && b.items.length === 50 && b.items[0]?.serialNumber === serial(size),
        `first page: total ${b.total}, first ${b.items[0]?.serialNumber}`,
      ),
  },
  {
    // OFFSET reads and skips `start` rows: O(offset) on any index. Reported, not counted.
    name: 'tokensDeepOffset',
    key: 'superuser',
    counted: false,
    share: 0.25,
    path: (i, size) => `/api/v1/tokens?limit=50&start=${Math.floor(size / 2) + (i % 50)}`,
    check: (b, size, path) => {
      const start = Number(new URL(path, 'http://x').searchParams.get('start'));
      expect(b.total === size && b.items[0]?.serialNumber === serial(size - start), `deep page at ${start}: first ${b.items[0]?.serialNumber}`);
    },
  },
  {
    // The same deep page by keyset cursor (`next` of the page before): it walks the index from
    // the cursor's key, so it costs what a first page costs. Token k was seeded at 2026-01-01 +
    // k seconds (seedTokens), so the cursor of "from token k down" is built here: that time and
    // the highest id (the id only breaks ties of equal times).
    name: 'tokensDeepCursor',
    key: 'superuser',
    counted: true,
    path: (i, size) => `/api/v1/tokens?limit=50&cursor=${cursorFrom(size - Math.floor(size / 2) - (i % 50))}`,
    check: (b, size, path) => {
      const k = Number(JSON.parse(Buffer.from(new URL(path, 'http://x').searchParams.get('cursor')!, 'base64url').toString())[0]) / 1e6 - SEED_EPOCH_S;
      expect(
        b.total === size && b.items.length === 50 && b.items[0]?.serialNumber === serial(k),
        `deep cursor page at token ${k}: first ${b.items[0]?.serialNumber}`,
      );
    },
  },
  {
    name: 'tokensSearchSerial',
    key: 'superuser',
    counted: true,
    // A different, existing serial every time (7919 is prime, so the walk covers the range).
    path: (i, size) => `/api/v1/tokens?search=${serial(1 + ((i * 7919) % size))}`,
    check: (b, _size, path) => {
      const wanted = new URL(path, 'http://x').searchParams.get('search');
      expect(b.total === 1 && b.items[0]?.serialNumber === wanted, `exact serial ${wanted}: total ${b.total}`);
    },
  },
  {
    // SN-000100 … SN-000199 at both sizes: the same 100 matches, so only the table size differs.
    name: 'tokensSearchPrefix',
    key: 'superuser',
    counted: true,
    path: () => '/api/v1/tokens?search=SN-0001&limit=50',
    check: (b) => expect(b.total === 100 && b.items.length === 50 && b.items[0]?.serialNumber === 'SN-000199', `prefix SN-0001: total ${b.total}`),
  },
  {
    name: 'tokensScoped',
    key: 'scoped',
    counted: true,
    path: () => '/api/v1/tokens?limit=50',
    check: (b) => expect(b.total === SCOPED_TOKENS && b.items.length === 50, `resource administrator: total ${b.total}`),
  },
  {
    name: 'eventsPage',
    key: 'superuser',
    counted: true,
    path: () => '/api/v1/events?limit=50',
    // Seeded events plus the few the setup wrote (key and admin creation).
    check: (b, size) => expect(b.total >= size && b.total < size + 20 && b.items.length === 50, `events: total ${b.total}`),
  },
];

/** Seconds since the epoch of 2026-01-01T00:00:00Z, the seeded tokens' first second. */
const SEED_EPOCH_S = Date.UTC(2026, 0, 1) / 1000;
const cursorFrom = (k: number) => Buffer.from(JSON.stringify([String((SEED_EPOCH_S + k) * 1e6), 'ffffffff-ffff-ffff-ffff-ffffffffffff'])).toString('base64url');

type Size = 'small' | 'large';

interface Target {
  app: AppLike;
  keys: Record<Case['key'], string>;
  size: number;
}

async function benchOn(handles: Record<Size, DatabaseHandle>, databaseUrl: string, settings: ListSettings, progress: Progress): Promise<ListsDbResult> {
  const kind = handles.small.kind;
  const seedStarted = performance.now();
  const targets = {} as Record<Size, Target>;
  for (const size of ['small', 'large'] as const) {
    const { db } = handles[size];
    const count = settings[size];
    const superKey = `vf_${randomBytes(32).toString('base64url')}`;
    await ensureBootstrapKey(db, superKey);
    for (let from = 1; from <= count; from += SEED_BATCH) {
      const to = Math.min(count, from + SEED_BATCH - 1);
      await seedTokens(db, from, to);
      await seedEvents(db, from, to);
      if (count > SEED_BATCH) progress(`lists ${kind}: seeded ${to.toLocaleString('en-US')}/${count.toLocaleString('en-US')} tokens and events`);
    }
    const scopedKey = await scopedAdmin(db);
    await analyze(db);
    const app = benchApp(db, databaseUrl);
    targets[size] = { app, keys: { superuser: superKey, scoped: scopedKey }, size: count };
  }
  const seedMs = performance.now() - seedStarted;
  progress(`lists ${kind}: ${settings.small.toLocaleString('en-US')} and ${settings.large.toLocaleString('en-US')} tokens ready, measuring…`);

  const timings = await measureAll(targets, settings);
  const cases: Record<string, ListCaseResult> = {};
  for (const c of CASES) {
    const { small, large } = timings[c.name]!;
    cases[c.name] = { path: c.path(0, settings.large), small, large, ratio: large.p50Ms / small.p50Ms, counted: c.counted };
    progress(
      `lists ${kind}: ${c.name.padEnd(18)} p50 ${small.p50Ms.toFixed(2)} → ${large.p50Ms.toFixed(2)} ms, ratio ${cases[c.name]!.ratio.toFixed(2)}${c.counted ? '' : ' (not counted)'}`,
    );
  }
  const maxRatio = Math.max(
    ...Object.values(cases)
      .filter((c) => c.counted)
      .map((c) => c.ratio),
  );
  const first = cases.tokensPage!.large.p50Ms;
  const deepPage = { cursor: cases.tokensDeepCursor!.large.p50Ms / first, offset: cases.tokensDeepOffset!.large.p50Ms / first };
  progress(
    `lists ${kind}: deep page / first page at ${settings.large.toLocaleString('en-US')}: cursor ${deepPage.cursor.toFixed(2)}, start ${deepPage.offset.toFixed(2)}`,
  );
  return {
    small: settings.small,
    large: settings.large,
    seedMs,
    cases,
    maxRatio,
    deepPage,
    withinGoal: maxRatio <= GOAL_RATIO && deepPage.cursor <= GOAL_RATIO,
  };
}

// Statistics as autovacuum would have them on PostgreSQL after such a load. PGlite has no
// autovacuum; the list queries do not depend on statistics for their plan shape (checked with
// EXPLAIN on a never-analysed table), but the bench compares like with like on both.
async function analyze(db: Db) {
  await sql`analyze tokens`.execute(db);
  await sql`analyze events`.execute(db);
}

/** Tokens `from`..`to` (1-based): serial SN-000123, increasing created_at, so token N is the newest. */
async function seedTokens(db: Db, from: number, to: number) {
  await sql`
    insert into tokens (kind, type, name, serial_number, secret_enc, created_at, updated_at)
    select 'hardware', 'totp',
      (array['YubiKey 5 NFC', 'Feitian c200', 'Token2 C301', 'Protectimus Slim', 'OnlyKey'])[1 + i % 5] || ' #' || i,
      'SN-' || lpad(i::text, 6, '0'),
      -- 40 bytes, the size of a sealed 20-byte secret; never decrypted by list requests
      decode(repeat('5a', 40), 'hex'),
      timestamptz '2026-01-01T00:00:00Z' + i * interval '1 second',
      timestamptz '2026-01-01T00:00:00Z' + i * interval '1 second'
    from generate_series(${from}::int, ${to}::int) as i`.execute(db);
}

/** Authentication events, one in ten a failure, as the authentication API writes them. */
async function seedEvents(db: Db, from: number, to: number) {
  await sql`
    insert into events (created_at, type, actor, ip, result, reason, details)
    select timestamptz '2026-01-01T00:00:00Z' + i * interval '1 second',
      case when i % 10 = 0 then 'auth.failure' else 'auth.success' end,
      'api',
      '192.0.2.' || (i % 250),
      case when i % 10 = 0 then 'failure' else 'success' end,
      case when i % 10 = 0 then 'invalid_credentials' end,
      '{"method": "user-token"}'::jsonb
    from generate_series(${from}::int, ${to}::int) as i`.execute(db);
}

/**
 * A resource administrator with the SCOPED_TOKENS oldest tokens assigned to its one resource;
 * every other token is assigned to another tenant's resource, so the assignment tables grow with
 * the token table as they would in a shared installation. Returns the administrator's key.
 */
async function scopedAdmin(db: Db): Promise<string> {
  const admin = await insertAdmin(db, { name: 'bench resource admin', role: 'admin', createdBy: null });
  const resource = await db.insertInto('resources').values({ name: 'bench resource' }).returning('id').executeTakeFirstOrThrow();
  const other = await db.insertInto('resources').values({ name: 'other tenant' }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('admin_resources').values({ adminId: admin.id, resourceId: resource.id }).execute();
  await sql`
    insert into resource_tokens (resource_id, token_id)
    select case when row_number() over (order by created_at) <= ${SCOPED_TOKENS} then ${resource.id}::uuid else ${other.id}::uuid end, id
    from tokens`.execute(db);
  return (await createApiKey(db, { adminId: admin.id, name: 'bench', actor: 'bench' })).apiKey;
}

type AppLike = { request(path: string, init?: RequestInit): Response | Promise<Response> };

async function measureAll(targets: Record<Size, Target>, settings: ListSettings): Promise<Record<string, Record<Size, Timing>>> {
  // Timed: the request and reading its body; parsing and checking the JSON happen afterwards.
  const call = async (c: Case, t: Target, i: number) => {
    const path = c.path(i, t.size);
    const t0 = performance.now();
    const res = await t.app.request(path, { headers: { authorization: `Bearer ${t.keys[c.key]}` } });
    const text = await res.text();
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(`lists bench: GET ${path} answered ${res.status}: ${text.slice(0, 200)}`);
    return { path, ms, body: () => JSON.parse(text) as ListBody };
  };
  const sizes = ['small', 'large'] as const;
  for (const c of CASES) {
    for (const size of sizes) {
      const t = targets[size];
      const first = await call(c, t, 0);
      c.check(first.body(), t.size, first.path);
      for (let i = 1; i < settings.warmup; i++) await call(c, t, i);
    }
  }
  // Round-robin over cases and sizes (small first in even rounds, large first in odd ones), so
  // drift in the machine's other load hits every case and both sizes alike.
  type Key = `${string}/${Size}`;
  const samples = new Map<Key, number[]>();
  const spent = new Map<Key, number>();
  const wanted = (c: Case) => Math.max(1, Math.round(settings.requests * (c.share ?? 1)));
  for (let i = 0; ; i++) {
    let busy = false;
    for (const c of CASES) {
      for (const size of i % 2 === 0 ? sizes : [...sizes].reverse()) {
        const key: Key = `${c.name}/${size}`;
        const list = samples.get(key) ?? samples.set(key, []).get(key)!;
        if (list.length >= wanted(c) || (spent.get(key) ?? 0) >= settings.caseBudgetMs) continue;
        busy = true;
        const t = targets[size];
        const { body, path, ms } = await call(c, t, settings.warmup + i);
        if (i % 10 === 0) c.check(body(), t.size, path);
        list.push(ms);
        spent.set(key, (spent.get(key) ?? 0) + ms);
      }
    }
    if (!busy) break;
  }
  const out: Record<string, Record<Size, Timing>> = {};
  for (const c of CASES) {
    const timing = (size: Size): Timing => {
      const sorted = (samples.get(`${c.name}/${size}`) ?? []).sort((a, b) => a - b);
      return { requests: sorted.length, p50Ms: percentile(sorted, 0.5), p90Ms: percentile(sorted, 0.9) };
    };
    out[c.name] = { small: timing('small'), large: timing('large') };
  }
  return out;
}

// Nearest-rank percentile of an ascending array (as bench/load.ts).
function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}
