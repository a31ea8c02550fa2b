import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createKeyRing, decryptSecret } from '../../server/src/crypto/secretbox.js';
import { openDatabase } from '../../server/src/db/index.js';
import { base32Encode, hotp, ocra, totp } from '../../server/src/otp/index.js';
import { secretOf } from '../helpers/tokens.js';
import { freePort, runCli, type CliProcess } from '../helpers/process.js';
import { migratedDataDir } from '../helpers/data-dir.js';

// Each test here starts real processes: on a busy 2-core machine one takes longer than the
// suite's 60 s default per test.
const SLOW = { timeout: 240_000 };

// Secrets at rest: a real `veriframe serve` on the embedded database goes through a session that
// handles every kind of secret the product knows (resource secrets, API keys, passwords, PINs,
// token secrets of every type, imported secrets, codes sent and typed, widget transactions, the
// result JWT). Then the server stops and every byte it left behind — each file of the data
// directory, WAL included, and everything it logged at trace level — is searched for each of
// those secrets in every encoding one would write it in.
//
// Digits: the ~40 MB the server leaves behind hold some 600 distinct runs of 6 digits (catalog
// text, numbers in rule trees, timestamps in logs), so with a dozen random 6-digit codes the
// search would fail for no reason about once in a hundred runs. Every token here therefore makes
// 8-digit codes, every PIN and every wrong code typed has 8 digits: those same files hold ~200
// distinct 8-digit runs out of 10^8, odds of a chance hit of a few in 100 000 per run, so codes
// and PINs are searched everywhere like the other secrets.

const SITE = 'https://shop.example';
const DIGITS8 = { algorithm: 'SHA1', digits: 8 } as const;
const OCRA_SUITE = 'OCRA-1:HOTP-SHA1-8:QN08';

interface Secret {
  label: string;
  /** Byte strings to look for (each encoding of the secret). */
  forms: [string, Buffer][];
}

/** Every way a byte secret is usually written down. */
function binaryForms(bytes: Buffer): [string, Buffer][] {
  const b32 = base32Encode(bytes);
  return [
    ['raw', bytes],
    ['base32', Buffer.from(b32)],
    ['base32 lower', Buffer.from(b32.toLowerCase())],
    ['hex', Buffer.from(bytes.toString('hex'))],
    ['HEX', Buffer.from(bytes.toString('hex').toUpperCase())],
    ['base64', Buffer.from(bytes.toString('base64').replace(/=+$/, ''))],
    ['base64url', Buffer.from(bytes.toString('base64url'))],
  ];
}

const textForms = (text: string): [string, Buffer][] => [
  ['text', Buffer.from(text, 'utf8')],
  ['base64', Buffer.from(Buffer.from(text).toString('base64').replace(/=+$/, ''))],
];

function walk(dir: string, skip: (file: string) => boolean): { file: string; data: Buffer }[] {
  const out: { file: string; data: Buffer }[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(p, skip));
    else if (entry.isFile() && !skip(p)) out.push({ file: p, data: fs.readFileSync(p) });
  }
  return out;
}

describe('secrets at rest: database files and logs of a real server', () => {
  let dir: string;
  let serve: CliProcess;
  let base: string;
  const adminKey = `vf_${randomBytes(32).toString('base64url')}`;
  const secrets: Secret[] = [];
  const keep = (label: string, forms: [string, Buffer][]) => secrets.push({ label, forms });
  const keepText = (label: string, text: string) => keep(label, textForms(text));
  const keepBytes = (label: string, bytes: Buffer) => keep(label, binaryForms(bytes));
  const keepDigits = (label: string, digits: string) => {
    assert.match(digits, /^\d{8,}$/, `${label} must have 8 digits to be searched reliably`);
    keep(label, [['digits', Buffer.from(digits)]]);
  };
  const eightDigits = () => String(randomInt(10_000_000, 100_000_000));

  before(async () => {
    dir = await migratedDataDir(fs.mkdtempSync(path.join(os.tmpdir(), 'veriframe-secrets-')));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // trace: the most the server ever logs.
    serve = runCli(['serve'], { PORT: String(port), VERIFRAME_DATA_DIR: dir, VERIFRAME_ADMIN_KEY: adminKey, LOG_LEVEL: 'trace', VERIFRAME_DEV_OUTBOX: '1' });
    await serve.waitFor('Stop with Ctrl+C');
    keepText('VERIFRAME_ADMIN_KEY', adminKey);
  });
  after(async () => {
    if (serve.child.exitCode === null && serve.child.signalCode === null) {
      serve.child.kill('SIGKILL');
      await serve.exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  let requests = 0;
  async function call<T = Record<string, unknown>>(
    method: string,
    url: string,
    body?: unknown,
    headers: Record<string, string> = { authorization: `Bearer ${adminKey}` },
  ) {
    requests++;
    const isText = typeof body === 'string';
    const res = await fetch(`${base}${url}`, {
      method,
      headers: { ...headers, ...(body !== undefined ? { 'content-type': isText ? 'text/csv' : 'application/json' } : {}) },
      ...(body !== undefined ? { body: isText ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
  }
  async function ok<T = Record<string, unknown>>(method: string, url: string, body?: unknown, status = 201) {
    const res = await call<T>(method, url, body);
    assert.equal(res.status, status, `${method} ${url}: ${JSON.stringify(res.body)}`);
    return res.body;
  }

  it('runs a session that touches every kind of secret', SLOW, async () => {
    const me = await ok<{ id: string }>('GET', '/api/v1/admins/me', undefined, 200);
    const key = await ok<{ apiKey: string }>('POST', `/api/v1/admins/${me.id}/keys`, { name: 'laptop' });
    keepText('an API key', key.apiKey);

    const created = await ok<{ id: string; secret: string }>('POST', '/api/v1/resources', { name: 'Shop', allowedOrigins: [SITE], authMethod: 'password+otp' });
    keepText('a resource secret', created.secret);
    const rotated = await ok<{ secret: string }>('POST', `/api/v1/resources/${created.id}/secret`, undefined, 200);
    keepText('a rotated resource secret', rotated.secret);
    const resource = { id: created.id, secret: rotated.secret };
    const basic = { authorization: 'Basic ' + Buffer.from(`${resource.id}:${resource.secret}`).toString('base64') };
    keep('the resource credentials', [['Basic', Buffer.from(basic.authorization.slice(6))]]);
    const auth = async (what: string, body: Record<string, unknown>) =>
      (await call<{ result: boolean; reason?: string; challenge?: string }>('POST', `/api/v1/auth/${resource.id}/${what}`, body, basic)).body;

    const passwords = {
      alice: `pw-${randomBytes(12).toString('hex')}`,
      bob: `pw-${randomBytes(12).toString('hex')}`,
      bobNew: `pw-${randomBytes(12).toString('hex')}`,
    };
    for (const [who, pw] of Object.entries(passwords)) keepText(`the password of ${who}`, pw);
    const alice = await ok<{ id: string }>('POST', '/api/v1/users', { login: 'alice', password: passwords.alice, email: 'alice@example.test' });
    const bob = await ok<{ id: string }>('POST', '/api/v1/users', { login: 'bob', password: passwords.bob });
    await ok('PATCH', `/api/v1/users/${bob.id}`, { password: passwords.bobNew }, 200);
    const carol = await ok<{ id: string }>('POST', '/api/v1/users', { login: 'carol' });
    const dave = await ok<{ id: string }>('POST', '/api/v1/users', { login: 'dave', email: 'dave@example.test' });
    const pair = async (userId: string, tokenId: string) => {
      await ok('PUT', `/api/v1/tokens/${tokenId}/user`, { userId }, 200);
      await ok('PUT', `/api/v1/resources/${resource.id}/users/${userId}/token`, { tokenId }, 204);
    };

    // Alice: a software TOTP token with a PIN, reissued once (both secrets were real).
    const pins = { alice: eightDigits(), bob: eightDigits(), bobNew: eightDigits() };
    for (const [who, pin] of Object.entries(pins)) keepDigits(`the PIN of ${who}`, pin);
    const soft = await ok<{ id: string; otpauthUri: string }>('POST', '/api/v1/tokens', { kind: 'software', type: 'totp', digits: 8, pin: pins.alice });
    keepBytes('a software TOTP secret', secretOf(soft.otpauthUri));
    const reissued = await ok<{ otpauthUri: string }>('POST', `/api/v1/tokens/${soft.id}/reissue`, undefined, 200);
    const aliceSecret = secretOf(reissued.otpauthUri);
    keepBytes('a reissued TOTP secret', aliceSecret);
    await pair(alice.id, soft.id);

    // A hardware TOTP token assigned to the resource alone, and a hardware HOTP token with a PIN after the code.
    const hwTotpSecret = randomBytes(20);
    keepBytes('a hardware TOTP secret', hwTotpSecret);
    const hwTotp = await ok<{ id: string }>('POST', '/api/v1/tokens', {
      kind: 'hardware',
      type: 'totp',
      serialNumber: 'HW-TOTP-1',
      secret: base32Encode(hwTotpSecret),
      digits: 8,
    });
    await ok('PUT', `/api/v1/resources/${resource.id}/tokens/${hwTotp.id}`, undefined, 204);
    const hotpSecret = randomBytes(32);
    keepBytes('a hardware HOTP secret', hotpSecret);
    const hwHotp = await ok<{ id: string }>('POST', '/api/v1/tokens', {
      kind: 'hardware',
      type: 'hotp',
      serialNumber: 'HW-HOTP-1',
      secret: base32Encode(hotpSecret),
      digits: 8,
      pin: pins.bob,
      pinPosition: 'after',
    });
    await ok('PATCH', `/api/v1/tokens/${hwHotp.id}`, { pin: pins.bobNew }, 200);
    await pair(bob.id, hwHotp.id);

    const ocraSecret = randomBytes(20);
    keepBytes('an OCRA secret', ocraSecret);
    const ocraToken = await ok<{ id: string }>('POST', '/api/v1/tokens', {
      kind: 'hardware',
      type: 'ocra',
      serialNumber: 'HW-OCRA-1',
      secret: base32Encode(ocraSecret),
      ocraSuite: OCRA_SUITE,
    });
    await pair(carol.id, ocraToken.id);
    const mailToken = await ok<{ id: string }>('POST', '/api/v1/tokens', { kind: 'software', type: 'email', digits: 8 });
    await pair(dave.id, mailToken.id);

    // A CSV import: secrets arrive as base32 text and must leave no trace of it.
    const imported = [randomBytes(20), randomBytes(32), randomBytes(64)];
    imported.forEach((s, i) => keepBytes(`imported secret ${i + 1}`, s));
    const csv = `serialNumber,secret\n${imported.map((s, i) => `CSV-${i + 1},${base32Encode(s).toLowerCase()}`).join('\n')}\n`;
    assert.deepEqual(await ok('POST', '/api/v1/tokens/import?type=totp&digits=8', csv), { imported: 3 });

    // Authentication, right and wrong, through every door.
    const now = () => Date.now();
    const step = (offset = 0) => totp(aliceSecret, now() + offset * 30_000, { ...DIGITS8, period: 30 });
    const used = (label: string, code: string) => (keepDigits(label, code), code);
    const wrongCode = used('a wrong code', eightDigits());
    const wrongPassword = `pw-${randomBytes(12).toString('hex')}`;
    keepText('a wrong password', wrongPassword);
    assert.equal((await auth('user-password-token', { login: 'alice', password: wrongPassword, otp: pins.alice + step() })).result, false);
    assert.equal(
      (await auth('user-password-token', { login: 'alice', password: passwords.alice, otp: used('a wrong PIN', eightDigits()) + step() })).result,
      false,
    );
    assert.equal((await auth('user-password-token', { login: 'alice', password: passwords.alice, otp: pins.alice + wrongCode })).result, false);
    assert.deepEqual(await auth('user-password-token', { login: 'alice', password: passwords.alice, otp: pins.alice + used('a TOTP code', step()) }), {
      result: true,
    });
    assert.equal((await auth('password', { login: 'bob', password: passwords.bob })).result, false, 'the old password');

    assert.deepEqual(await auth('token', { tokenId: hwTotp.id, otp: used('a hardware TOTP code', totp(hwTotpSecret, now(), { ...DIGITS8, period: 30 })) }), {
      result: true,
    });
    assert.equal((await auth('user-token', { login: 'bob', otp: hotp(hotpSecret, 0, DIGITS8) + pins.bob })).result, false, 'the old PIN');
    assert.deepEqual(await auth('user-token', { login: 'bob', otp: used('an HOTP code', hotp(hotpSecret, 1, DIGITS8)) + pins.bobNew }), { result: true });
    const check = await ok<{ valid: boolean }>(
      'POST',
      `/api/v1/tokens/${hwHotp.id}/check`,
      { otp: used('an HOTP code checked by the admin', hotp(hotpSecret, 2, DIGITS8)) + pins.bobNew },
      200,
    );
    assert.equal(check.valid, true);

    const { challenge } = await auth('prepare', { login: 'carol' });
    assert.ok(challenge);
    assert.deepEqual(await auth('user-token', { login: 'carol', otp: used('an OCRA response', ocra(OCRA_SUITE, ocraSecret, { question: challenge })) }), {
      result: true,
    });

    assert.deepEqual(await auth('prepare', { login: 'dave' }), { result: true });
    const outbox = (await (await fetch(`${base}/dev/outbox.json`)).json()) as { items: { to: string; text: string }[] };
    const mailed = /sign-in code is (\d{8})/.exec(outbox.items.find((m) => m.to === 'dave@example.test')?.text ?? '')?.[1];
    assert.ok(mailed, JSON.stringify(outbox));
    assert.equal((await auth('user-token', { login: 'dave', otp: used('a wrong e-mail code', eightDigits()) })).result, false);
    assert.deepEqual(await auth('user-token', { login: 'dave', otp: used('an e-mailed code', mailed) }), { result: true });

    // The widget, as the iframe drives it, and the site's backend verifying its result.
    const widget = async (what: string, body: unknown) =>
      (await call<{ transaction?: string; step?: string; token?: string }>('POST', `/widget/api/${what}`, body, {})).body;
    const nonce = `nonce-${randomBytes(8).toString('hex')}`;
    const { transaction } = await widget('start', { resourceId: resource.id, origin: SITE, nonce, instance: 'vf-1' });
    assert.ok(transaction);
    keepText('a widget transaction id', transaction);
    assert.equal((await widget('identify', { transaction, login: 'alice', password: passwords.alice })).step, 'otp');
    const done = await widget('otp', { transaction, otp: pins.alice + used('a TOTP code typed in the widget', step(1)) });
    assert.ok(done.token, JSON.stringify(done));
    keepText('a result JWT', done.token);
    const verified = await call<{ valid: boolean }>('POST', '/api/v1/verify', { token: done.token, nonce }, basic);
    assert.equal(verified.body.valid, true);

    serve.child.kill('SIGTERM');
    assert.equal(await serve.exited, 0, serve.output().stderr);
  });

  it('leaves no secret in any file of the data directory, nor in the logs', SLOW, async () => {
    assert.notEqual(serve.child.exitCode, null, 'the session above ran to its end and stopped the server');
    // master.key holds the master key, and nothing else: it is the one file that must contain
    // it. Everything else the key encrypts is searched, and so is the key itself, elsewhere.
    const keyFile = path.join(dir, 'master.key');
    const masterKey = Buffer.from(fs.readFileSync(keyFile, 'utf8').trim(), 'base64');
    const files = walk(dir, (f) => f === keyFile);
    assert.ok(
      files.some((f) => f.file.includes(`${path.sep}pg_wal${path.sep}`)),
      'the WAL is searched too',
    );
    keepBytes('the master key', masterKey);

    // The signing keys are stored encrypted; their private part `d` must not appear in clear.
    const database = await openDatabase({ kind: 'pglite-file', dataDir: dir });
    try {
      const ring = createKeyRing(masterKey);
      const rows = await database.db.selectFrom('signing_keys').select(['kid', 'privateEnc']).execute();
      assert.ok(rows.length >= 1);
      for (const row of rows) {
        const { d } = JSON.parse(decryptSecret(ring, row.privateEnc, `signing-key:${row.kid}`).toString('utf8')) as { d: string };
        keepBytes(`the private signing key ${row.kid}`, Buffer.from(d, 'base64url'));
      }
    } finally {
      await database.close();
    }

    const { stdout, stderr } = serve.output();
    const logLines = `${stdout}\n${stderr}`.split('\n').filter(Boolean);
    assert.ok(logLines.filter((l) => l.includes('"msg":"request"')).length >= requests, 'every request was logged');
    const logs = Buffer.from(`${stdout}\n${stderr}`);
    const places = [...files.map((f) => ({ name: path.relative(dir, f.file), data: f.data })), { name: 'the server output', data: logs }];
    assert.ok(secrets.length >= 30, `${secrets.length} secrets`);

    // The search sees what the database does keep in clear (here: an e-mail address, as stored
    // and as written to the WAL); otherwise finding nothing would prove nothing.
    assert.ok(
      files.some((f) => f.data.includes(Buffer.from('alice@example.test'))),
      'the scan reads table data',
    );
    const found: string[] = [];
    for (const { label, forms } of secrets) {
      for (const [form, needle] of forms) {
        for (const { name, data } of places) {
          if (data.includes(needle)) found.push(`${label} (${form}) in ${name}`);
        }
      }
    }
    assert.deepEqual(found, []);
  });
});
