import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { closeServer } from '../../../server/src/main.js';
import { listenTestApp, type ListeningTestApp } from '../../helpers/app.js';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';

// JSON bodies through the Node adapter are read from Node's request stream (http/body-limit.ts),
// not through a web Request: the same answers as before for every kind of body, over a socket.

interface Answer {
  status: number;
  body: { error?: { code: string }; id?: string; name?: string };
}

/** A raw request: `chunks` are written one by one, chunked unless `contentLength` is given. */
function send(base: string, path: string, opts: { key?: string; type?: string; chunks: (string | Buffer)[]; contentLength?: number }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': opts.type ?? 'application/json' };
    if (opts.key) headers.authorization = `Bearer ${opts.key}`;
    if (opts.contentLength !== undefined) headers['content-length'] = String(opts.contentLength);
    const req = http.request(`${base}${path}`, { method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Answer['body'] }));
    });
    // The server may answer 413 and close before everything was sent.
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err)));
    for (const chunk of opts.chunks) req.write(chunk);
    req.end();
  });
}

for (const mode of dbModes()) {
  describe(`request bodies over a socket (${mode})`, () => {
    let t: TestDb;
    let served: ListeningTestApp;
    let keysPath: string;
    const keyCount = async () =>
      ((await (await fetch(`${served.url}${keysPath}`, { headers: { authorization: `Bearer ${served.api.adminKey}` } })).json()) as { total: number }).total;

    before(async () => {
      t = await openTestDb(mode);
      served = await listenTestApp(t);
      const me = (await (await fetch(`${served.url}/api/v1/admins/me`, { headers: { authorization: `Bearer ${served.api.adminKey}` } })).json()) as {
        id: string;
      };
      keysPath = `/api/v1/admins/${me.id}/keys`;
    });
    after(async () => {
      await closeServer(served.server, 0);
      await t.close();
    });

    it('reads a JSON body sent in pieces, with or without a byte-order mark', async () => {
      const key = served.api.adminKey;
      const split = await send(served.url, keysPath, { key, chunks: ['{"na', 'me":"in pieces ✓"}'] });
      assert.equal(split.status, 201, JSON.stringify(split.body));
      assert.equal(split.body.name, 'in pieces ✓');
      const bom = await send(served.url, keysPath, { key, chunks: [Buffer.from([0xef, 0xbb, 0xbf]), '{"name":"after a BOM"}'] });
      assert.equal(bom.status, 201, JSON.stringify(bom.body));
      assert.equal(bom.body.name, 'after a BOM');
    });

    it('answers malformed JSON with 400 malformed_json', async () => {
      const res = await send(served.url, keysPath, { key: served.api.adminKey, chunks: ['{"name":'] });
      assert.equal(res.status, 400);
      assert.equal(res.body.error?.code, 'malformed_json');
    });

    it('refuses more than 1 MB with 413, announced or streamed, and stores nothing', async () => {
      const before = await keyCount();
      const big = JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) });
      const announced = await send(served.url, keysPath, { key: served.api.adminKey, chunks: [big], contentLength: Buffer.byteLength(big) });
      assert.equal(announced.status, 413);
      assert.equal(announced.body.error?.code, 'payload_too_large');
      const streamed = await send(served.url, keysPath, { key: served.api.adminKey, chunks: [big.slice(0, 600_000), big.slice(600_000)] });
      assert.equal(streamed.status, 413);
      assert.equal(streamed.body.error?.code, 'payload_too_large');
      assert.equal(await keyCount(), before);
    });

    it("keeps a route's smaller limit (the widget's 16 KB) after the app-wide read", async () => {
      const res = await send(served.url, '/widget/api/start', { chunks: [JSON.stringify({ resourceId: 'r'.repeat(20 * 1024) })] });
      assert.equal(res.status, 413);
      assert.equal(res.body.error?.code, 'payload_too_large');
    });

    it("measures a route's limit in bytes as received, not as decoded", async () => {
      // 12 000 bytes that are not UTF-8: decoded, each becomes U+FFFD (3 bytes), 36 000 bytes.
      const body = Buffer.concat([Buffer.from('{"resourceId":"'), Buffer.alloc(12_000, 0xff), Buffer.from('"}')]);
      const res = await send(served.url, '/widget/api/start', { chunks: [body] });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.notEqual(res.body.error?.code, 'payload_too_large');
    });

    it('still limits bodies that are not JSON', async () => {
      const csv = `serial,secret\n${'x'.repeat(1024 * 1024 + 10)}`;
      const res = await send(served.url, '/widget/api/start', { type: 'text/plain', chunks: [csv] });
      assert.equal(res.status, 413);
      assert.equal(res.body.error?.code, 'payload_too_large');
    });
  });
}
