import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { dbModes, openTestDb, type TestDb } from '../helpers/db.js';
import { ALL_TOKEN, ALL_USER, portalHarness } from '../server/portal/helpers.js';
import { assertClientAnswer, contentType, fieldValue, hostileString, malformedJson, watchUnhandled } from './fuzz-helpers.js';

// The self-service portal's API (DESIGN §12) under random input: any body, content type, CSRF
// value and path, signed in or not, never gets a 5xx, always the one error shape, and never acts
// for a session that is not signed in.

const ROUTES: [string, string][] = [
  ['POST', 'sign-in'],
  ['POST', 'password'],
  ['POST', 'code'],
  ['POST', 'otp'],
  ['POST', 'push'],
  ['POST', 'sign-out'],
  ['GET', 'me'],
  ['POST', 'token/enroll'],
  ['POST', 'token/enroll/confirm'],
  ['POST', 'token/enroll/resend'],
  ['POST', 'token/reissue'],
  ['POST', 'token/assign'],
  ['POST', 'token/unassign'],
  ['POST', 'token/sync'],
  ['PUT', 'token/pin'],
  ['DELETE', 'token/pin'],
  ['POST', 'user/password'],
  ['POST', 'user/password/change'],
  ['POST', 'user/email'],
  ['POST', 'user/email/confirm'],
  ['POST', 'user/phone'],
  ['POST', 'user/phone/confirm'],
  ['POST', 'user/login'],
  ['POST', 'user/names'],
];
const FIELDS = ['login', 'password', 'code', 'otp', 'type', 'serialNumber', 'otp1', 'otp2', 'pin', 'current', 'to', 'firstName', 'lastName'];

for (const mode of dbModes()) {
  describe(`portal API fuzzing (${mode})`, () => {
    let t: TestDb;
    let h: Awaited<ReturnType<typeof portalHarness>>;
    const guard = watchUnhandled();
    before(async () => {
      t = await openTestDb(mode);
      h = await portalHarness(t);
    });
    after(async () => {
      guard.stop();
      await t?.close();
    });

    it('never answers 5xx, signed in or not, and refuses writes without the CSRF value', { timeout: 240_000 }, async () => {
      const { resource, address } = await h.portal({
        allowedActions: { token: ALL_TOKEN, user: ALL_USER },
        enrollmentTypes: ['totp', 'email', 'sms', 'bot', 'push', 'hardware'],
      });
      const u = await h.user(resource.id);
      const signedIn = await h.signIn(address, u.login);
      const stranger = h.browser(address);
      const body = fc.oneof(
        {
          weight: 5,
          arbitrary: fc
            .dictionary(
              fc.constantFrom(...FIELDS),
              fc.oneof(fc.stringMatching(/^\d{4,8}$/), fc.constantFrom('totp', 'email', 'hardware', u.login), fieldValue),
              { maxKeys: 3 },
            )
            .map((j) => JSON.stringify(j)),
        },
        { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((j) => JSON.stringify(j)) },
        { weight: 1, arbitrary: malformedJson },
      );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...ROUTES),
          body,
          fc.oneof({ weight: 5, arbitrary: fc.constant<string | undefined>('application/json') }, { weight: 1, arbitrary: contentType }),
          fc.oneof(
            { weight: 4, arbitrary: fc.constant<'own' | 'none'>('own') },
            { weight: 1, arbitrary: fc.constant<'none'>('none') },
            { weight: 1, arbitrary: hostileString.filter((s) => /^[\x20-\x7e]*$/.test(s)) },
          ),
          fc.boolean(),
          async ([method, path], text, type, csrf, asStranger) => {
            const b = asStranger ? stranger : signedIn;
            const headers: Record<string, string> = { 'user-agent': 'portal fuzz' };
            if (type !== undefined) headers['content-type'] = type;
            if (b.cookie) headers.cookie = b.cookie;
            const token = csrf === 'own' ? b.csrf : csrf === 'none' ? undefined : csrf;
            if (token) headers['x-veriframe-csrf'] = token;
            const res = await h.api.app.request(
              `/self-service/${address}/api/${path}`,
              { method, headers, ...(method === 'GET' || method === 'DELETE' ? {} : { body: text }) },
              { incoming: { socket: { remoteAddress: '198.51.100.77' } } },
            );
            const answer = await res.text();
            assertClientAnswer(res.status, answer, `${method} ${path} ${text.slice(0, 200)}`);
            if (res.status < 300 && method !== 'GET' && path !== 'sign-in') assert.equal(token, b.csrf, `${path} succeeded without the session's CSRF value`);
            if (res.status < 300 && asStranger && !['sign-in', 'password', 'code', 'otp', 'sign-out'].includes(path))
              assert.fail(`${path} worked without signing in`);
          },
        ),
        { numRuns: 300 },
      );
      guard.assertNone();
    });
  });
}
