import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sql } from 'kysely';
import type { Database } from '../../server/src/db/types.js';
import { errorTable, isErrorCode } from '../../shared/errors.js';
import type { TestApp } from '../helpers/app.js';
import type { TestDb } from '../helpers/db.js';

// What the fuzz tests of the security suite share: the operations the OpenAPI document lists,
// snapshots of the data a request must not touch, the one error shape, hostile strings, and a
// guard against promises nobody awaited.

export type Operation = { method: string; path: string };

/** Every operation of the generated OpenAPI document, so a new route is covered without edits. */
export async function documentedOperations(api: TestApp): Promise<Operation[]> {
  const doc = (await (await api.request('/api/v1/openapi.json', { key: null })).json()) as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })));
}

export type Table = keyof Database;

/** The tables an administrator changes (everything but runtime state: events, throttles, transactions, codes). */
export const DATA_TABLES = [
  'resources',
  'users',
  'tokens',
  'filters',
  'admins',
  'api_keys',
  'resource_users',
  'resource_tokens',
  'resource_user_tokens',
  'admin_resources',
] as const satisfies readonly Table[];

/** Every table of the test's schema (the migrator's bookkeeping aside), so a new table is covered too. */
export async function allTables(t: TestDb): Promise<Table[]> {
  const { rows } = await sql<{
    name: string;
  }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name not like 'kysely%' order by 1`.execute(
    t.db,
  );
  return rows.map((r) => r.name as Table);
}

const json = (value: unknown) => JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : Buffer.isBuffer(v) ? v.toString('base64') : v));

export interface SnapshotOptions {
  /** Columns left out everywhere (e.g. `lastUsedAt`, which every authenticated call moves). */
  omit?: string[];
  /** Rows left out per table: those the fuzzed requests may legitimately change. */
  skip?: Partial<Record<Table, (row: Record<string, unknown>) => boolean>>;
}

/** The rows of `tables`, in a stable order, as one comparable string. */
export async function snapshot(t: TestDb, tables: readonly Table[] = DATA_TABLES, opts: SnapshotOptions = {}): Promise<string> {
  const parts: Record<string, unknown[]> = {};
  for (const table of tables) {
    const rows = (await t.db.selectFrom(table).selectAll().execute()) as Record<string, unknown>[];
    const kept = rows
      .filter((row) => !opts.skip?.[table]?.(row))
      .map((row) => Object.fromEntries(Object.entries(row).filter(([k]) => !opts.omit?.includes(k))))
      .map(json)
      .sort();
    parts[table] = kept;
  }
  return json(parts);
}

/** Fails with the first table whose rows differ, which says more than two long strings. */
export function assertSameSnapshot(after: string, before: string, what: string): void {
  if (after === before) return;
  const a = JSON.parse(after) as Record<string, string[]>;
  const b = JSON.parse(before) as Record<string, string[]>;
  for (const table of Object.keys(b)) {
    const gone = b[table]!.filter((r) => !a[table]?.includes(r));
    const added = (a[table] ?? []).filter((r) => !b[table]!.includes(r));
    if (gone.length || added.length)
      assert.fail(`${what}: table ${table} changed\n  before: ${gone.slice(0, 3).join('\n          ')}\n  after:  ${added.slice(0, 3).join('\n          ')}`);
  }
  assert.equal(after, before, what);
}

/**
 * Records unhandled rejections and uncaught exceptions while fuzzing (a promise the server
 * forgot to await would otherwise pass unnoticed, or crash a later test). `assertNone()` fails
 * with what was caught; `stop()` removes the listeners.
 */
export function watchUnhandled() {
  const caught: unknown[] = [];
  const onRejection = (reason: unknown) => void caught.push(reason);
  const onException = (err: unknown) => void caught.push(err);
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return {
    assertNone() {
      assert.deepEqual(
        caught.map((e) => (e instanceof Error ? (e.stack ?? e.message) : String(e))),
        [],
        'no unhandled rejection or uncaught exception',
      );
    },
    stop() {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onException);
    },
  };
}

export type ErrorJson = { error: { code: string; message: string; field?: string; details?: unknown } };

/**
 * A 4xx answer in the one error shape: `{"error": {"code", "message"}}` with a code listed in
 * shared/errors.ts whose status is the one sent. Returns the parsed body.
 */
export function assertErrorBody(status: number, text: string, what: string): ErrorJson {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    assert.fail(`${what}: ${status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  const code = (body as Partial<ErrorJson>).error?.code;
  assert.ok(isErrorCode(code), `${what}: ${status} with an unknown error code: ${text.slice(0, 300)}`);
  assert.equal(errorTable[code].status, status, `${what}: ${code} is documented with ${errorTable[code].status}, sent with ${status}`);
  assert.equal(typeof (body as ErrorJson).error.message, 'string', `${what}: the error has a message`);
  return body as ErrorJson;
}

/** The answer may never be a 5xx; a 4xx must be in the error shape (unless `other` accepts it). */
export function assertClientAnswer(status: number, text: string, what: string, other?: (body: unknown) => boolean): void {
  assert.ok(status < 500, `${what} → ${status} ${text.slice(0, 500)}`);
  if (status < 400) return;
  if (other) {
    try {
      if (other(JSON.parse(text))) return;
    } catch {
      // not JSON: the error-shape check below says so
    }
  }
  assertErrorBody(status, text, what);
}

// ---- hostile input ----------------------------------------------------------------------------

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

/** Strings that have broken parsers, databases and logs before. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({
    unit: fc.oneof(fc.constantFrom('\0', '\n', '\r', '\u2028', '\uFEFF', '\u202E', '%', '_', '\\', "'", '"', '<', '>', '&'), loneSurrogate),
    maxLength: 20,
  }),
  fc.constantFrom(
    '',
    ' ',
    '\0',
    'a\0b',
    "' OR '1'='1",
    "'; DROP TABLE users; --",
    '1; SELECT pg_sleep(5)',
    '%',
    '_',
    '\\',
    '${7*7}',
    '{{7*7}}',
    '<script>alert(1)</script>',
    '../../etc/passwd',
    'null',
    'undefined',
    'NaN',
    '-1',
    '1e309',
    '00000000-0000-0000-0000-000000000000',
    'İ',
    'ǅ',
    'ß',
    'Ω',
    'e\u0301',
    '\u202Eevil',
    '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
    '🙂'.repeat(50),
  ),
  fc.nat({ max: 70_000 }).map((n) => 'x'.repeat(n)),
);

/** Any JSON value, or a value of the wrong type where a string belongs. */
export const wrongTyped: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

/** A field value for a body of the right shape: usually a hostile string, sometimes the wrong type. */
export const fieldValue: fc.Arbitrary<unknown> = fc.oneof({ weight: 4, arbitrary: hostileString }, { weight: 1, arbitrary: wrongTyped });

/** Request bodies that are not valid JSON, or not JSON at all. */
export const malformedJson: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    '{',
    '}',
    '{"a":',
    '[1,2',
    '{"a":1,}',
    "{'a':1}",
    'nul',
    'true false',
    '\uFEFF{}',
    '{"a":"\\x00"}',
    '{"a":"\\ud800"}',
    '1'.repeat(400) + 'e99999',
  ),
  fc.string({ maxLength: 60 }),
  fc.json().map((j) => j.slice(0, Math.max(0, j.length - 1))),
);

/** Content types a client might send instead of application/json. */
export const contentType: fc.Arbitrary<string | undefined> = fc.constantFrom(
  undefined,
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'text/plain',
  'text/csv',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/jsonx',
  'application/json;;;',
  '*/*',
  '',
);

/** X-Forwarded-For headers: real chains, garbage, and things that look like addresses. */
export const forwardedFor: fc.Arbitrary<string | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.ipV4(),
  fc.ipV6(),
  fc
    .array(
      fc.oneof(fc.ipV4(), fc.ipV6(), fc.constantFrom('unknown', '', ' ', '127.1', '0x7f.0.0.1', '[::1]:80', '1.2.3.4:99999', '::ffff:1.2.3.4', 'fe80::1%eth0')),
      { maxLength: 5 },
    )
    .map((a) => a.join(',')),
  hostileString.filter((s) => !/[\r\n\0]/.test(s) && /^[\x20-\x7e]*$/.test(s)),
);

/** A value usable as an HTTP header (Headers refuses CR, LF, NUL and non-Latin-1). */
export const headerSafe = (s: string) => !/[\r\n\0]/.test(s) && /^[\x09\x20-\xff]*$/.test(s);

/** A path segment made of any string (lone surrogates, which URIs cannot carry, become U+FFFD). */
export const pathSegment = (s: string) => encodeURIComponent(s.replace(/\p{Surrogate}/gu, '\uFFFD'));
