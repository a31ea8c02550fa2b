/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { exportBackup, openBackup } from '../../app/src/backup.js';
import { DB_NAME } from '../../app/src/db.js';
import { dispatchUri } from '../../app/src/dispatch.js';
import { registerUriHandler } from '../../app/src/extensions.js';
import en from '../../app/src/i18n/en.js';
import { decodeMigration } from '../../app/src/migration.js';
import type { OtpRecord, PushRecord } from '../../app/src/records.js';
import { createVault, deleteRecord, listRecords, lock, putRecord, recordCryptoKeys, reorder, unlockWithPin, vaultState } from '../../app/src/vault.js';

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
    expect(await unlockWithPin('9999')).to.equal(false);
    expect(await unlockWithPin('1234')).to.equal(true);
    await deleteRecord('a');
    expect((await listRecords()).map((r) => r.id)).to.deep.equal(['push-1', 'b']);
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
    tampered.ct = `${tampered.ct.slice(0, -2)}AA`;
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
