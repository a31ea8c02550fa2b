/// <reference types="mocha" />
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { exportBackup, openBackup } from '../../app/src/backup.js';
import { DB_NAME } from '../../app/src/db.js';
import { dispatchUri } from '../../app/src/dispatch.js';
import { registerUriHandler } from '../../app/src/extensions.js';
import en from '../../app/src/i18n/en.js';
import { decodeMigration } from '../../app/src/migration.js';
import type { OtpRecord, PushRecord } from '../../app/src/records.js';
import { getMeta } from '../../app/src/db.js';
import { fill } from '../../app/src/i18n/index.js';
import {
  createVault,
  deleteRecord,
  listRecords,
  lock,
  PIN_FREE_TRIES,
  pinWaitAfter,
  pinWaitLeft,
  putRecord,
  recordCryptoKeys,
  reorder,
  setPinClock,
  unlockWithPin,
  vaultState,
} from '../../app/src/vault.js';
import { inWords, type VfLock } from '../../app/src/vf-lock.js';
import '../../app/src/vf-lock.js';

// The vault (encrypted IndexedDB), backups, the URI dispatcher and the Google export reader, in
// Chromium with the real WebCrypto and IndexedDB.

const otp = (id: string, issuer: string): OtpRecord => ({
  id,
  kind: 'otp',
  type: 'totp',
  issuer,
  account: 'ann',
  secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
  algorithm: 'SHA1',
  digits: 6,
  period: 30,
  counter: '0',
  createdAt: '2026-12-05T12:00:00Z',
});
const push: PushRecord = { id: 'push-1', kind: 'push', label: 'Shop — ann', data: { server: 'https://mfa.example' }, createdAt: '2026-12-05T12:00:00Z' };

before(async () => {
  await new Promise((resolve) => {
    const req = indexedDB.deleteDatabase(DB_NAME);
    req.onsuccess = req.onerror = req.onblocked = resolve;
  });
});

describe('vault', () => {
  it('is new, then unlocked with its PIN; wrong PINs are refused; records come back in order', async () => {
    expect(await vaultState()).to.equal('new');
    await createVault('1234');
    expect(await vaultState()).to.equal('unlocked');
    await putRecord(otp('a', 'Alpha'));
    await putRecord(otp('b', 'Beta'));
    const signing = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])) as CryptoKeyPair;
    await putRecord(push, { cryptoKeys: { signing: signing.privateKey } });
    expect((await listRecords()).map((r) => r.id)).to.deep.equal(['a', 'b', 'push-1']);
    await reorder(['push-1', 'b', 'a']);
    expect((await listRecords()).map((r) => r.id)).to.deep.equal(['push-1', 'b', 'a']);
    // Replacing keeps the place in the list and the stored keys.
    await putRecord({ ...otp('b', 'Beta 2') });
    expect((await listRecords()).map((r) => (r.kind === 'otp' ? r.issuer : r.label))).to.deep.equal(['Shop — ann', 'Beta 2', 'Alpha']);
    const keys = await recordCryptoKeys('push-1');
    expect(keys?.signing?.extractable).to.equal(false);

    lock();
    expect(await vaultState()).to.equal('locked');
    let refused = false;
    await listRecords().catch(() => (refused = true));
    expect(refused).to.equal(true);
    expect(await unlockWithPin('9999')).to.deep.equal({ ok: false, tried: true, waitMs: 0 });
    expect(await unlockWithPin('1234')).to.deep.equal({ ok: true });
    await deleteRecord('a');
    expect((await listRecords()).map((r) => r.id)).to.deep.equal(['push-1', 'b']);
  });
});

describe('wrong PINs', function () {
  // Every PIN tried costs a PBKDF2 derivation of 600 000 rounds.
  this.timeout(60_000);
  const clock = { now: Date.parse('2026-12-05T12:00:00Z') };
  before(() => setPinClock(() => clock.now));
  after(() => setPinClock(() => Date.now()));

  it('make the app wait after five in a row, longer each time, also for the right PIN, until it is over', async () => {
    lock();
    for (let i = 1; i < PIN_FREE_TRIES; i++) expect(await unlockWithPin('0000')).to.deep.equal({ ok: false, tried: true, waitMs: 0 }, `wrong PIN ${i}`);
    expect(await unlockWithPin('0000')).to.deep.equal({ ok: false, tried: true, waitMs: 30_000 }, 'the fifth');
    // During the wait not even the right PIN is looked at.
    clock.now += 10_000;
    expect(await unlockWithPin('1234')).to.deep.equal({ ok: false, tried: false, waitMs: 20_000 });
    expect(await vaultState()).to.equal('locked');
    // Kept in IndexedDB, where a reloaded page reads it.
    expect(await getMeta('pinGuard')).to.deep.equal({ failures: PIN_FREE_TRIES, nextTryAt: clock.now + 20_000 });
    clock.now += 20_000;
    expect(await pinWaitLeft()).to.equal(0);
    expect(await unlockWithPin('0000')).to.deep.equal({ ok: false, tried: true, waitMs: 60_000 }, 'the sixth waits twice as long');
    clock.now += 60_000;
    expect(await unlockWithPin('1234')).to.deep.equal({ ok: true });
    // The right PIN starts the count again.
    lock();
    expect(await unlockWithPin('0000')).to.deep.equal({ ok: false, tried: true, waitMs: 0 });
    expect(await unlockWithPin('1234')).to.deep.equal({ ok: true });
    expect([5, 6, 7, 8, 12, 40].map(pinWaitAfter)).to.deep.equal([30_000, 60_000, 120_000, 240_000, 3_600_000, 3_600_000], 'at most an hour');
  });

  it('the lock screen says how long in words, counts down, and lets the PIN in afterwards', async () => {
    lock();
    for (let i = 0; i < PIN_FREE_TRIES; i++) await unlockWithPin('0000');
    expect(await pinWaitLeft()).to.equal(30_000);
    // A new lock screen, as after a reload, finds the wait in IndexedDB.
    const el = await fixture<VfLock>(html`<vf-lock .m=${en} mode="locked"></vf-lock>`);
    const root = el.shadowRoot!;
    const wait = () => root.querySelector('#lock-wait')?.textContent ?? '';
    await waitUntil(() => wait() !== '', 'the wait is shown', { timeout: 10_000 });
    expect(wait()).to.equal('You can try again in 30 seconds.');
    expect(root.querySelector('[role=alert]')!.textContent).to.equal(en.pinTooMany);
    expect(root.querySelector<HTMLButtonElement>('button[type=submit]')!.disabled).to.equal(true);
    clock.now += 25_000;
    await waitUntil(() => wait() === 'You can try again in 5 seconds.', 'counts down with the clock', { timeout: 10_000 });
    clock.now += 5_000;
    await waitUntil(() => root.querySelector('#lock-wait') === null, 'the wait ends', { timeout: 10_000 });
    expect(root.querySelector<HTMLButtonElement>('button[type=submit]')!.disabled).to.equal(false);
    expect(root.querySelector('[role=alert]')!.textContent).to.equal('');
    root.querySelector<HTMLInputElement>('#pin')!.value = '0000';
    root.querySelector('form')!.requestSubmit();
    await waitUntil(() => wait() !== '', 'a wrong PIN after the wait: a longer one', { timeout: 10_000 });
    expect(root.querySelector('[role=alert]')!.textContent).to.equal(`${en.wrongPin} ${en.pinTooMany}`);
    expect(wait()).to.equal(fill(en.pinWait, { when: 'in 60 seconds' }));
    expect(inWords(4 * 60_000 - 1, 'en')).to.equal('in 4 minutes');
    expect(inWords(29_001, 'ru')).to.equal('через 30 секунд');
    expect(inWords(120_000, 'fr')).to.equal('dans 2 minutes');
    clock.now += 60_000;
    await waitUntil(() => root.querySelector('#lock-wait') === null, 'the second wait ends too', { timeout: 10_000 });
    root.querySelector<HTMLInputElement>('#pin')!.value = '1234';
    let unlocked = false;
    el.addEventListener('vf-unlocked', () => (unlocked = true));
    root.querySelector('form')!.requestSubmit();
    await waitUntil(() => unlocked, 'unlocked', { timeout: 10_000 });
  });
});

describe('backups', () => {
  it('carry OTP tokens only (never push tokens), refuse a wrong password and foreign files', async () => {
    const text = await exportBackup([otp('x', 'X'), push, otp('y', 'Y')], 'long enough password');
    expect(text).not.to.contain('GEZDGNBV');
    const restored = await openBackup(text, { password: 'long enough password' });
    expect(Array.isArray(restored) && restored.map((r) => r.issuer)).to.deep.equal(['X', 'Y']);
    expect(Array.isArray(restored) && restored.every((r) => r.kind === 'otp' && r.id !== 'x' && r.id !== 'y')).to.equal(true);
    expect(await openBackup(text, { password: 'wrong password!!' })).to.equal('wrong_password');
    const tampered = JSON.parse(text);
    // The first character carries six whole bits: changing it always changes the ciphertext
    // (replacing the last two with "AA" did nothing when they were "AA" already).
    tampered.ct = `${tampered.ct[0] === 'A' ? 'B' : 'A'}${tampered.ct.slice(1)}`;
    expect(await openBackup(JSON.stringify(tampered), { password: 'long enough password' })).to.equal('wrong_password');
    expect(await openBackup('{"hello":1}', { password: 'x' })).to.equal('not_backup');
    expect(await openBackup('not json', { password: 'x' })).to.equal('not_backup');
  });
});

describe('dispatcher', () => {
  it('adds otpauth tokens, explains bad ones, hands vfpush: to its registered handler', async () => {
    const added = await dispatchUri('otpauth://totp/ACME:bob?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=8', en);
    expect(added).to.deep.equal({ ok: true, message: 'ACME (bob) added.' });
    const bad = await dispatchUri('otpauth://totp/ACME:bob?secret=1!1', en);
    expect(bad).to.deep.equal({ ok: false, message: 'This is not a valid token: The secret key is not valid base32.' });
    expect((await dispatchUri('vfpush://enrol?x=1', en)).message).to.equal(en.unknownQr);
    const seen: string[] = [];
    registerUriHandler('vfpush:', (uri) => {
      seen.push(uri);
      return { ok: true, message: 'push token added' };
    });
    expect(await dispatchUri(' vfpush://enrol?x=1 ', en)).to.deep.equal({ ok: true, message: 'push token added' });
    expect(seen).to.deep.equal(['vfpush://enrol?x=1']);
  });

  it('reads every token of a Google Authenticator export', () => {
    // Two tokens, made by the helper encoder of test/helpers/migration.ts (precomputed here: the
    // browser test cannot import Node code): "Example:alice" SHA1 6 TOTP, and "bob" issuer Corp,
    // SHA256, 8 digits, HOTP counter 7; batch 2 of 3, id 99.
    const secret1 = Array.from(new TextEncoder().encode('12345678901234567890'));
    const bytes = (no: number, b: number[]) => [(no << 3) | 2, b.length, ...b];
    const int = (no: number, n: number) => [no << 3, n];
    const text = (s: string) => Array.from(new TextEncoder().encode(s));
    const t1 = [...bytes(1, secret1), ...bytes(2, text('Example:alice')), ...int(4, 1), ...int(5, 1), ...int(6, 2)];
    const t2 = [...bytes(1, secret1), ...bytes(2, text('bob')), ...bytes(3, text('Corp')), ...int(4, 2), ...int(5, 2), ...int(6, 1), ...int(7, 7)];
    const payload = [...bytes(1, t1), ...bytes(1, t2), ...int(2, 1), ...int(3, 3), ...int(4, 1), ...int(5, 99)];
    const uri = `otpauth-migration://offline?data=${encodeURIComponent(btoa(String.fromCharCode(...payload)))}`;
    const batch = decodeMigration(uri);
    expect([batch.batchSize, batch.batchIndex, batch.batchId]).to.deep.equal([3, 1, 99]);
    expect(batch.tokens.map((t) => [t.type, t.issuer, t.account, t.algorithm, t.digits, t.counter])).to.deep.equal([
      ['totp', 'Example', 'alice', 'SHA1', 6, 0n],
      ['hotp', 'Corp', 'bob', 'SHA256', 8, 7n],
    ]);
    expect(() => decodeMigration('otpauth-migration://offline?data=')).to.throw();
    expect(() => decodeMigration('otpauth-migration://offline?data=CgA%3D')).to.throw();
  });
});
