import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { base32Encode, hotp } from '../../../server/src/otp/index.js';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';

type Token = { id: string; kind: string; type: string; serialNumber: string | null; algorithm: string; digits: number; period: number; name: string };
type ErrorBody = { error: { code: string; message: string; details?: { lines: { line: number; reason: string }[]; total: number } } };

// Serial numbers are unique across the whole database, so every test uses its own prefix.
let serialRun = 0;
const serials = (n: number) => {
  const run = ++serialRun;
  return Array.from({ length: n }, (_, i) => `R${run}-${String(i).padStart(5, '0')}`);
};

/** A fresh secret of `bytes` random bytes, as raw bytes and as the base32 text of the file. */
function secret(bytes = 20) {
  const raw = randomBytes(bytes);
  return { raw, text: base32Encode(raw) };
}

const csv = (rows: string[], eol = '\n') => ['serialNumber,secret', ...rows].join(eol) + eol;

for (const mode of dbModes()) {
  describe(`token CSV import (${mode})`, () => {
    let t: TestDb;
    let api: TestApp;
    before(async () => {
      t = await openTestDb(mode);
      api = await createTestApp(t);
    });
    after(() => t.close());

    const postCsv = (body: string, query = '', contentType = 'text/csv', app = api) =>
      app.request(`/api/v1/tokens/import${query}`, { method: 'POST', headers: { 'content-type': contentType }, body });
    const tokenCount = async () => Number((await t.db.selectFrom('tokens').select(t.db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const bySerial = async (serial: string) => {
      const res = await api.request(`/api/v1/tokens?search=${encodeURIComponent(serial)}`);
      assert.equal(res.status, 200);
      const found = ((await res.json()) as { items: Token[] }).items.filter((x) => x.serialNumber === serial);
      assert.equal(found.length, 1, `one token with serial ${serial}`);
      return found[0]!;
    };

    it('imports every line of a good file with the requested settings, and records token.imported events', async () => {
      const names = serials(5);
      const secrets = names.map(() => secret(32));
      const before = await tokenCount();
      const res = await postCsv(csv(names.map((s, i) => `${s},${secrets[i]!.text}`)), '?kind=universal&type=hotp&algorithm=SHA256&digits=8&period=60');
      assert.equal(res.status, 201, await res.clone().text());
      assert.deepEqual(await res.json(), { imported: 5 });
      assert.equal(await tokenCount(), before + 5);
      for (const [i, serial] of names.entries()) {
        const token = await bySerial(serial);
        assert.deepEqual(
          { kind: token.kind, type: token.type, algorithm: token.algorithm, digits: token.digits, period: token.period, name: token.name },
          { kind: 'universal', type: 'hotp', algorithm: 'SHA256', digits: 8, period: 60, name: serial },
        );
        // The stored secret is the one of the file: the device's first code is accepted.
        const code = hotp(secrets[i]!.raw, 0, { algorithm: 'SHA256', digits: 8 });
        const check = await api.request(`/api/v1/tokens/${token.id}/check`, { method: 'POST', json: { otp: code } });
        assert.deepEqual(await check.json(), { valid: true });
        const events = (await (await api.request(`/api/v1/tokens/${token.id}/events`)).json()) as {
          items: { type: string; actor: string; details: Record<string, unknown> }[];
        };
        const imported = events.items.filter((e) => e.type === 'token.imported');
        assert.equal(imported.length, 1);
        assert.equal(imported[0]!.details.serialNumber, serial);
        assert.match(imported[0]!.actor, /^admin:/);
      }
    });

    it('uses hardware TOTP SHA1 6 digits 30 s when no option is given', async () => {
      const [serial] = serials(1);
      const res = await postCsv(csv([`${serial},${secret().text}`]));
      assert.equal(res.status, 201);
      const token = await bySerial(serial!);
      assert.deepEqual(
        { kind: token.kind, type: token.type, algorithm: token.algorithm, digits: token.digits, period: token.period },
        { kind: 'hardware', type: 'totp', algorithm: 'SHA1', digits: 6, period: 30 },
      );
    });

    it('lists every bad line with its number and reason, and imports nothing', async () => {
      const names = serials(4);
      const existing = names[3]!;
      const created = await api.request('/api/v1/tokens', {
        method: 'POST',
        json: { kind: 'hardware', type: 'totp', serialNumber: existing, secret: secret().text },
      });
      assert.equal(created.status, 201);
      const before = await tokenCount();
      const good = secret().text;
      const file = csv([
        `${names[0]},${good}`, // line 2: fine on its own
        `${names[0]},${secret().text}`, // 3: duplicate of line 2
        `${names[1]},not-base32!!`, // 4
        `${names[2]},${secret(15).text}`, // 5: 120 bits
        `${names[1]}X,${secret().text},extra`, // 6: three columns
        `${existing},${secret().text}`, // 7: in the database already
        `${names[2]}Y,${secret().text}`, // 8: fine
      ]);
      const res = await postCsv(file);
      assert.equal(res.status, 422);
      const body = (await res.json()) as ErrorBody;
      assert.equal(body.error.code, 'import_invalid');
      const lines = body.error.details!.lines;
      assert.deepEqual(
        lines.map((l) => l.line),
        [3, 4, 5, 6, 7],
      );
      const reason = (n: number) => lines.find((l) => l.line === n)!.reason;
      assert.match(reason(3), /duplicate serial number .* line 2/);
      assert.match(reason(4), /base32/);
      assert.match(reason(5), /120 bits; at least 128/);
      assert.match(reason(6), /expected 2 columns.*found 3/);
      assert.match(reason(7), /exists already/);
      assert.equal(body.error.details!.total, 5);
      assert.match(body.error.message, /nothing was imported/);
      assert.ok(!JSON.stringify(body).includes(good), 'no secret in the answer');
      assert.equal(await tokenCount(), before, 'the good lines were not imported either');
    });

    it('accepts a file without the header line (numbering its lines from 1) and hex secrets', async () => {
      const before = await tokenCount();
      const [a, b] = serials(2);
      const bad = await postCsv(`${a},${secret().text}\n${b},not-base32!\n`);
      assert.equal(bad.status, 422);
      const body = (await bad.json()) as ErrorBody;
      assert.deepEqual(
        body.error.details!.lines.map((l) => l.line),
        [2],
        'the first line is data, so the bad one is line 2',
      );
      const hex = await postCsv(`${a},3132333435363738393031323334353637383930\n${b},00112233445566778899aabbccddeeff\n`, '?encoding=hex');
      assert.equal(hex.status, 201, await hex.clone().text());
      assert.equal(await tokenCount(), before + 2);
      const notHex = await postCsv(`${serials(1)[0]},zz11\n`, '?encoding=hex');
      assert.match(((await notHex.json()) as ErrorBody).error.details!.lines[0]!.reason, /hex/);
    });

    it('refuses an empty file and a file with only the header', async () => {
      for (const body of ['', 'serialNumber,secret\n', '\r\n\r\n']) {
        const res = await postCsv(body);
        assert.equal(res.status, 422, JSON.stringify(body));
        assert.equal(((await res.json()) as ErrorBody).error.code, 'import_invalid');
      }
    });

    it('accepts CRLF line endings, a UTF-8 BOM, quoted cells and trailing blank lines', async () => {
      const names = serials(3);
      const secrets = names.map(() => secret());
      const file =
        '\uFEFF"serialNumber","secret"\r\n' +
        `"${names[0]}","${secrets[0]!.text}"\r\n` +
        `${names[1]}, ${secrets[1]!.text.toLowerCase()} \r\n` +
        `"${names[2]}",${secrets[2]!.text}\r\n` +
        '\r\n\r\n';
      const res = await postCsv(file, '?type=hotp', 'text/csv; charset=utf-8');
      assert.equal(res.status, 201, await res.clone().text());
      assert.deepEqual(await res.json(), { imported: 3 });
      for (const [i, serial] of names.entries()) {
        const token = await bySerial(serial);
        const check = await api.request(`/api/v1/tokens/${token.id}/check`, {
          method: 'POST',
          json: { otp: hotp(secrets[i]!.raw, 0, { algorithm: 'SHA1', digits: 6 }) },
        });
        // Quotes, spaces and lower case were taken off the secret, not stored with it.
        assert.deepEqual(await check.json(), { valid: true }, serial);
      }
    });

    it('answers 415 to a body that is not CSV, and imports nothing', async () => {
      const before = await tokenCount();
      const res = await postCsv(csv([`${serials(1)[0]},${secret().text}`]), '', 'application/json');
      assert.equal(res.status, 415);
      assert.equal(((await res.json()) as ErrorBody).error.code, 'unsupported_media_type');
      assert.equal(await tokenCount(), before);
    });

    it('refuses option values outside the allowed ones', async () => {
      for (const query of ['?kind=software', '?type=ocra', '?algorithm=MD5', '?digits=7', '?period=45']) {
        const res = await postCsv(csv([`${serials(1)[0]},${secret().text}`]), query);
        assert.equal(res.status, 400, query);
      }
    });

    it('imports 10 000 lines in one request and never stores or shows a secret in clear', async () => {
      const names = serials(10_000);
      const secrets = names.map(() => secret());
      const before = await tokenCount();
      const res = await postCsv(csv(names.map((s, i) => `${s},${secrets[i]!.text}`)));
      assert.equal(res.status, 201, await res.clone().text());
      const answer = await res.text();
      assert.deepEqual(JSON.parse(answer), { imported: 10_000 });
      assert.equal(await tokenCount(), before + 10_000);

      const rows = await t.db
        .selectFrom('tokens')
        .select(['id', 'serialNumber', 'secretEnc'])
        .where('serialNumber', 'like', `${names[0]!.split('-')[0]}-%`)
        .execute();
      assert.equal(rows.length, 10_000);
      const secretOf = new Map(names.map((s, i) => [s, secrets[i]!]));
      for (const row of rows) {
        const s = secretOf.get(row.serialNumber!)!;
        assert.ok(row.secretEnc && row.secretEnc.length > 0, 'a secret is stored');
        assert.equal(row.secretEnc.indexOf(s.raw), -1, 'the raw secret bytes are not in secret_enc');
        assert.equal(row.secretEnc.indexOf(Buffer.from(s.text)), -1, 'the base32 text is not in secret_enc');
        assert.ok(!answer.includes(s.text));
      }

      const events = await t.db
        .selectFrom('events')
        .selectAll()
        .where('type', '=', 'token.imported')
        .where(
          'tokenId',
          'in',
          rows.slice(0, 500).map((r) => r.id),
        )
        .execute();
      assert.equal(events.length, 500);
      const eventText = JSON.stringify(events);
      for (const row of rows.slice(0, 500)) {
        const s = secretOf.get(row.serialNumber!)!;
        assert.ok(!eventText.includes(s.text), 'no base32 secret in events');
        assert.ok(!eventText.includes(s.raw.toString('hex')), 'no hex secret in events');
      }
    });

    it('answers 409 token_quota_exceeded and imports nothing when the import would pass the quota', async () => {
      const count = await tokenCount();
      const limited = await createTestApp(t, { env: { VERIFRAME_TOKEN_QUOTA: String(count + 3) } });
      const before = await tokenCount();
      const over = await postCsv(csv(serials(4).map((s) => `${s},${secret().text}`)), '', 'text/csv', limited);
      assert.equal(over.status, 409);
      assert.equal(((await over.json()) as ErrorBody).error.code, 'token_quota_exceeded');
      assert.equal(await tokenCount(), before);

      const exactly = await postCsv(csv(serials(3).map((s) => `${s},${secret().text}`)), '', 'text/csv', limited);
      assert.equal(exactly.status, 201, 'up to the quota is allowed');
      assert.equal(await tokenCount(), before + 3);
      const oneMore = await postCsv(csv(serials(1).map((s) => `${s},${secret().text}`)), '', 'text/csv', limited);
      assert.equal(oneMore.status, 409);
      assert.equal(await tokenCount(), before + 3);
    });
  });
}
