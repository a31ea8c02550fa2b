// GET /tokens and GET /events at scale keep `total` from a trigger-kept counter and search by
// prefix through indexes (migration 0003). Speed is measured by `npm run bench`; these tests
// prove what must not change with it: the total is exact through every way tokens and events
// come and go, and searches and scoped lists return the right rows.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';
import { caller, createResource, resourceAdmin } from '../resources/helpers.js';

const base32Secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const secretEnc = Buffer.alloc(40, 7);

type Token = { id: string; serialNumber: string | null; name: string; createdAt: string };
type Page = { items: Token[]; total: number; next: string | null };

for (const mode of dbModes()) {
  describe(`token and event list totals and search (${mode})`, () => {
    let t: TestDb;
    let api: TestApp;
    let call: ReturnType<typeof caller>;
    before(async () => {
      // Several connections on PostgreSQL, so parallel requests really run in parallel.
      t = await openTestDb(mode, { poolSize: 10 });
      api = await createTestApp(t);
      call = caller(api);
    });
    after(() => t.close());

    const page = async (query = '', key?: string): Promise<Page> => {
      const res = await call('GET', `/api/v1/tokens${query}`, undefined, key);
      assert.equal(res.status, 200, res.text);
      return res.body as unknown as Page;
    };
    const rowCount = async (table: 'tokens' | 'events') =>
      Number((await t.db.selectFrom(table).select(t.db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    /** The API's totals equal count(*) of the tables, and `expected` when given. */
    const assertTotals = async (expected?: number, message?: string) => {
      const tokens = await rowCount('tokens');
      if (expected !== undefined) assert.equal(tokens, expected, `${message ?? ''}: rows in tokens`);
      assert.equal((await page('?limit=1')).total, tokens, `${message ?? ''}: token total`);
      const events = await call('GET', '/api/v1/events?limit=1');
      assert.equal(events.body.total, await rowCount('events'), `${message ?? ''}: event total`);
    };
    const hardware = async (serialNumber: string, extra: Record<string, unknown> = {}, key?: string) => {
      const res = await call('POST', '/api/v1/tokens', { kind: 'hardware', type: 'hotp', serialNumber, secret: base32Secret, ...extra }, key);
      assert.equal(res.status, 201, res.text);
      return res.body.id as string;
    };
    const postCsv = (lines: string[]) =>
      api.request('/api/v1/tokens/import', {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: ['serialNumber,secret', ...lines].join('\n') + '\n',
      });

    it('keeps total exact through creations, deletions, imports, rollbacks and parallel creations', async () => {
      await assertTotals(0, 'fresh database');
      const ids = [await hardware('TOT-1'), await hardware('TOT-2'), await hardware('TOT-3')];
      await assertTotals(3, 'after three creations');

      assert.equal((await call('DELETE', `/api/v1/tokens/${ids[0]}`)).status, 204);
      assert.equal((await call('DELETE', `/api/v1/tokens/${ids[0]}`)).status, 404);
      await assertTotals(2, 'after a deletion (and a repeated one)');

      assert.equal((await call('POST', '/api/v1/tokens', { kind: 'hardware', type: 'hotp', serialNumber: 'TOT-2', secret: base32Secret })).status, 409);
      await assertTotals(2, 'after a refused duplicate');

      const imported = await postCsv(Array.from({ length: 600 }, (_, i) => `TOT-IMP-${String(i).padStart(4, '0')},${base32Secret}`));
      assert.equal(imported.status, 201, await imported.text());
      await assertTotals(602, 'after an import of 600 (two INSERT statements)');

      // All or nothing: the bad last line rolls back the good ones, and their count with them.
      const refused = await postCsv([`TOT-BAD-1,${base32Secret}`, `TOT-BAD-2,${base32Secret}`, 'TOT-BAD-3,not-base32!']);
      assert.equal(refused.status, 422);
      await assertTotals(602, 'after a refused import');

      const parallel = await Promise.all(
        Array.from({ length: 20 }, (_, i) => call('POST', '/api/v1/tokens', { kind: 'software', type: 'totp', name: `Parallel ${i}` })),
      );
      assert.deepEqual(
        parallel.map((r) => r.status),
        Array(20).fill(201),
      );
      await assertTotals(622, 'after 20 parallel creations');

      const deleted = await Promise.all(parallel.slice(0, 10).map((r) => call('DELETE', `/api/v1/tokens/${r.body.id}`)));
      assert.deepEqual(
        deleted.map((r) => r.status),
        Array(10).fill(204),
      );
      await assertTotals(612, 'after 10 parallel deletions');
    });

    // A CSV import holds its counter stripe until it commits; token creations (and authentication
    // events) meanwhile must take another stripe instead of waiting for it. PGlite has one session,
    // so there is nothing to run concurrently there.
    // Only PostgreSQL runs transactions side by side; PGlite has one session, so there is nothing to test.
    if (mode === 'postgres')
      it('does not make token creations wait for a long transaction that holds counter stripes', async () => {
        const before = await rowCount('tokens');
        const long = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL, options: `-c search_path=${t.schema}` });
        await long.connect();
        try {
          await long.query('begin');
          await long.query(`insert into tokens (kind, type, name, serial_number, secret_enc) values ('hardware', 'hotp', 'long', 'LONG-1', $1)`, [secretEnc]);
          // Most stripes, as many long transactions at once would: whichever stripe a request's
          // connection would pick first, it must find a free one (or wait for another request).
          await long.query(`select stripe from row_counts where name in ('tokens', 'events') and stripe < 12 for update`);
          const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5000).unref());
          const created = Promise.all(
            Array.from({ length: 10 }, (_, i) => call('POST', '/api/v1/tokens', { kind: 'software', type: 'hotp', name: `During import ${i}` })),
          );
          const result = await Promise.race([created, timeout]);
          assert.notEqual(result, 'timeout', 'creations waited for the open transaction');
          assert.deepEqual(
            (result as { status: number }[]).map((r) => r.status),
            Array(10).fill(201),
          );
          await assertTotals(before + 10, 'while the long transaction is open');
          await long.query('commit');
        } finally {
          await long.end();
        }
        await assertTotals(before + 11, 'after it committed');
      });

    it('keeps total exact when rows change outside the API (SQL, cascades, TRUNCATE)', async () => {
      const before = await rowCount('tokens');
      await t.db
        .insertInto('tokens')
        .values(
          Array.from({ length: 50 }, (_, i) => ({ kind: 'hardware' as const, type: 'hotp' as const, name: `sql ${i}`, serialNumber: `SQL-${i}`, secretEnc })),
        )
        .execute();
      await assertTotals(before + 50, 'after a direct multi-row INSERT');
      await t.db.deleteFrom('tokens').where('serialNumber', 'like', 'SQL-1%').execute();
      await assertTotals(before + 39, 'after a direct DELETE of 11 rows');
      // A statement that changes nothing leaves the count alone.
      await t.db.deleteFrom('tokens').where('serialNumber', '=', 'no such serial').execute();
      await assertTotals(before + 39, 'after a DELETE of nothing');

      // Events: a deleted row (as an attacker would) and a truncated log are counted too.
      const oldest = await t.db.selectFrom('events').select('id').orderBy('id').limit(1).executeTakeFirstOrThrow();
      await t.db.deleteFrom('events').where('id', '=', oldest.id).execute();
      await assertTotals(undefined, 'after deleting an event');

      await sql`truncate tokens cascade`.execute(t.db);
      await sql`truncate events`.execute(t.db);
      await assertTotals(0, 'after TRUNCATE');
      assert.equal((await call('GET', '/api/v1/events')).body.total, 0);
      await hardware('AFTER-TRUNCATE');
      await assertTotals(1, 'counting again after TRUNCATE');
    });

    it('pages newest first, every token exactly once, with the total on every page', async () => {
      for (let i = 0; i < 3; i++) await hardware(`PAGE-SEQ-${i}`);
      // Parallel creations may share created_at: the id breaks the tie, so paging stays stable.
      await Promise.all(Array.from({ length: 12 }, (_, i) => hardware(`PAGE-PAR-${i}`)));
      const total = await rowCount('tokens');
      const seen: Token[] = [];
      for (let start = 0; start < total + 5; start += 4) {
        const p = await page(`?start=${start}&limit=4`);
        assert.equal(p.total, total);
        seen.push(...p.items);
      }
      assert.equal(seen.length, total);
      assert.equal(new Set(seen.map((x) => x.id)).size, total, 'no token twice');
      const rows = await t.db.selectFrom('tokens').select('id').orderBy('createdAt', 'desc').orderBy('id', 'desc').execute();
      assert.deepEqual(
        seen.map((x) => x.id),
        rows.map((r) => r.id),
      );
      assert.deepEqual(await page(`?start=${total}`), { items: [], total, next: null }, 'past the end: no items, still the total');
    });

    it('pages by cursor in the same order as by start, ties included, and refuses forged cursors', async () => {
      // Same created_at for several rows: inserted in one statement, so the id alone orders them.
      await sql`insert into tokens (kind, type, name, serial_number, secret_enc) select 'hardware', 'hotp', 'tie ' || g, 'CURSOR-TIE-' || g, ${secretEnc} from generate_series(1, 7) g`.execute(
        t.db,
      );
      const total = await rowCount('tokens');
      const byStart: string[] = [];
      for (let start = 0; start < total; start += 3) byStart.push(...(await page(`?start=${start}&limit=3`)).items.map((x) => x.id));
      const byCursor: string[] = [];
      let p = await page('?limit=3');
      for (;;) {
        assert.equal(p.total, total);
        byCursor.push(...p.items.map((x) => x.id));
        if (!p.next) break;
        p = await page(`?limit=3&cursor=${p.next}`);
      }
      assert.deepEqual(byCursor, byStart, 'every token once, in the same order');
      // The page after a full last page is empty and says it is the last.
      if (total % 3 === 0) assert.deepEqual(p.items, []);

      const searched = await page('?search=cursor-tie&limit=4');
      assert.equal(searched.total, 7);
      const rest = await page(`?search=cursor-tie&limit=4&cursor=${searched.next}`);
      assert.deepEqual(
        [...searched.items, ...rest.items].map((x) => x.serialNumber),
        (await page('?search=cursor-tie&limit=10')).items.map((x) => x.serialNumber),
      );
      assert.equal(rest.next, null);

      const forged = [
        Buffer.from('["not a number","x"]').toString('base64url'),
        Buffer.from('["99999999999999999999","00000000-0000-0000-0000-000000000000"]').toString('base64url'),
        Buffer.from('["1"]').toString('base64url'),
        'not-base64-json',
        '%00',
      ];
      for (const cursor of forged) {
        const res = await call('GET', `/api/v1/tokens?cursor=${cursor}`);
        assert.equal(res.status, 400, `${cursor}: ${res.text}`);
        assert.equal((res.body.error as { code: string }).code, 'invalid_request');
      }
      const both = await call('GET', `/api/v1/tokens?start=3&cursor=${searched.next}`);
      assert.equal(both.status, 400, 'cursor and start together');
      // An event cursor is no token cursor.
      const events = await call('GET', '/api/v1/events?limit=1');
      const eventsNext = events.body.next as string;
      assert.equal((await call('GET', `/api/v1/tokens?cursor=${eventsNext}`)).status, 400);
      const second = await call('GET', `/api/v1/events?limit=1&cursor=${eventsNext}`);
      assert.equal(second.status, 200);
      assert.ok(Number((second.body.items as { id: string }[])[0]!.id) < Number((events.body.items as { id: string }[])[0]!.id), 'events: older next');
    });

    it('searches the start of the serial number or the name, case-insensitively, with exact totals', async () => {
      for (const sn of ['SRCH-0100', 'SRCH-0101', 'SRCH-0110', 'SRCH-0200', 'XSRCH-0100']) await hardware(sn);
      await hardware('SRCH-NAMED', { name: 'Alice phone' });
      await hardware('OTHER-NAMED', { name: 'alice laptop' });
      const serials = async (query: string) => {
        const p = await page(query);
        assert.equal(p.total, p.items.length, `${query}: all on one page`);
        return p.items.map((x) => x.serialNumber).sort();
      };
      assert.deepEqual(await serials('?search=SRCH-0100'), ['SRCH-0100'], 'an exact serial');
      assert.deepEqual(await serials('?search=srch-01'), ['SRCH-0100', 'SRCH-0101', 'SRCH-0110'], 'a serial prefix, any case');
      assert.deepEqual(await serials('?search=ALICE'), ['OTHER-NAMED', 'SRCH-NAMED'], 'a name prefix, any case');
      assert.deepEqual(await serials('?search=alice%20p'), ['SRCH-NAMED']);
      // Prefix, not "contains" (documented in the README and the OpenAPI description).
      assert.deepEqual(await serials('?search=0100'), [], 'the middle of a serial does not match');
      assert.deepEqual(await serials('?search=phone'), [], 'a later word of the name does not match');
      // LIKE wildcards are literal characters.
      assert.deepEqual(await serials('?search=SRCH_0100'), []);
      assert.deepEqual(await serials('?search=%25'), []);
      await hardware('PCT-1', { name: '50%_off' });
      assert.deepEqual(await serials('?search=50%25_'), ['PCT-1']);

      const paged = await page('?search=srch-01&start=1&limit=1');
      assert.equal(paged.total, 3);
      assert.equal(paged.items.length, 1);
      assert.equal(paged.items[0]!.serialNumber, 'SRCH-0101', 'matches newest first too');
    });

    it('lists for a resource administrator exactly the tokens it created or that are assigned to its resources', async () => {
      const mine = await createResource(call, `List mine ${mode}`);
      const other = await createResource(call, `List other ${mode}`);
      const admin = await resourceAdmin(t, `list admin ${mode}`, [mine.id]);
      const direct = await hardware('SCOPE-DIRECT');
      const elsewhere = await hardware('SCOPE-ELSEWHERE');
      const both = await hardware('SCOPE-BOTH');
      const ownedToken = await hardware('SCOPE-USER');
      const created = await hardware('SCOPE-CREATED', {}, admin.key);
      await hardware('SCOPE-NONE');
      const alice = (
        await t.db
          .insertInto('users')
          .values({ login: `scope-alice-${mode}` })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
      assert.equal((await call('PUT', `/api/v1/tokens/${ownedToken}/user`, { userId: alice })).status, 200);
      for (const [r, tokenId] of [
        [mine, direct],
        [other, elsewhere],
        [mine, both],
        [other, both],
      ] as const) {
        assert.equal((await call('PUT', `/api/v1/resources/${r.id}/tokens/${tokenId}`)).status, 204);
      }
      assert.equal((await call('PUT', `/api/v1/resources/${mine.id}/users/${alice}/token`, { tokenId: ownedToken })).status, 204);

      const visible = await page('', admin.key);
      assert.deepEqual(visible.items.map((x) => x.serialNumber).sort(), ['SCOPE-BOTH', 'SCOPE-CREATED', 'SCOPE-DIRECT', 'SCOPE-USER']);
      assert.equal(visible.total, 4, 'a token assigned twice counts once');
      assert.ok(!visible.items.some((x) => x.id === elsewhere));
      const searched = await page('?search=scope-&limit=2', admin.key);
      assert.equal(searched.total, 4);
      assert.equal(searched.items.length, 2);
      assert.deepEqual((await page('?search=scope-none', admin.key)).total, 0, 'search stays inside the scope');
      assert.deepEqual(
        (await page('?search=SCOPE-CREATED', admin.key)).items.map((x) => x.id),
        [created],
      );

      // An administrator without resources sees what it created, nothing else.
      const lonely = await resourceAdmin(t, `lonely admin ${mode}`, []);
      assert.deepEqual(await page('', lonely.key), { items: [], total: 0, next: null });
    });
  });
}
