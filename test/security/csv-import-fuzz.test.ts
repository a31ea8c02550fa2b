import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { base32Encode } from '../../server/src/otp/index.js';
import { parseTokenCsv } from '../../server/src/tokens/import.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { dbModes, openTestDb, type TestDb } from '../helpers/db.js';
import { assertClientAnswer, assertErrorBody, assertSameSnapshot, snapshot, watchUnhandled } from './fuzz-helpers.js';

// The token CSV import (DESIGN §6: "validates every line first and imports all or nothing,
// reporting each bad line by number"), fuzzed twice: the parser on its own with arbitrary text
// and generated files whose good and bad lines are known, and POST /api/v1/tokens/import with
// text, random bytes, BOMs, CRLF, quotes, huge lines, duplicate and taken serials, bad base32
// and hex secrets. Never a 5xx; a refusal imports nothing and names lines, never secrets; a
// success adds exactly the file's tokens.

type Row = { text: string; valid: boolean; serial?: string; secret?: Buffer; secretText?: string };
type File = { text: string; headerOk: boolean; rows: Row[] };
type ImportError = { error: { code: string; message: string; details?: { lines: { line: number; reason: string }[]; total: number } } };

const HEADERS_OK = ['serialNumber,secret', 'SERIALNUMBER,SECRET', ' serialNumber , secret ', '"serialNumber","secret"', '\uFEFFserialNumber,secret'];
const HEADERS_BAD = ['serial,secret', 'serialNumber;secret', 'serialNumber,secret,extra', 'secret,serialNumber', '', 'serialNumber'];

/** A serial number from a small pool, so that files repeat serials and hit ones imported before. */
const serial = fc.oneof(
  { weight: 3, arbitrary: fc.stringMatching(/^[A-Za-z0-9._\-/]{1,20}$/) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 40 }).map((n) => `POOL-${n}`) },
);

/** A secret of at least 128 bits as vendors write it: upper or lower case, grouped, padded, quoted. */
const goodSecret = fc
  .tuple(fc.uint8Array({ minLength: 16, maxLength: 64 }), fc.constantFrom('plain', 'lower', 'groups', 'hyphens', 'padded', 'quoted'))
  .map(([bytes, style]) => {
    const b32 = base32Encode(bytes);
    const text = {
      plain: b32,
      lower: b32.toLowerCase(),
      groups: b32.replace(/(.{4})/g, '$1 ').trim(),
      hyphens: b32.replace(/(.{4})/g, '$1-').replace(/-$/, ''),
      padded: b32 + '='.repeat((8 - (b32.length % 8)) % 8),
      quoted: `"${b32}"`,
    }[style];
    return { secret: Buffer.from(bytes), text };
  });

/** Secrets that must be refused: too short, not base32 (hex, digits 0/1/8/9, unicode), impossible lengths. */
const badSecret = fc.oneof(
  fc.uint8Array({ minLength: 0, maxLength: 15 }).map((b) => base32Encode(b)),
  fc
    .uint8Array({ minLength: 16, maxLength: 40 })
    .map((b) => Buffer.from(b).toString('hex'))
    .filter((h) => /[0189]/.test(h)),
  fc
    .uint8Array({ minLength: 16, maxLength: 40 })
    .map((b) => Buffer.from(b).toString('base64'))
    .filter((s) => /[+/0189]/.test(s)),
  fc.tuple(fc.uint8Array({ minLength: 20, maxLength: 40 }), fc.constantFrom('1', '0', '8', '!', 'é', '\0', '🙂', '#')).map(([b, bad]) => {
    const s = base32Encode(b);
    return s.slice(0, 10) + bad + s.slice(10);
  }),
  fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => base32Encode(b) + 'A'), // 33 characters: 1 left over
);

/** One data line: good, or bad in a known way (and a few that are blank, which count as nothing). */
const row: fc.Arbitrary<Row> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.tuple(serial, goodSecret).map(([s, g]) => ({ text: `${s},${g.text}`, valid: true, serial: s, secret: g.secret, secretText: g.text })),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(serial, goodSecret).map(([s, g]) => ({ text: `"${s}" , ${g.text} `, valid: true, serial: s, secret: g.secret, secretText: g.text })),
  },
  { weight: 2, arbitrary: fc.tuple(serial, badSecret).map(([s, b]) => ({ text: `${s},${b}`, valid: false, serial: s, secretText: b })) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('', ' ', 'a b', 'x'.repeat(65), 'ü', 'a,b', '"'), goodSecret)
      .map(([s, g]) => ({ text: `${s.includes(',') ? `"${s}"` : s},${g.text}`, valid: false, secretText: g.text })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(serial, goodSecret, fc.string({ maxLength: 10 }))
      .map(([s, g, x]) => ({ text: `${s},${g.text},${x.replace(/[\r\n]/g, '')}`, valid: false, secretText: g.text })),
  },
  { weight: 1, arbitrary: goodSecret.map((g) => ({ text: g.text.replace(/^"|"$/g, ''), valid: false, secretText: g.text })) },
  { weight: 1, arbitrary: fc.tuple(serial, goodSecret).map(([s, g]) => ({ text: `"${s},${g.text}`, valid: false, secretText: g.text })) },
  { weight: 1, arbitrary: fc.nat({ max: 200_000 }).map((n) => ({ text: `HUGE-${n},${'A'.repeat(n)}!`, valid: false })) },
  { weight: 2, arbitrary: fc.constantFrom('', ' ', '\t').map((text) => ({ text, valid: false })) },
);

/** A whole file: header, lines, line endings (LF, CRLF, mixed), a final newline or not, blank lines. */
const file: fc.Arbitrary<File> = fc
  .tuple(
    fc.oneof(
      { weight: 9, arbitrary: fc.constantFrom(...HEADERS_OK).map((h) => ({ h, ok: true })) },
      { weight: 1, arbitrary: fc.constantFrom(...HEADERS_BAD).map((h) => ({ h, ok: false })) },
    ),
    fc.array(row, { maxLength: 12 }),
    fc.constantFrom('\n', '\r\n', 'mixed'),
    fc.boolean(),
  )
  .map(([header, rows, eol, finalEol]) => {
    const lines = [header.h, ...rows.map((r) => r.text)];
    const text = lines.map((l, i) => l + (i < lines.length - 1 || finalEol ? (eol === 'mixed' ? (i % 2 ? '\r\n' : '\n') : eol) : '')).join('');
    return { text, headerOk: header.ok, rows };
  });

/**
 * What the parser must make of a generated file, from how it was generated: which lines are
 * good (and their secrets), which are bad. A good line whose serial appeared on an earlier line
 * with a valid serial is a duplicate, hence bad.
 */
function expectation(f: File) {
  const good = new Map<number, { serial: string; secret: Buffer }>();
  const bad = new Set<number>();
  const seen = new Set<string>();
  f.rows.forEach((r, i) => {
    const line = i + 2;
    if (r.text.trim() === '') return;
    const serialOk = r.serial !== undefined;
    const duplicate = serialOk && seen.has(r.serial!);
    if (serialOk) seen.add(r.serial!);
    if (r.valid && !duplicate) good.set(line, { serial: r.serial!, secret: r.secret! });
    else bad.add(line);
  });
  return { good, bad };
}

/** Secret-looking cells of a file (long enough not to occur in a reason by chance), which no answer may contain. */
const secretsOf = (f: File) =>
  f.rows.map((r) => r.secretText?.replace(/^"|"$/g, '').trim()).filter((s): s is string => !!s && s.length >= 12 && !f.rows.some((o) => o.serial === s));

describe('token CSV parser (fuzzed)', () => {
  it('never throws, and accounts for every line of any text exactly once', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.string({ unit: 'binary', maxLength: 300 }),
          fc.array(fc.string({ maxLength: 30 }), { maxLength: 8 }).map((l) => `serialNumber,secret\n${l.join('\n')}`),
        ),
        (text) => {
          const { lines, errors } = parseTokenCsv(text);
          const rows = text.replace(/^\uFEFF/, '').split(/\r?\n/);
          const numbers = [...lines.map((l) => l.line), ...errors.map((e) => e.line)];
          assert.equal(new Set(numbers).size, numbers.length, 'no line is reported twice');
          for (const e of errors) {
            assert.ok(Number.isInteger(e.line) && e.line >= 1 && e.line <= Math.max(2, rows.length), `line ${e.line} is in the file`);
            assert.ok(e.reason.length > 0);
          }
          if (errors.some((e) => e.line === 1)) return assert.equal(lines.length, 0, 'a bad header stops everything');
          const dataLines = rows.flatMap((r, i) => (i > 0 && r.trim() !== '' ? [i + 1] : []));
          if (dataLines.length === 0)
            return assert.deepEqual(
              errors.map((e) => e.line),
              [2],
              'an empty file is one error',
            );
          assert.deepEqual(
            numbers.sort((a, b) => a - b),
            dataLines,
            'every non-blank line is either good or reported',
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('finds exactly the good lines of generated files, with their secrets, and never echoes a secret', () => {
    fc.assert(
      fc.property(file, (f) => {
        const { lines, errors } = parseTokenCsv(f.text);
        if (!f.headerOk) {
          assert.deepEqual(
            errors.map((e) => e.line),
            [1],
          );
          return;
        }
        const { good, bad } = expectation(f);
        assert.deepEqual(
          lines.map((l) => l.line),
          [...good.keys()],
          `good lines of ${JSON.stringify(f.text.slice(0, 500))}`,
        );
        for (const l of lines) {
          assert.equal(l.serialNumber, good.get(l.line)!.serial);
          assert.ok(l.secret.equals(good.get(l.line)!.secret), `line ${l.line}: the secret decodes to the bytes it encodes`);
        }
        const expectedErrors = good.size === 0 && bad.size === 0 ? [2] : [...bad];
        assert.deepEqual(
          errors.map((e) => e.line),
          expectedErrors,
          `bad lines: ${JSON.stringify(errors)}`,
        );
        const reasons = JSON.stringify(errors);
        for (const s of secretsOf(f)) assert.ok(!reasons.includes(s), 'no reason contains a secret');
      }),
      { numRuns: 400 },
    );
  });
});

for (const mode of dbModes()) {
  describe(`token CSV import endpoint, fuzzed (${mode})`, { timeout: 120_000 }, () => {
    let t: TestDb;
    let api: TestApp;
    const guard = watchUnhandled();
    before(async () => {
      t = await openTestDb(mode);
      api = await createTestApp(t);
      // Serials in the database already: files that name them are refused whole.
      for (const n of [0, 1, 2]) {
        const res = await api.call('POST', '/api/v1/tokens', {
          kind: 'hardware',
          type: 'totp',
          serialNumber: `POOL-${n}`,
          secret: base32Encode(Buffer.alloc(20, n + 1)),
        });
        assert.equal(res.status, 201, res.text);
      }
    });
    after(async () => {
      guard.stop();
      await t?.close();
    });

    const tokenCount = async () => Number((await t.db.selectFrom('tokens').select(t.db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const existing = async () => new Set((await t.db.selectFrom('tokens').select('serialNumber').execute()).map((r) => r.serialNumber));
    const post = (body: string | Uint8Array, contentType: string | undefined, query = '') =>
      api.request(`/api/v1/tokens/import${query}`, {
        method: 'POST',
        body: body as BodyInit,
        ...(contentType !== undefined ? { headers: { 'content-type': contentType } } : {}),
      });

    const options = fc.oneof(
      { weight: 4, arbitrary: fc.constant('') },
      {
        weight: 2,
        arbitrary: fc
          .record(
            {
              kind: fc.constantFrom('hardware', 'universal'),
              type: fc.constantFrom('totp', 'hotp'),
              algorithm: fc.constantFrom('SHA1', 'SHA256', 'SHA512'),
              digits: fc.constantFrom('6', '8'),
              period: fc.constantFrom('30', '60'),
            },
            { requiredKeys: [] },
          )
          .map((q) => `?${new URLSearchParams(q)}`),
      },
      {
        weight: 1,
        arbitrary: fc
          .dictionary(fc.constantFrom('kind', 'type', 'algorithm', 'digits', 'period'), fc.string({ maxLength: 8 }), { maxKeys: 3 })
          .map((q) => `?${new URLSearchParams(q)}`),
      },
    );
    const body = fc.oneof(
      { weight: 6, arbitrary: file.map((f) => ({ kind: 'file' as const, f })) },
      { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map((text) => ({ kind: 'text' as const, text })) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ kind: 'bytes' as const, bytes })) },
    );
    const contentTypes = fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom<string | undefined>('text/csv', 'text/csv; charset=utf-8', 'text/plain') },
      { weight: 1, arbitrary: fc.constantFrom<string | undefined>(undefined, 'application/json', 'application/octet-stream', 'TEXT/CSV', 'text/csvx') },
    );

    it('imports all lines or none, names bad lines, never echoes a secret, never answers 5xx', async () => {
      let imported = 0;
      let refusedForLines = 0;
      await fc.assert(
        fc.asyncProperty(body, contentTypes, options, async (b, type, query) => {
          const countBefore = await tokenCount();
          const taken = await existing();
          const payload = b.kind === 'file' ? b.f.text : b.kind === 'text' ? b.text : b.bytes;
          const res = await post(payload, type, query);
          const text = await res.text();
          const what = `import (${type}, ${query}) of ${JSON.stringify(typeof payload === 'string' ? payload.slice(0, 300) : `${payload.length} bytes`)}`;
          assertClientAnswer(res.status, text, what);
          const countAfter = await tokenCount();
          if (res.status === 201) {
            const n = (JSON.parse(text) as { imported: number }).imported;
            assert.equal(countAfter, countBefore + n, `${what}: exactly the imported tokens were added`);
            imported += n;
            // What the parser finds in the same text is what was imported, all of it.
            // Over HTTP the header line is optional (issue 15: vendor files often have none).
            const parsed = parseTokenCsv(typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8'), { headerRequired: false });
            assert.equal(parsed.errors.length, 0);
            assert.equal(n, parsed.lines.length);
            const now = await existing();
            for (const l of parsed.lines) assert.ok(now.has(l.serialNumber) && !taken.has(l.serialNumber), `${l.serialNumber} was added`);
            return;
          }
          assert.equal(countAfter, countBefore, `${what}: a refused import adds nothing (${res.status} ${text.slice(0, 200)})`);
          const err = assertErrorBody(res.status, text, what) as ImportError;
          if (b.kind === 'file') for (const s of secretsOf(b.f)) assert.ok(!text.includes(s), `${what}: the answer contains a secret`);
          if (err.error.code !== 'import_invalid') return;
          refusedForLines++;
          const lines = err.error.details!.lines;
          assert.ok(lines.length >= 1 && lines.length <= err.error.details!.total);
          for (const l of lines) assert.ok(Number.isInteger(l.line) && l.line >= 1 && typeof l.reason === 'string' && l.reason.length > 0, JSON.stringify(l));
          assert.match(err.error.message, /nothing was imported/);
          if (b.kind === 'file' && b.f.headerOk) {
            // The lines named are the file's bad lines plus good ones whose serial is taken.
            const { good, bad } = expectation(b.f);
            const takenLines = [...good].filter(([, g]) => taken.has(g.serial)).map(([line]) => line);
            const expected = good.size === 0 && bad.size === 0 ? [2] : [...bad, ...takenLines].sort((x, y) => x - y);
            assert.deepEqual(
              lines.map((l) => l.line),
              expected,
              `${what}: ${JSON.stringify(lines)}`,
            );
          }
        }),
        { numRuns: 200 },
      );
      assert.ok(imported > 0 && refusedForLines > 20, `both outcomes were reached (${imported} tokens imported, ${refusedForLines} files refused)`);
      guard.assertNone();
    });

    it('refuses a body over the limit with 413, and a file over the quota whole', async () => {
      const before = await snapshot(t, ['tokens']);
      const huge = await post(`serialNumber,secret\n${'A'.repeat(17 * 1024 * 1024)}\n`, 'text/csv');
      assert.equal(huge.status, 413);
      assertErrorBody(huge.status, await huge.text(), 'huge import');

      const quota = (await tokenCount()) + 2;
      const limited = await createTestApp(t, { env: { VERIFRAME_TOKEN_QUOTA: String(quota) } });
      const rows = [0, 1, 2].map((i) => `QUOTA-${mode}-${i},${base32Encode(Buffer.alloc(20, 7 + i))}`);
      const res = await limited.request('/api/v1/tokens/import', {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: `serialNumber,secret\n${rows.join('\n')}\n`,
      });
      const text = await res.text();
      assert.equal(res.status, 409, text);
      assert.equal(assertErrorBody(res.status, text, 'over quota').error.code, 'token_quota_exceeded');
      assertSameSnapshot(await snapshot(t, ['tokens']), before, 'tokens after refused imports');
      guard.assertNone();
    });
  });
}
