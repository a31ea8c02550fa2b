import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { loadConfig } from '../../server/src/config.js';
import { sha256 } from '../../server/src/crypto/random.js';
import { createDelivery } from '../../server/src/delivery/index.js';
import { createLogger } from '../../server/src/logger.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { adminCalls, rfcSecretBase32 } from '../helpers/auth.js';
import { ensureWidgetBuilt } from '../helpers/browser.js';
import { dbModes, openTestDb, type TestDb } from '../helpers/db.js';
import {
  DATA_TABLES,
  assertClientAnswer,
  assertSameSnapshot,
  contentType,
  fieldValue,
  forwardedFor,
  headerSafe,
  hostileString,
  malformedJson,
  pathSegment,
  snapshot,
  watchUnhandled,
} from './fuzz-helpers.js';

// Random input at everything the widget exposes without credentials (DESIGN §7.2): the
// iframe's JSON API (/widget/api/start|identify|otp|resend), the iframe page /widget/{id} with
// hostile ids and query strings, its bundles and /embed.js. Properties: never a 5xx, JSON
// errors in the one shape, no unhandled rejection, hostile query text never reflected as
// markup, and the sign-ins of other people (their transactions, users and tokens) untouched,
// even when the fuzzer sends ids that differ from theirs by one character.

const SITE = 'https://shop.example';
const OURS = 'http://127.0.0.1:8787'; // PUBLIC_URL when none is configured
const PASSWORD = 'correct horse battery';
const INJECTED = '<x-injected>';

/** The iframe API's body fields per endpoint (server/src/widget/schema.ts). */
const API_FIELDS: Record<string, { required: string[]; optional: string[] }> = {
  start: { required: ['resourceId', 'origin', 'nonce', 'instance'], optional: [] },
  identify: { required: ['transaction', 'login'], optional: ['resourceId', 'password'] },
  otp: { required: ['transaction', 'otp'], optional: ['resourceId'] },
  resend: { required: ['transaction'], optional: ['resourceId'] },
};

/** One character of a 22-character transaction id changed: what a guesser's near miss looks like. */
const nearMiss = (id: string, at: number, ch: string) => {
  const i = at % id.length;
  const swapped = id[i] === ch ? (ch === 'A' ? 'B' : 'A') : ch;
  return id.slice(0, i) + swapped + id.slice(i + 1);
};

for (const mode of dbModes()) {
  describe(`widget fuzzing (${mode})`, { timeout: 150_000 }, () => {
    let t: TestDb;
    let api: TestApp;
    let resource: { id: string };
    let otpOnly: { id: string };
    const fuzzerTokens: string[] = [];
    let victimUser: string;
    const fuzzerLogin = `fuzzer-${mode}`;
    const victimTx: string[] = [];
    const ownTx: string[] = [];
    const guard = watchUnhandled();

    const post = async (path: string, body: string, headers: Record<string, string>, remoteAddress = '203.0.113.10') => {
      const res = await api.app.request(path, { method: 'POST', headers, body }, { incoming: { socket: { remoteAddress } } });
      return { status: res.status, text: await res.text() };
    };
    const call = async (step: string, json: Record<string, unknown>, remoteAddress?: string) => {
      const res = await post(`/widget/api/${step}`, JSON.stringify(json), { 'content-type': 'application/json', origin: OURS }, remoteAddress);
      assert.ok(res.status < 300, `${step}: ${res.text}`);
      return JSON.parse(res.text) as { transaction?: string; step?: string };
    };

    before(async () => {
      ensureWidgetBuilt();
      t = await openTestDb(mode);
      const log = createLogger('silent');
      const delivery = createDelivery(loadConfig({ DATABASE_URL: 'pglite://memory', LOG_LEVEL: 'silent', VERIFRAME_DEV_OUTBOX: '1' }), log);
      // A proxy on loopback is trusted, so X-Forwarded-For decides the client address there.
      api = await createTestApp(t, { delivery, env: { TRUSTED_PROXIES: '127.0.0.0/8,::1/128' } });
      const admin = adminCalls(api);
      resource = await admin.resource({ name: `widget fuzz ${mode}`, allowedOrigins: [SITE], authMethod: 'password+otp' });
      otpOnly = await admin.resource({ name: `widget fuzz otp ${mode}`, allowedOrigins: [SITE], authMethod: 'otp' });

      // The fuzzer's own account: it may sign in, fail and lock its own token.
      const fuzzer = await admin.user({ login: fuzzerLogin, password: PASSWORD, email: `${fuzzerLogin}@example.test` });
      const fuzzerHotp = await admin.token({ kind: 'hardware', type: 'hotp', secret: rfcSecretBase32, serialNumber: `FUZZ-${mode}` });
      await admin.pair(resource.id, fuzzer.id, fuzzerHotp.id);
      const fuzzerEmail = await admin.token({ kind: 'software', type: 'email' });
      await admin.pair(otpOnly.id, fuzzer.id, fuzzerEmail.id);
      fuzzerTokens.push(fuzzerHotp.id, fuzzerEmail.id);

      // Someone else, halfway through signing in on both resources (and one just started).
      const victim = await admin.user({ login: `victim-${mode}`, password: PASSWORD, email: `victim-${mode}@example.test` });
      victimUser = victim.id;
      const victimHotp = await admin.token({ kind: 'hardware', type: 'hotp', secret: rfcSecretBase32, serialNumber: `VICTIM-${mode}` });
      await admin.pair(resource.id, victim.id, victimHotp.id);
      const victimEmail = await admin.token({ kind: 'software', type: 'email' });
      await admin.pair(otpOnly.id, victim.id, victimEmail.id);
      const started = (r: string, who = 'victim') => call('start', { resourceId: r, origin: SITE, nonce: `${who}-nonce`, instance: who }, '198.51.100.1');
      for (const [r, password] of [
        [resource.id, PASSWORD],
        [otpOnly.id, undefined],
      ] as const) {
        const tx = (await started(r)).transaction!;
        assert.equal((await call('identify', { transaction: tx, login: `victim-${mode}`, ...(password ? { password } : {}) }, '198.51.100.1')).step, 'otp');
        victimTx.push(tx);
      }
      victimTx.push((await started(resource.id)).transaction!);

      // Transactions the fuzzer started itself, and may move on.
      for (const r of [resource.id, otpOnly.id, resource.id]) ownTx.push((await started(r, 'fuzzer')).transaction!);
    });
    after(async () => {
      guard.stop();
      await t?.close();
    });

    // Values that mean something to the server, mixed with hostile ones.
    const meaningful = (a: fc.Arbitrary<unknown>) => fc.oneof({ weight: 5, arbitrary: a }, { weight: 1, arbitrary: fieldValue });
    const fields = (): Record<string, fc.Arbitrary<unknown>> => ({
      resourceId: meaningful(
        fc.oneof({ weight: 4, arbitrary: fc.constantFrom(resource.id, otpOnly.id, resource.id.toUpperCase()) }, { weight: 1, arbitrary: fc.uuid() }),
      ),
      origin: meaningful(fc.constantFrom(SITE, `${SITE}/`, 'https://SHOP.example', `${SITE}:443`, 'https://evil.example', 'null', OURS, 'javascript:alert(1)')),
      nonce: meaningful(fc.stringMatching(/^[\w-]{1,128}$/)),
      instance: meaningful(fc.stringMatching(/^[\w-]{1,128}$/)),
      transaction: meaningful(
        fc.oneof(
          // Looked up when drawn: transactions the fuzzer starts along the way join the pool.
          fc.nat().map((i) => ownTx[i % ownTx.length]!),
          fc.tuple(fc.constantFrom(...victimTx), fc.nat(), fc.constantFrom('A', 'b', '0', '-', '_')).map(([id, at, ch]) => nearMiss(id, at, ch)),
          fc.constantFrom(...victimTx).map((id) => `${id} `),
          fc.stringMatching(/^[\w-]{22}$/),
        ),
      ),
      login: meaningful(
        fc.oneof({ weight: 3, arbitrary: fc.constantFrom(fuzzerLogin, fuzzerLogin.toUpperCase()) }, { weight: 1, arbitrary: fc.constant(` ${fuzzerLogin}`) }),
      ),
      password: meaningful(fc.oneof({ weight: 3, arbitrary: fc.constant(PASSWORD) }, { weight: 1, arbitrary: fc.constantFrom('', 'x'.repeat(1024)) })),
      otp: meaningful(fc.oneof(fc.stringMatching(/^\d{6}$/), fc.stringMatching(/^[\d -]{1,20}$/))),
    });
    const shapedBody = (step: string) => {
      const known = fields();
      const spec = API_FIELDS[step]!;
      return fc
        .tuple(
          fc.record(Object.fromEntries(spec.required.map((k) => [k, known[k]!]))),
          fc.record(Object.fromEntries(spec.optional.map((k) => [k, known[k]!])), { requiredKeys: [] }),
          fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.tuple(hostileString, fieldValue) }),
        )
        .map(([req, opt, stranger]) => ({ ...req, ...opt, ...(stranger ? { [stranger[0]]: stranger[1] } : {}) }));
    };
    const apiRequest = () =>
      fc.constantFrom(...Object.keys(API_FIELDS)).chain((step) =>
        fc.record({
          step: fc.constant(step),
          body: fc.oneof(
            { weight: 6, arbitrary: shapedBody(step).map((json) => ({ json: json as unknown })) },
            { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((json) => ({ json })) },
            { weight: 1, arbitrary: malformedJson.map((text) => ({ text })) },
          ),
          // Where a shaped body's transaction comes from: as drawn, or one started just now for
          // the fuzzer (and moved to the code step), so the fuzzed values reach the later checks.
          fresh: fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 3, arbitrary: fc.constantFrom(resource.id, otpOnly.id) }),
          contentType: fc.oneof({ weight: 6, arbitrary: fc.constant<string | undefined>('application/json') }, { weight: 1, arbitrary: contentType }),
          origin: fc.oneof(
            { weight: 6, arbitrary: fc.constant<string | undefined>(OURS) },
            { weight: 1, arbitrary: fc.constantFrom<string | undefined>(undefined, SITE, 'null', 'http://127.0.0.1:8788', `${OURS}/`) },
          ),
          fetchSite: fc.oneof(
            { weight: 6, arbitrary: fc.constantFrom<string | undefined>(undefined, 'same-origin') },
            { weight: 1, arbitrary: fc.constantFrom<string | undefined>('cross-site', 'same-site', 'none') },
          ),
          // A direct client, or our proxy on loopback passing on an X-Forwarded-For.
          peer: fc.oneof(fc.ipV4(), fc.ipV6(), fc.constantFrom('127.0.0.1', '::1', '::ffff:127.0.0.1', 'garbage')),
          xff: forwardedFor,
          userAgent: fc.option(hostileString.filter(headerSafe), { nil: undefined }),
        }),
      );

    /** Other people's sign-ins as stored: their transactions, and the data tables but for the fuzzer's own tokens. */
    const othersState = async () => {
      const victims = await t.db
        .selectFrom('widget_transactions')
        .selectAll()
        .where('idHash', 'in', victimTx.map(sha256))
        .orderBy('createdAt')
        .orderBy('nonce')
        .execute();
      assert.equal(victims.length, victimTx.length);
      const data = await snapshot(t, DATA_TABLES, { omit: ['lastUsedAt'], skip: { tokens: (row) => fuzzerTokens.includes(row.id as string) } });
      return {
        victims: JSON.stringify(victims.map((r) => ({ ...r, idHash: Buffer.from(r.idHash).toString('hex') })).sort((a, b) => a.idHash.localeCompare(b.idHash))),
        data,
      };
    };

    it('never answers 5xx to the iframe API, and leaves other sign-ins alone', async () => {
      const victimsBefore = await t.db.selectFrom('widget_transactions').selectAll().where('userId', '=', victimUser).execute();
      assert.equal(victimsBefore.length, 2, 'two victim transactions are at the code step');
      const before = await othersState();
      let deep = 0;
      let freshStarts = 0;
      await fc.assert(
        fc.asyncProperty(apiRequest(), async (r) => {
          const headers: Record<string, string> = {};
          if (r.contentType !== undefined) headers['content-type'] = r.contentType;
          if (r.origin !== undefined) headers.origin = r.origin;
          if (r.fetchSite !== undefined) headers['sec-fetch-site'] = r.fetchSite;
          if (r.xff !== undefined) headers['x-forwarded-for'] = r.xff;
          if (r.userAgent !== undefined) headers['user-agent'] = r.userAgent;
          const json = 'json' in r.body ? r.body.json : undefined;
          if (r.fresh && r.step !== 'start' && typeof json === 'object' && json !== null && 'transaction' in json) {
            const resourceId = r.fresh;
            // From an address of its own each time: the helper's starts alone would otherwise
            // reach the 60 starts per client and resource in 10 minutes (rate-windows.ts).
            const ip = `203.0.113.${(freshStarts++ % 250) + 1}`;
            const tx = (await call('start', { resourceId, origin: SITE, nonce: 'fuzzer-nonce', instance: 'fuzzer' }, ip)).transaction!;
            if (r.step !== 'identify')
              await call('identify', { transaction: tx, login: fuzzerLogin, ...(resourceId === resource.id ? { password: PASSWORD } : {}) }, ip);
            (json as Record<string, unknown>).transaction = tx;
          }
          const body = 'json' in r.body ? JSON.stringify(r.body.json) : r.body.text;
          const res = await post(`/widget/api/${r.step}`, body, headers, r.peer);
          assertClientAnswer(res.status, res.text, `POST /widget/api/${r.step} ${body.slice(0, 300)}`);
          // Past the checks of form (content type, origin, schema), into the sign-in logic.
          if ([200, 401, 410, 422, 423, 429].includes(res.status)) deep++;
          // The fuzzer's tokens lock after a few wrong codes; unlocked, later runs get further again.
          if (res.status === 423) for (const id of fuzzerTokens) await api.call('POST', `/api/v1/tokens/${id}/unlock`);
          // A transaction the fuzzer started is its own to use in later runs.
          if (res.status === 200 && r.step === 'start') ownTx.push((JSON.parse(res.text) as { transaction: string }).transaction);
        }),
        { numRuns: 250 },
      );
      const after = await othersState();
      assert.equal(after.victims, before.victims, "the victim's transactions did not move (state, attempts, user, token)");
      assertSameSnapshot(after.data, before.data, 'data outside the fuzzer account');
      const victimsAfter = await t.db.selectFrom('widget_transactions').select(['state', 'completedAt']).where('userId', '=', victimUser).execute();
      assert.ok(
        victimsAfter.every((v) => v.state === 'otp' && v.completedAt === null),
        'no victim transaction completed',
      );
      assert.ok(deep > 40, `the fuzzer got answers past validation (${deep})`);
      guard.assertNone();
    });

    const query = () =>
      fc.dictionary(
        fc.oneof(
          { weight: 5, arbitrary: fc.constantFrom('origin', 'instance', 'lang', 'theme', 'size', 'accent', 'radius', 'font') },
          { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
        ),
        fc.oneof(
          { weight: 2, arbitrary: fc.constantFrom(SITE, 'vf-instance_1', 'en', 'fr-CA', 'dark', 'compact', '#0a66c2', '4px', 'system-ui', 'auto') },
          { weight: 2, arbitrary: hostileString },
          { weight: 1, arbitrary: hostileString.map((s) => `${INJECTED}${s}`) },
          {
            weight: 1,
            arbitrary: fc.constantFrom(
              `"><script>alert(1)</script>`,
              `red;}</style><script>alert(1)</script>`,
              `${INJECTED}</script><script>alert(1)</script>`,
            ),
          },
        ),
        { maxKeys: 6 },
      );

    it('serves the iframe page for any id and query without a 5xx or reflected markup', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            { weight: 3, arbitrary: fc.constantFrom(resource.id, otpOnly.id) },
            { weight: 1, arbitrary: fc.uuid() },
            { weight: 2, arbitrary: hostileString.map(pathSegment) },
          ),
          query(),
          fc.boolean(),
          async (id, q, withSite) => {
            const params = new URLSearchParams({ ...(withSite ? { origin: SITE, instance: 'vf-1' } : {}), ...q });
            const path = `/widget/${id}?${params.toString()}`;
            const res = await api.app.request(path);
            const text = await res.text();
            assert.ok([200, 400, 403, 404].includes(res.status), `GET ${path} → ${res.status} ${text.slice(0, 300)}`);
            if (res.status === 404 && !res.headers.get('content-type')?.includes('html')) {
              assertClientAnswer(res.status, text, `GET ${path}`); // a path the widget route does not match
              return;
            }
            assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
            const csp = res.headers.get('content-security-policy') ?? '';
            assert.ok(!/frame-ancestors[^;]*\*/.test(csp), 'never frame-ancestors *');
            if (res.status === 200)
              assert.match(csp, new RegExp(`frame-ancestors ${SITE.replace(/[.:/]/g, '\\$&')}(;|$)`), 'only the allowed origin may frame it');
            else assert.match(csp, /frame-ancestors 'none'/);
            assert.ok(!text.includes(INJECTED) && !text.includes('<script>alert(1)'), `GET ${path}: hostile text reflected as markup`);
          },
        ),
        { numRuns: 250 },
      );
      guard.assertNone();
    });

    it('serves /embed.js and the bundles, or 404, for any query, path and validator', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.constant('/embed.js'),
            fc.constantFrom('frame.js', 'embed.js', 'x.css', '../package.json', '.env', 'a/../../b.js', '%2e%2e/x.js').map((p) => `/widget/assets/${p}`),
            hostileString.map((s) => `/widget/assets/${pathSegment(s)}`),
          ),
          fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 20 }), { maxKeys: 3 }),
          fc.option(fc.oneof(fc.string({ maxLength: 40 }), fc.constant('*')).filter(headerSafe), { nil: undefined }),
          async (path, q, etag) => {
            const search = new URLSearchParams(q).toString();
            const res = await api.app.request(`${path}${search ? `?${search}` : ''}`, { headers: etag !== undefined ? { 'if-none-match': etag } : {} });
            const text = await res.text();
            assert.ok([200, 304, 404].includes(res.status), `GET ${path} → ${res.status} ${text.slice(0, 200)}`);
            // 404: JSON from the asset routes, or the refusal page when a `..` made it /widget/{id}.
            if (res.status === 404 && !res.headers.get('content-type')?.includes('html')) assertClientAnswer(res.status, text, `GET ${path}`);
            if (res.status === 200) assert.match(res.headers.get('content-type') ?? '', /^text\/(javascript|css)/);
          },
        ),
        { numRuns: 150 },
      );
      guard.assertNone();
    });
  });
}
