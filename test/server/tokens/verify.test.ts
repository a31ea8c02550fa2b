import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { base32Encode, hotp, totp } from '../../../server/src/otp/index.js';
import * as service from '../../../server/src/tokens/service.js';
import { findToken } from '../../../server/src/tokens/repository.js';
import { defaultPolicy, verifyTokenOtp, type VerifyPolicy } from '../../../server/src/tokens/verify.js';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';
import { secretOf, tokenContext } from '../../helpers/tokens.js';

const hexSecret = Buffer.from('3132333435363738393031323334353637383930', 'hex'); // RFC 4226
const base32Secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const opts = { algorithm: 'SHA1' as const, digits: 6 as const };
const input = (otp: string) => ({ otp, actor: 'test', ip: '203.0.113.9' });

for (const mode of dbModes()) {
  describe(`verifyTokenOtp (${mode})`, () => {
    let t: TestDb;
    let env: Awaited<ReturnType<typeof tokenContext>>;
    before(async () => {
      t = await openTestDb(mode, { poolSize: 10 });
      env = await tokenContext(t);
    });
    after(() => t.close());

    const reload = async (id: string) => (await findToken(t.db, id))!;
    const verify = async (id: string, otp: string, policy: VerifyPolicy = defaultPolicy) =>
      verifyTokenOtp(t.db, env.keyRing, await reload(id), input(otp), policy, env.clock.now);

    async function softwareTotp(extra: Record<string, unknown> = {}) {
      const created = await service.createToken(env.ctx(), { kind: 'software', type: 'totp', name: 'phone', ...extra } as never);
      return { id: created.token.id, secret: secretOf(created.enrollment!.otpauthUri!) };
    }
    async function hardwareHotp(serialNumber: string, extra: Record<string, unknown> = {}) {
      const created = await service.createToken(env.ctx(), { kind: 'hardware', type: 'hotp', serialNumber, secret: base32Secret, ...extra } as never);
      return created.token.id;
    }
    const codeNow = (secret: Buffer, offsetSteps = 0) => totp(secret, env.clock.now.getTime() + offsetSteps * 30_000, { ...opts, period: 30 });

    it('accepts a valid TOTP code once; the replay is refused without counting a failure', async () => {
      const { id, secret } = await softwareTotp();
      assert.deepEqual(await verify(id, codeNow(secret)), { ok: true, amr: 'otp' });
      assert.deepEqual(await verify(id, codeNow(secret)), { ok: false, reason: 'replayed' });
      assert.equal((await reload(id)).failedAttempts, 0);
      env.clock.now = new Date(env.clock.now.getTime() + 30_000);
      assert.equal((await verify(id, codeNow(secret))).ok, true, 'the next step works');
    });

    it('accepts ±1 step by default and ±2 when the resource allows it', async () => {
      const { id, secret } = await softwareTotp();
      assert.equal((await verify(id, codeNow(secret, 2))).ok, false);
      assert.equal((await verify(id, codeNow(secret, 2), { ...defaultPolicy, otpWindow: 2 })).ok, true);
      const other = await softwareTotp();
      assert.equal((await verify(other.id, codeNow(other.secret, -1))).ok, true);
      assert.equal((await verify(other.id, codeNow(other.secret, 1), { ...defaultPolicy, otpWindow: 0 })).ok, false);
    });

    it('looks ahead 10 HOTP counters and never goes back', async () => {
      const id = await hardwareHotp('HOTP-LA');
      assert.equal((await verify(id, hotp(hexSecret, 10, opts))).ok, false, 'counter 10 is beyond the look-ahead 0..9');
      assert.equal((await verify(id, hotp(hexSecret, 9, opts))).ok, true);
      assert.equal(String((await reload(id)).lastStep), '9');
      assert.equal((await verify(id, hotp(hexSecret, 5, opts))).ok, false, 'an older counter is never accepted');
      assert.equal((await verify(id, hotp(hexSecret, 10, opts))).ok, true);
    });

    it('locks the token at the resource limit, and a locked token refuses even a valid code', async () => {
      const id = await hardwareHotp('HOTP-LOCK');
      const policy = { ...defaultPolicy, failedAttemptsLimit: 3 };
      for (const wrong of ['000001', '000002'])
        assert.deepEqual(await verify(id, wrong, policy), { ok: false, reason: 'invalid_credentials', locked: false, justLocked: false });
      assert.deepEqual(await verify(id, '000003', policy), { ok: false, reason: 'invalid_credentials', locked: true, justLocked: true });
      const locked = await reload(id);
      assert.equal(locked.locked, true);
      assert.equal(locked.failedAttempts, 3);
      assert.deepEqual(await verify(id, hotp(hexSecret, 0, opts), policy), { ok: false, reason: 'locked', locked: true });
      env.clock.now = new Date(env.clock.now.getTime() + 86_400_000);
      assert.equal((await verify(id, hotp(hexSecret, 0, opts), policy)).ok, false, 'without progressive unlock only an administrator unlocks');
      const events = await t.db.selectFrom('events').select(['type', 'reason']).where('tokenId', '=', id).execute();
      assert.equal(events.filter((e) => e.type === 'token.locked').length, 1);
      await service.unlockToken(env.ctx(), id);
      assert.equal((await verify(id, hotp(hexSecret, 0, opts), policy)).ok, true);
    });

    it('lifts a lock after 30 s, then 60 s, when the resource allows progressive unlock', async () => {
      const id = await hardwareHotp('HOTP-PROGRESSIVE');
      const policy = { ...defaultPolicy, failedAttemptsLimit: 3, progressiveUnlock: true };
      const lockOnce = async () => {
        for (const wrong of ['100001', '100002', '100003']) await verify(id, wrong, policy);
        assert.equal((await reload(id)).locked, true);
      };
      await lockOnce();
      const t0 = env.clock.now.getTime();
      assert.equal((await reload(id)).unlockAt?.getTime(), t0 + 30_000);
      env.clock.now = new Date(t0 + 29_000);
      assert.equal((await verify(id, hotp(hexSecret, 0, opts), policy)).ok, false, 'still locked before the delay');
      env.clock.now = new Date(t0 + 30_000);
      await lockOnce();
      assert.equal((await reload(id)).unlockAt?.getTime(), t0 + 30_000 + 60_000, 'the second delay doubles');
      env.clock.now = new Date(t0 + 90_000);
      assert.equal((await verify(id, hotp(hexSecret, 0, opts), policy)).ok, true, 'the lock lifted by itself');
      const after = await reload(id);
      assert.equal(after.locked, false);
      assert.equal(after.lockCount, 0, 'a success resets the doubling');
    });

    it('locks for good after 100 consecutive failures, even with progressive unlock', async () => {
      const id = await hardwareHotp('HOTP-CAP');
      // 99 failures already happened in earlier lock periods.
      await t.db.updateTable('tokens').set({ consecutiveFailures: 99 }).where('id', '=', id).execute();
      const policy = { ...defaultPolicy, failedAttemptsLimit: 10, progressiveUnlock: true };
      const res = await verify(id, '999999', policy);
      assert.deepEqual(res, { ok: false, reason: 'invalid_credentials', locked: true, justLocked: true });
      const row = await reload(id);
      assert.equal(row.lockedReason, 'hard_cap');
      assert.equal(row.unlockAt, null);
      env.clock.now = new Date(env.clock.now.getTime() + 7 * 86_400_000);
      assert.deepEqual(await verify(id, hotp(hexSecret, 0, opts), policy), { ok: false, reason: 'locked', locked: true });
      await service.unlockToken(env.ctx(), id);
      assert.equal((await reload(id)).consecutiveFailures, 0);
      assert.equal((await verify(id, hotp(hexSecret, 0, opts), policy)).ok, true);
    });

    it('resets the failure counter on success', async () => {
      const id = await hardwareHotp('HOTP-RESET');
      await verify(id, '111111');
      await verify(id, '222222');
      assert.equal((await reload(id)).failedAttempts, 2);
      assert.equal((await verify(id, hotp(hexSecret, 0, opts))).ok, true);
      assert.equal((await reload(id)).failedAttempts, 0);
    });

    it('counts the same wrong code repeated within 60 s once', async () => {
      const id = await hardwareHotp('HOTP-SAME');
      for (let i = 0; i < 4; i++) await verify(id, '123123');
      assert.equal((await reload(id)).failedAttempts, 1);
      await verify(id, '321321');
      assert.equal((await reload(id)).failedAttempts, 2, 'another wrong code counts');
      env.clock.now = new Date(env.clock.now.getTime() + 61_000);
      await verify(id, '321321');
      assert.equal((await reload(id)).failedAttempts, 3, 'the same code after a minute counts again');
    });

    it('checks the PIN before the code, in front of it or after it', async () => {
      const before = await hardwareHotp('HOTP-PIN-B', { pin: '1234' });
      assert.equal((await verify(before, hotp(hexSecret, 0, opts))).ok, false, 'the code alone is not enough');
      assert.equal((await verify(before, '9999' + hotp(hexSecret, 0, opts))).ok, false, 'a wrong PIN fails');
      assert.equal((await verify(before, '1234' + hotp(hexSecret, 0, opts))).ok, true);
      const afterPin = await hardwareHotp('HOTP-PIN-A', { pin: '56789', pinPosition: 'after' });
      assert.equal((await verify(afterPin, '56789' + hotp(hexSecret, 0, opts))).ok, false);
      assert.equal((await verify(afterPin, hotp(hexSecret, 0, opts) + '56789')).ok, true);
      const row = await reload(afterPin);
      assert.match(row.pinHash!, /^\$argon2id\$/);
    });

    it('lets a bypass succeed without a code until it expires, and records it', async () => {
      const id = await hardwareHotp('HOTP-BYPASS');
      await service.setBypass(env.ctx(), id, { hours: 1 });
      assert.deepEqual(await verify(id, '000000'), { ok: true, amr: 'bypass' });
      env.clock.now = new Date(env.clock.now.getTime() + 3_600_001);
      assert.equal((await verify(id, '000000')).ok, false, 'an expired bypass no longer applies');
      await service.setBypass(env.ctx(), id, { permanent: true });
      env.clock.now = new Date(env.clock.now.getTime() + 365 * 86_400_000);
      assert.deepEqual(await verify(id, '000000'), { ok: true, amr: 'bypass' });
      await service.clearBypass(env.ctx(), id);
      assert.equal((await verify(id, '000000')).ok, false);
      const bypassed = await t.db.selectFrom('events').select('id').where('tokenId', '=', id).where('reason', '=', 'bypass').execute();
      assert.equal(bypassed.length, 2);
    });

    it('leaves an inactive token out of authentication without counting', async () => {
      const id = await hardwareHotp('HOTP-INACTIVE', { active: false });
      assert.deepEqual(await verify(id, hotp(hexSecret, 0, opts)), { ok: false, reason: 'inactive' });
      assert.equal((await reload(id)).failedAttempts, 0);
    });

    it('synchronises a drifting TOTP token and uses the drift afterwards', async () => {
      const { id, secret } = await softwareTotp();
      // The token's clock runs 10 minutes (20 steps) ahead of the server's.
      assert.equal((await verify(id, codeNow(secret, 20))).ok, false);
      await service.syncToken(env.ctx(), id, codeNow(secret, 20), codeNow(secret, 21));
      assert.equal((await reload(id)).drift, 21);
      env.clock.now = new Date(env.clock.now.getTime() + 60_000);
      assert.equal((await verify(id, codeNow(secret, 20))).ok, true, 'a later code of the drifting token now verifies');
      await assert.rejects(service.syncToken(env.ctx(), id, codeNow(secret, 100), codeNow(secret, 101)), /consecutive codes/);
    });

    it('synchronises an HOTP token up to 1000 counters ahead', async () => {
      const id = await hardwareHotp('HOTP-SYNC');
      assert.equal((await verify(id, hotp(hexSecret, 502, opts))).ok, false);
      await service.syncToken(env.ctx(), id, hotp(hexSecret, 500, opts), hotp(hexSecret, 501, opts));
      assert.equal((await verify(id, hotp(hexSecret, 502, opts))).ok, true);
      await assert.rejects(service.syncToken(env.ctx(), id, hotp(hexSecret, 1700, opts), hotp(hexSecret, 1701, opts)), /consecutive codes/);
    });

    it('reissue invalidates the old secret', async () => {
      const { id, secret } = await softwareTotp();
      const reissued = await service.reissueToken(env.ctx(), id);
      const fresh = secretOf(reissued.enrollment!.otpauthUri!);
      assert.notDeepEqual(fresh, secret);
      assert.equal((await verify(id, codeNow(secret))).ok, false);
      assert.equal((await verify(id, codeNow(fresh))).ok, true);
    });

    it('stores secrets only encrypted', async () => {
      const { id, secret } = await softwareTotp();
      const raw = await reload(id);
      const stored = Buffer.from(raw.secretEnc!);
      assert.equal(stored.includes(secret), false);
      assert.equal(stored.toString('latin1').includes(base32Encode(secret)), false);
      const hw = await reload(await hardwareHotp('HOTP-RAW'));
      assert.equal(Buffer.from(hw.secretEnc!).includes(hexSecret), false);
      assert.equal(Buffer.from(hw.secretEnc!).toString('latin1').includes(base32Secret), false);
    });

    it('lets exactly one of 25 concurrent identical codes succeed', async () => {
      const { id, secret } = await softwareTotp();
      const token = await reload(id);
      const code = codeNow(secret);
      const results = await Promise.all(Array.from({ length: 25 }, () => verifyTokenOtp(t.db, env.keyRing, token, input(code), defaultPolicy, env.clock.now)));
      assert.equal(results.filter((r) => r.ok).length, 1);
      assert.ok(results.filter((r) => !r.ok).every((r) => !r.ok && r.reason === 'replayed'));
      assert.equal((await reload(id)).failedAttempts, 0);
    });
  });
}
