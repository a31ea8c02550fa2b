import { deflateSync } from 'node:zlib';
import { encode } from 'uqr';

// A QR code as a PNG file (what a user picks as "QR code from an image") or as the picture of a
// fake camera, drawn from uqr's module matrix with a 4-module quiet zone, grey-scale.

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** The QR code's modules as grey pixels (0 black, 255 white), `scale` pixels per module. */
function qrPixels(text: string, scale: number): { px: number; at: (x: number, y: number) => number } {
  const { data, size } = encode(text, { ecc: 'M', border: 4 });
  return { px: size * scale, at: (x, y) => (data[Math.floor(y / scale)]![Math.floor(x / scale)] ? 0 : 255) };
}

/**
 * The QR code as a one-frame Y4M video, the format Chromium's fake camera plays
 * (--use-file-for-fake-video-capture): a white 640×480 picture with the code in the middle.
 */
export function qrY4m(text: string): Buffer {
  const [w, h] = [640, 480];
  const { px, at } = qrPixels(text, 6);
  const y = Buffer.alloc(w * h, 255);
  const [ox, oy] = [Math.floor((w - px) / 2), Math.floor((h - px) / 2)];
  for (let row = 0; row < px; row++) for (let col = 0; col < px; col++) y[(oy + row) * w + ox + col] = at(col, row);
  const chroma = Buffer.alloc((w / 2) * (h / 2) * 2, 128);
  return Buffer.concat([Buffer.from(`YUV4MPEG2 W${w} H${h} F10:1 Ip A1:1 C420jpeg\nFRAME\n`, 'latin1'), y, chroma]);
}

export function qrPng(text: string, scale = 8): Buffer {
  const { px, at } = qrPixels(text, scale);
  const rows: Buffer[] = [];
  for (let y = 0; y < px; y++) {
    const row = Buffer.alloc(px + 1); // filter byte 0, then one grey byte per pixel
    for (let x = 0; x < px; x++) row[x + 1] = at(x, y);
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(px, 0);
  ihdr.writeUInt32BE(px, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grey-scale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
