import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { loadConfig } from '../../server/src/config.js';
import { createDelivery } from '../../server/src/delivery/index.js';
import type { Message } from '../../server/src/delivery/types.js';
import { createLogger } from '../../server/src/logger.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { adminCalls, rfcSecretBase32 } from '../helpers/auth.js';
import { dbModes, openTestDb, type TestDb } from '../helpers/db.js';
import {
  DATA_TABLES,
  allTables,
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

// Random input at the server-to-server authentication API (DESIGN §5) and POST /api/v1/verify:
// every route under /api/v1/auth/{resourceId}/ that the OpenAPI document lists, with arbitrary
// JSON, bodies of the right shape holding hostile values, malformed JSON, wrong content types,
// forged credentials and odd X-Forwarded-For headers. Properties: never a 5xx, a 4xx always in
// the error shape with a code from shared/errors.ts, no unhandled rejection, and nothing
// outside the fuzzed resource's own tokens changes (another resource's users and tokens above
// all). Requests without valid credentials change nothing at all, not even the event log.

const PASSWORD = 'correct horse battery';
const unknownId = '00000000-0000-4000-8000-00000000f00d';
const VERIFY = '/api/v1/verify';

type BodyDoc = { requestBody: { content: { 'application/json': { schema: { $ref: string } } } } };

for (const mode of dbModes()) {
  describe(`authentication API fuzzing (${mode})`, { timeout: 120_000 }, () => {
    let t: TestDb;
    let api: TestApp;
    let target: { id: string; secret: string };
    let other: { id: string; secret: string };
    let routes: string[];
    const schemas: Record<string, { properties: string[]; required: string[] }> = {};
    const logins: string[] = [];
    const tokenIds: string[] = [];
    const targetTokens = new Set<string>();
    const otherEmails: string[] = [];
    const sent: Message[] = [];
    const guard = watchUnhandled();

    before(async () => {
      t = await openTestDb(mode);
      const log = createLogger('silent');
      const outbox = createDelivery(loadConfig({ DATABASE_URL: 'pglite://memory', LOG_LEVEL: 'silent', VERIFRAME_DEV_OUTBOX: '1' }), log);
      api = await createTestApp(t, {
        delivery: { send: async (m) => (sent.push(m), outbox.send(m)), ...(outbox.outbox ? { outbox: outbox.outbox } : {}) },
      });
      const admin = adminCalls(api);
      const doc = (await (await api.request('/api/v1/openapi.json', { key: null })).json()) as {
        paths: Record<string, Record<string, unknown>>;
        components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
      };
      routes = Object.keys(doc.paths).filter((p) => p.startsWith('/api/v1/auth/{resourceId}/'));
      // The body fields of each route, as documented: a new field gets fuzzed without edits here.
      for (const route of [...routes, VERIFY]) {
        const ref = (doc.paths[route]!.post as BodyDoc).requestBody.content['application/json'].schema.$ref;
        const schema = doc.components.schemas[ref.split('/').pop()!]!;
        schemas[route] = { properties: Object.keys(schema.properties ?? {}), required: schema.required ?? [] };
      }

      // The fuzzed resource: a user per kind of token (TOTP with password, e-mail code, OCRA)
      // and a token assigned on its own; another resource with its own user and token, whose
      // logins and ids the fuzzer also sends (to the fuzzed resource's credentials).
      target = await admin.resource({ name: `fuzz target ${mode}` });
      other = await admin.resource({ name: `fuzz bystander ${mode}` });
      const tokenKinds = [
        { kind: 'software', type: 'totp' },
        { kind: 'software', type: 'email' },
        { kind: 'hardware', type: 'ocra', ocraSuite: 'OCRA-1:HOTP-SHA1-6:QN08', secret: rfcSecretBase32, serialNumber: `OCRA-${mode}` },
        { kind: 'hardware', type: 'hotp', secret: rfcSecretBase32, serialNumber: `HOTP-${mode}`, pin: '1234' },
      ];
      for (const [i, body] of tokenKinds.entries()) {
        const login = `fuzz-${i}-${mode}`;
        const user = await admin.user({ login, password: PASSWORD, email: `${login}@target.test` });
        const token = await admin.token(body);
        await admin.pair(target.id, user.id, token.id);
        logins.push(login);
        tokenIds.push(token.id);
        targetTokens.add(token.id);
      }
      const solo = await admin.token({ kind: 'hardware', type: 'totp', secret: rfcSecretBase32, serialNumber: `SOLO-${mode}` });
      await admin.assignToken(target.id, solo.id);
      tokenIds.push(solo.id);
      targetTokens.add(solo.id);

      for (const type of ['totp', 'email']) {
        const login = `bystander-${type}-${mode}`;
        const user = await admin.user({ login, password: PASSWORD, email: `${login}@other.test` });
        const token = await admin.token({ kind: 'software', type });
        await admin.pair(other.id, user.id, token.id);
        await admin.assignToken(other.id, token.id);
        logins.push(login);
        tokenIds.push(token.id);
        otherEmails.push(`${login}@other.test`);
      }
      const unassigned = await admin.token({ kind: 'hardware', type: 'hotp', secret: rfcSecretBase32, serialNumber: `LOOSE-${mode}` });
      tokenIds.push(unassigned.id);
    });
    after(async () => {
      guard.stop();
      await t?.close();
    });

    const basicOf = (id: string, secret: string) => 'Basic ' + Buffer.from(`${id}:${secret}`).toString('base64');

    // Values that mean something to the server (known logins and token ids, codes, addresses),
    // mixed with hostile ones; a field the table does not know gets hostile values only.
    const meaningful = (a: fc.Arbitrary<unknown>) => fc.oneof({ weight: 3, arbitrary: a }, { weight: 1, arbitrary: fieldValue });
    const fields = (): Record<string, fc.Arbitrary<unknown>> => ({
      login: meaningful(
        fc.oneof(
          fc.constantFrom(...logins),
          fc.constantFrom(...logins).map((l) => ` ${l.toUpperCase()} `),
          hostileString,
        ),
      ),
      password: meaningful(fc.oneof(fc.constant(PASSWORD), hostileString)),
      otp: meaningful(fc.oneof(fc.stringMatching(/^\d{6}$/), fc.stringMatching(/^\d{4,12}$/), fc.stringMatching(/^[0-9a-fA-F]{4,140}$/))),
      tokenId: meaningful(fc.oneof(fc.constantFrom(...tokenIds), fc.uuid())),
      data: meaningful(fc.string({ minLength: 1, maxLength: 1000 })),
      ip: meaningful(fc.oneof(fc.ipV4(), fc.ipV6(), fc.constantFrom('127.1', '::ffff:10.0.0.1', 'fe80::1%eth0', '999.1.1.1', '1.2.3.4/8'))),
      token: meaningful(fc.oneof(fc.constant('eyJhbGciOiJFUzI1NiJ9.e30.c2ln'), fc.stringMatching(/^[\w-]{1,40}\.[\w-]{1,40}\.[\w-]{1,40}$/))),
      nonce: meaningful(fc.stringMatching(/^[\w-]{1,64}$/)),
    });

    /** A body of the route's documented shape: its required fields, some optional ones, rarely a stranger. */
    const shapedBody = (route: string) => {
      const schema = schemas[route]!;
      const known = fields();
      const arb = (name: string) => known[name] ?? fieldValue;
      const required = Object.fromEntries(schema.required.map((k) => [k, arb(k)]));
      const optional = Object.fromEntries(schema.properties.filter((k) => !schema.required.includes(k)).map((k) => [k, arb(k)]));
      return fc
        .tuple(
          fc.record(required),
          fc.record(optional, { requiredKeys: [] }),
          fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.tuple(hostileString, fieldValue) }),
        )
        .map(([req, opt, stranger]) => ({ ...req, ...opt, ...(stranger ? { [stranger[0]]: stranger[1] } : {}) }));
    };

    /** A request: which route, which resource in the path, which credentials, what body. */
    const request = () =>
      fc
        .oneof({ weight: 7, arbitrary: fc.constantFrom(...routes) }, { weight: 1, arbitrary: fc.constant(VERIFY) })
        .chain((route) =>
          fc.record({
            route: fc.constant(route),
            pathId: fc.oneof(
              { weight: 8, arbitrary: fc.constant('target') },
              { weight: 1, arbitrary: fc.constantFrom('other', 'unknown') },
              { weight: 1, arbitrary: hostileString.map(pathSegment) },
            ),
            auth: fc.oneof(
              { weight: 8, arbitrary: fc.constant<string | null>('valid') },
              {
                weight: 1,
                arbitrary: fc.constantFrom<string | null>(
                  null,
                  'wrong-secret',
                  'other',
                  'other-secret-for-target',
                  'no-colon',
                  'bearer',
                  'uppercase-id',
                  'empty-secret',
                ),
              },
              {
                weight: 1,
                arbitrary: fc
                  .oneof(
                    hostileString,
                    fc.base64String({ maxLength: 80 }).map((b) => `Basic ${b}`),
                  )
                  .filter(headerSafe),
              },
            ),
            body: fc.oneof(
              { weight: 5, arbitrary: shapedBody(route).map((json) => ({ json: json as unknown })) },
              { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((json) => ({ json })) },
              { weight: 2, arbitrary: malformedJson.map((text) => ({ text })) },
            ),
            contentType: fc.oneof({ weight: 6, arbitrary: fc.constant<string | undefined>('application/json') }, { weight: 1, arbitrary: contentType }),
            xff: forwardedFor,
          }),
        )
        // The other resource's own credentials for its own data are its business, not a forgery.
        .filter((r) => !(r.auth === 'other' && (r.route === VERIFY || r.pathId === 'other')));

    type Req = typeof request extends () => fc.Arbitrary<infer R> ? R : never;

    function authorization(auth: string | null): string | undefined {
      switch (auth) {
        case null:
          return undefined;
        case 'valid':
          return basicOf(target.id, target.secret);
        case 'wrong-secret':
          return basicOf(target.id, `${target.secret}x`);
        case 'other':
          return basicOf(other.id, other.secret);
        case 'other-secret-for-target':
          return basicOf(target.id, other.secret);
        case 'no-colon':
          return 'Basic ' + Buffer.from(target.id + target.secret).toString('base64');
        case 'bearer':
          return `Bearer ${api.adminKey}`;
        case 'uppercase-id':
          return basicOf(target.id.toUpperCase(), target.secret);
        case 'empty-secret':
          return basicOf(target.id, '');
        default:
          return auth;
      }
    }

    /**
     * Whether the request carries the fuzzed resource's own credentials for a path naming it
     * (ids are uuids, so an upper-case id with the right secret is the same credential).
     */
    const authentic = (r: Req) => (r.auth === 'valid' || (r.auth === 'uppercase-id' && r.route === VERIFY)) && (r.route === VERIFY || r.pathId === 'target');

    async function send(r: Req) {
      const id = r.pathId === 'target' ? target.id : r.pathId === 'other' ? other.id : r.pathId === 'unknown' ? unknownId : r.pathId;
      const path = r.route.replace('{resourceId}', id);
      const headers: Record<string, string> = {};
      const auth = authorization(r.auth);
      if (auth !== undefined) headers.authorization = auth;
      if (r.contentType !== undefined) headers['content-type'] = r.contentType;
      if (r.xff !== undefined) headers['x-forwarded-for'] = r.xff;
      const body = 'json' in r.body ? JSON.stringify(r.body.json) : r.body.text;
      const res = await api.app.request(path, { method: 'POST', headers, body }, { incoming: { socket: { remoteAddress: '127.0.0.1' } } });
      const text = await res.text();
      const what = `POST ${path} auth=${r.auth} body=${body.slice(0, 200)}`;
      // 429 from the throttle carries the authentication result, not the error shape (DESIGN §5).
      assertClientAnswer(res.status, text, what, (b) => res.status === 429 && (b as { reason?: unknown }).reason === 'throttled');
      if (res.status === 200) {
        const parsed = JSON.parse(text) as { result?: unknown; valid?: unknown };
        assert.equal(typeof (r.route === VERIFY ? parsed.valid : parsed.result), 'boolean', `${what}: a 200 carries the result`);
      }
      return { status: res.status, authentic: authentic(r) };
    }

    it('finds the authentication routes in the OpenAPI document', () => {
      for (const name of ['token', 'password', 'user-token', 'user-password-token', 'prepare', 'sign-transaction', 'verify-signed-transaction']) {
        assert.ok(routes.includes(`/api/v1/auth/{resourceId}/${name}`), `${name} is documented`);
      }
    });

    it('never answers 5xx, and changes nothing outside the fuzzed resource', async () => {
      // The fuzzed resource's tokens may count failures (the fuzzer knows their logins); nothing
      // else may change: the other resource's tokens, any user, resource or assignment.
      const opts = { omit: ['lastUsedAt'], skip: { tokens: (row: Record<string, unknown>) => targetTokens.has(row.id as string) } };
      const before = await snapshot(t, DATA_TABLES, opts);
      let authenticated = 0;
      await fc.assert(
        fc.asyncProperty(request(), async (r) => {
          const res = await send(r);
          if (res.authentic && res.status === 200) authenticated++;
          if (!res.authentic) assert.notEqual(res.status, 200, 'nothing is answered without the credentials');
        }),
        { numRuns: 220 },
      );
      assertSameSnapshot(await snapshot(t, DATA_TABLES, opts), before, 'data outside the fuzzed resource');
      assert.deepEqual(
        sent.filter((m) => otherEmails.includes(m.to)),
        [],
        "no code went to the other resource's users",
      );
      assert.ok(authenticated > 10, `the fuzzer got past the credentials and validation (${authenticated} answers)`);
      guard.assertNone();
    });

    it('changes nothing at all, not even the event log, without valid credentials', async () => {
      const tables = await allTables(t);
      assert.ok(tables.includes('events') && tables.includes('auth_throttle'), tables.join());
      const before = await snapshot(t, tables, { omit: ['lastUsedAt'] });
      await fc.assert(
        fc.asyncProperty(
          request().filter((r) => !authentic(r)),
          async (r) => {
            const res = await send(r);
            assert.ok(res.status === 401 || res.status === 404 || res.status === 400, `refused (${res.status})`);
          },
        ),
        { numRuns: 120 },
      );
      assertSameSnapshot(await snapshot(t, tables, { omit: ['lastUsedAt'] }), before, 'the database after unauthenticated requests');
      guard.assertNone();
    });

    it('refuses oversized bodies with 413 and nothing else', async () => {
      const big = JSON.stringify({ login: logins[0], password: 'x'.repeat(2 * 1024 * 1024) });
      for (const route of [...routes, VERIFY]) {
        const path = route.replace('{resourceId}', target.id);
        const res = await api.app.request(path, {
          method: 'POST',
          headers: { authorization: basicOf(target.id, target.secret), 'content-type': 'application/json' },
          body: big,
        });
        const text = await res.text();
        assert.equal(res.status, 413, `${path}: ${text.slice(0, 200)}`);
        assertClientAnswer(res.status, text, path);
      }
      guard.assertNone();
    });
  });
}
