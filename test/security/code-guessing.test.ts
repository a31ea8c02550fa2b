import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hotp } from '../../server/src/otp/index.js';
import { authCalls, rfcSecret } from '../helpers/auth.js';
import { dbModes, openTestDb, type TestDb } from '../helpers/db.js';
import { widgetHarness } from '../server/widget/helpers.js';

// The throttle counts a guess atomically before the code is compared (DESIGN §10 begin), so a
// burst of wrong codes gets no more answers than the window has room for, however many requests
// arrive at once (as test/security/password-guessing.test.ts shows for passwords). Here the
// window is one failure from full, then a burst of wrong codes with the right one sent first:
// at most one wrong code may be answered as wrong (a right code that got the slot gives it back
// when it is consumed, so then one wrong code may still take it), the rest are throttled, and
// the right code, if it was refused, is still unused once the window is over.

const LIMIT = 5;
const BURST = 40;
const WINDOW_S = 60;
const code = (counter: number) => hotp(rfcSecret, counter, { algorithm: 'SHA1', digits: 6 });

/** `n` six-digit codes that none of the token's next HOTP counters (look-ahead 10) produce. */
function wrongCodes(n: number): string[] {
  const valid = new Set(Array.from({ length: 12 }, (_, i) => code(i)));
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) {
    const c = String(100000 + i * 7919).slice(-6);
    if (!valid.has(c) && !out.includes(c)) out.push(c);
  }
  return out;
}

for (const mode of dbModes()) {
  describe(`a burst of codes is compared only as far as the throttle window has room (${mode})`, () => {
    let t: TestDb;
    let w: Awaited<ReturnType<typeof widgetHarness>>;
    before(async () => {
      t = await openTestDb(mode, { poolSize: 10 });
      w = await widgetHarness(t);
    });
    after(() => t.close());

    /** An OTP-only resource whose window holds LIMIT failures; the token locks only after 10 (the most allowed). */
    const otpResource = () =>
      w.setup({ resource: { authMethod: 'otp', throttleMaxFailures: LIMIT, throttleWindowSeconds: WINDOW_S, failedAttemptsLimit: 10 } });

    it('API: one slot left, the right code among many wrong ones: at most one wrong code is answered', async () => {
      const s = await otpResource();
      const auth = authCalls(w.api, s.resource);
      const ip = '198.51.100.20';
      const wrong = wrongCodes(LIMIT - 1 + BURST);
      for (const otp of wrong.slice(0, LIMIT - 1)) {
        const a = await auth('user-token', { login: s.login, otp, ip });
        assert.equal(a.status, 200);
        assert.equal(a.body.reason, 'invalid_credentials');
      }
      const codes = [code(0), ...wrong.slice(LIMIT - 1, LIMIT - 1 + BURST - 1)];
      const answers = await Promise.all(codes.map((otp) => auth('user-token', { login: s.login, otp, ip })));
      const wrongAnswered = answers.slice(1).filter((a) => a.status !== 429);
      assert.ok(wrongAnswered.length <= 1, `wrong codes answered: ${JSON.stringify(wrongAnswered.map((a) => a.body))}`);
      assert.ok(
        wrongAnswered.every((a) => a.body.reason === 'invalid_credentials'),
        'the one answered is answered as wrong',
      );
      assert.ok([200, 429].includes(answers[0]!.status));
      assert.ok(answers.filter((a) => a.status === 429).length >= BURST - 2, 'the rest are throttled');

      // A right code that was refused as throttled was not used: it works once the window is over.
      if (answers[0]!.body.result !== true) {
        w.clock.now = new Date(w.clock.now.getTime() + (WINDOW_S + 1) * 1000);
        const later = await auth('user-token', { login: s.login, otp: code(0), ip });
        assert.equal(later.body.result, true, JSON.stringify(later.body));
      }
    });

    it('widget: one slot left, the right code among many wrong ones at the code step: at most one wrong code is answered', async () => {
      const s = await otpResource();
      const ip = { ip: '198.51.100.21' };
      const txs: string[] = [];
      for (let i = 0; i < LIMIT - 1 + BURST; i++) {
        const tx = await w.begin(s.resource.id, {}, ip);
        // OTP-only: identify compares nothing and takes no slot.
        assert.equal((await w.identify(tx, s.login, undefined, ip)).status, 200);
        txs.push(tx);
      }
      const wrong = wrongCodes(LIMIT - 1 + BURST);
      for (let i = 0; i < LIMIT - 1; i++) {
        const a = await w.otp(txs[i]!, wrong[i]!, ip);
        assert.equal(a.body.error?.code, 'wrong_credentials', JSON.stringify(a.body));
      }
      const burst = txs.slice(LIMIT - 1);
      const answers = await Promise.all(burst.map((tx, i) => w.otp(tx, i === 0 ? code(0) : wrong[LIMIT - 1 + i]!, ip)));
      const wrongAnswered = answers.slice(1).filter((a) => a.body.error?.code !== 'throttled');
      assert.ok(wrongAnswered.length <= 1, `wrong codes answered: ${JSON.stringify(wrongAnswered.map((a) => a.body))}`);
      assert.ok(wrongAnswered.every((a) => a.body.error?.code === 'wrong_credentials'));
      assert.ok(answers[0]!.status === 200 || answers[0]!.body.error?.code === 'throttled', JSON.stringify(answers[0]!.body));
    });
  });
}
