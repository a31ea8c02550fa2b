import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ocra } from '../../server/src/otp/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { adminCalls, authCalls, rfcSecret, rfcSecretBase32 } from '../helpers/auth.js';
import { dbModes, openTestDb, type TestDb } from '../helpers/db.js';

// Finding 3 of issue 13: the OCRA question of sign-transaction was a pure hash of the data, so
// with a counter-less suite the same data gave the same answer forever; the answer was also
// accepted as a login OTP (shared challenge slot); and verify-signed-transaction looked the
// login up with another normalisation than authentication, so a login typed in NFD skipped the
// data check and fell through to a plain OTP check: an answer for "pay 10 EUR to Alice"
// verified "pay 9999 EUR to Mallory". Now the question is random, single use, bound to a keyed
// hash of the data, kept apart from login challenges, and verified through the one pipeline.

const SUITE = 'OCRA-1:HOTP-SHA1-6:QN08';
const answerFor = (question: string) => ocra(SUITE, rfcSecret, { question });

for (const mode of dbModes()) {
  describe(`transaction signing (${mode})`, () => {
    let t: TestDb;
    let api: TestApp;
    let admin: ReturnType<typeof adminCalls>;
    let n = 0;
    before(async () => {
      t = await openTestDb(mode);
      api = await createTestApp(t);
      admin = adminCalls(api);
    });
    after(() => t.close());

    async function ocraUser(login: string) {
      const resource = await admin.resource();
      const user = await admin.user({ login });
      const token = await admin.token({ kind: 'hardware', type: 'ocra', ocraSuite: SUITE, serialNumber: `OC-${mode}-${++n}`, secret: rfcSecretBase32 });
      await admin.pair(resource.id, user.id, token.id);
      return { auth: authCalls(api, resource) };
    }

    it('gives a new question every time, so an old answer for the same data is refused', async () => {
      const { auth } = await ocraUser(`ocra-a-${mode}`);
      const data = 'pay 10 EUR to Alice';
      const first = (await auth('sign-transaction', { login: `ocra-a-${mode}`, data })).body.challenge!;
      const oldAnswer = answerFor(first);
      assert.deepEqual((await auth('verify-signed-transaction', { login: `ocra-a-${mode}`, data, otp: oldAnswer })).body, { result: true });
      const second = (await auth('sign-transaction', { login: `ocra-a-${mode}`, data })).body.challenge!;
      assert.notEqual(second, first);
      const replay = await auth('verify-signed-transaction', { login: `ocra-a-${mode}`, data, otp: oldAnswer });
      assert.equal(replay.body.result, false, 'the answer to the first question does not confirm the second');
    });

    it('never accepts a transaction answer as a login code, nor a login answer for a transaction', async () => {
      const login = `ocra-b-${mode}`;
      const { auth } = await ocraUser(login);
      const signed = (await auth('sign-transaction', { login, data: 'pay 5 EUR' })).body.challenge!;
      assert.equal((await auth('user-token', { login, otp: answerFor(signed) })).body.result, false);
      const prepared = (await auth('prepare', { login })).body.challenge!;
      assert.equal((await auth('verify-signed-transaction', { login, data: 'pay 5 EUR', otp: answerFor(prepared) })).body.result, false);
      // Both challenges are still open and each works for its own purpose, once.
      assert.deepEqual((await auth('user-token', { login, otp: answerFor(prepared) })).body, { result: true });
      assert.deepEqual((await auth('verify-signed-transaction', { login, data: 'pay 5 EUR', otp: answerFor(signed) })).body, { result: true });
    });

    it('an answer for one payment never verifies another, whatever the form of the login', async () => {
      const nfc = `josé-${mode}`.normalize('NFC');
      const nfd = nfc.normalize('NFD');
      assert.notEqual(nfc, nfd);
      const { auth } = await ocraUser(nfc);
      const question = (await auth('sign-transaction', { login: nfc, data: 'pay 10 EUR to Alice' })).body.challenge!;
      const answer = answerFor(question);
      for (const login of [nfd, nfc, nfc.toUpperCase()]) {
        const forged = await auth('verify-signed-transaction', { login, data: 'pay 9999 EUR to Mallory', otp: answer });
        assert.equal(forged.body.result, false, `login ${JSON.stringify(login)}`);
      }
      assert.deepEqual(
        (await auth('verify-signed-transaction', { login: nfd, data: 'pay 10 EUR to Alice', otp: answer })).body,
        { result: true },
        'the NFD login is the same user',
      );
    });

    it('refuses when no transaction was opened, and for a user without an OCRA token', async () => {
      const login = `ocra-c-${mode}`;
      const { auth } = await ocraUser(login);
      const none = await auth('verify-signed-transaction', { login, data: 'anything', otp: '12345678' });
      assert.deepEqual(none.body, { result: false, reason: 'expired_challenge' });
      const unknown = await auth('verify-signed-transaction', { login: 'no-such-user', data: 'anything', otp: '12345678' });
      assert.deepEqual(unknown.body, { result: false, reason: 'invalid_credentials' });
    });
  });
}
