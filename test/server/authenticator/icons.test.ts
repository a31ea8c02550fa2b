import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { crc32, inflateSync } from 'node:zlib';
import { pathOutline } from '../../../server/src/authenticator/icon.js';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { openTestDb, type TestDb } from '../../helpers/db.js';

// The installable app's bitmap icons (issue 19): the manifest lists PNGs of 192 and 512 px, for
// "any" and "maskable", and each is what it says — read here from the PNG itself (signature,
// chunk checksums, IHDR size, and the pixels of the drawing).

type Png = { width: number; height: number; colourType: number; rgb: (x: number, y: number) => string };

/** Reads an 8-bit RGB PNG without filters other than None (what the server writes), checking every chunk's CRC. */
function readPng(buf: Buffer): Png {
  assert.deepEqual([...buf.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  const chunks: { type: string; data: Buffer }[] = [];
  for (let o = 8; o < buf.length; ) {
    const length = buf.readUInt32BE(o);
    const type = buf.toString('latin1', o + 4, o + 8);
    const data = buf.subarray(o + 8, o + 8 + length);
    assert.equal(buf.readUInt32BE(o + 8 + length), crc32(buf.subarray(o + 4, o + 8 + length)), `CRC of ${type}`);
    chunks.push({ type, data });
    o += 12 + length;
  }
  assert.equal(chunks[0]?.type, 'IHDR', 'IHDR first');
  assert.equal(chunks.at(-1)?.type, 'IEND', 'IEND last');
  const ihdr = chunks[0]!.data;
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  const raw = inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
  const stride = width * 3 + 1;
  assert.equal(raw.length, stride * height, 'one filter byte and a row of RGB per line');
  return {
    width,
    height,
    colourType: ihdr[9]!,
    rgb: (x, y) => {
      const o = y * stride + 1 + x * 3;
      assert.equal(raw[y * stride], 0, 'filter None');
      return `#${raw.subarray(o, o + 3).toString('hex')}`;
    },
  };
}

describe('authenticator app icons', () => {
  let t: TestDb;
  let api: TestApp;
  before(async () => {
    t = await openTestDb('pglite');
    api = await createTestApp(t);
  });
  after(() => t.close());

  it('lists PNG icons of 192 and 512 px (any and maskable), served as image/png of exactly that size', async () => {
    const manifest = (await (await api.request('/app/manifest.webmanifest', { key: null })).json()) as {
      icons: { src: string; sizes: string; type: string; purpose: string }[];
    };
    const pngs = manifest.icons.filter((i) => i.type === 'image/png');
    assert.deepEqual(pngs.map((i) => `${i.sizes} ${i.purpose}`).sort(), ['192x192 any', '192x192 maskable', '512x512 any', '512x512 maskable']);
    for (const icon of pngs) {
      const res = await api.request(icon.src, { key: null });
      assert.equal(res.status, 200, icon.src);
      assert.equal(res.headers.get('content-type'), 'image/png');
      const png = readPng(Buffer.from(await res.arrayBuffer()));
      const size = Number(icon.sizes.split('x')[0]);
      assert.deepEqual([png.width, png.height], [size, size], `${icon.src} is ${icon.sizes}`);
      assert.equal(png.colourType, 2, 'RGB: opaque, as a maskable icon must be');
      // The drawing of icon.svg: blue ground, white shield, blue keyhole (512 view box scaled).
      const at = (x: number, y: number) => png.rgb(Math.floor((x / 512) * size), Math.floor((y / 512) * size));
      assert.equal(at(8, 8), '#0a5cc2', 'ground in the corner');
      assert.equal(at(256, 130), '#ffffff', 'shield above the keyhole');
      assert.equal(at(180, 300), '#ffffff', 'shield beside the keyhole');
      assert.equal(at(256, 236), '#0a5cc2', 'keyhole circle');
      assert.equal(at(256, 320), '#0a5cc2', 'keyhole slot');
      assert.equal(at(256, 440), '#0a5cc2', 'ground below the shield');
    }
    const html = await (await api.request('/app/', { key: null })).text();
    assert.match(html, /<link rel="apple-touch-icon" href="\/app\/icon-192.png">/);
  });

  it('reads the SVG path it draws: relative lines, curves and closing', () => {
    const outline = pathOutline('M10 20l5 0v10h-5c0 -2 -2 -4 -4 -4z');
    assert.deepEqual(outline.slice(0, 4), [
      [10, 20],
      [15, 20],
      [15, 30],
      [10, 30],
    ]);
    assert.deepEqual(outline.at(-1), [6, 26], 'the curve ends at its relative end point');
    assert.throws(() => pathOutline('M0 0a1 1 0 0 1 2 2'), /unsupported path command a/);
  });
});
