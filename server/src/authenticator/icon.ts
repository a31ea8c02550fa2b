import { crc32, deflateSync } from 'node:zlib';

// The authenticator app's icon: written once as SVG, and drawn from that same SVG into PNGs for
// the web app manifest (installing needs 192 and 512 px bitmaps; Safari's home screen too). The
// rasteriser knows exactly what this icon uses — filled rectangles, circles and paths of straight
// lines and cubic curves in the 512 × 512 view box — so no image library (native or wasm) is
// needed: a few milliseconds per size at first use, then kept.

/** A shield with a keyhole, drawn inside the maskable safe zone (the inner 80 %). */
export const ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><rect width="512" height="512" fill="#0a5cc2"/><path d="M256 96l128 48v96c0 88-56 152-128 176-72-24-128-88-128-176v-96z" fill="#fff"/><circle cx="256" cy="236" r="36" fill="#0a5cc2"/><path d="M240 260h32l12 76h-56z" fill="#0a5cc2"/></svg>`;

/** The sizes the manifest lists. */
export const ICON_PNG_SIZES = [192, 512] as const;

type Rgb = [number, number, number];
type Point = [number, number];
/** One filled shape: its colour and the x where a horizontal line at y crosses its outline. */
type Shape = { fill: Rgb; crossings(y: number): number[] };

const VIEW = 512;
const SAMPLES = 4; // per pixel and axis: 16 samples smooth the edges

function colour(hex: string): Rgb {
  const h = hex.replace('#', '');
  const full = h.length === 3 ? [...h].map((c) => c + c).join('') : h;
  return [0, 2, 4].map((i) => Number.parseInt(full.slice(i, i + 2), 16)) as Rgb;
}

/** The outline of a path of M, L, H, V, C and Z (absolute or relative), cubics as 24 segments each. */
export function pathOutline(d: string): Point[] {
  const tokens = d.match(/[a-zA-Z]|-?\d*\.?\d+(?:e-?\d+)?/g) ?? [];
  const points: Point[] = [];
  let x = 0;
  let y = 0;
  let command = '';
  for (let i = 0; i < tokens.length; ) {
    if (/[a-zA-Z]/.test(tokens[i]!)) command = tokens[i++]!;
    const rel = command === command.toLowerCase();
    const num = () => Number(tokens[i++]);
    switch (command.toUpperCase()) {
      case 'M':
      case 'L': {
        const nx = num() + (rel ? x : 0);
        const ny = num() + (rel ? y : 0);
        [x, y] = [nx, ny];
        points.push([x, y]);
        break;
      }
      case 'H':
        x = num() + (rel ? x : 0);
        points.push([x, y]);
        break;
      case 'V':
        y = num() + (rel ? y : 0);
        points.push([x, y]);
        break;
      case 'C': {
        const [ox, oy] = rel ? [x, y] : [0, 0];
        const c = [num() + ox, num() + oy, num() + ox, num() + oy, num() + ox, num() + oy] as const;
        for (let s = 1; s <= 24; s++) {
          const t = s / 24;
          const u = 1 - t;
          points.push([
            u * u * u * x + 3 * u * u * t * c[0] + 3 * u * t * t * c[2] + t * t * t * c[4],
            u * u * u * y + 3 * u * u * t * c[1] + 3 * u * t * t * c[3] + t * t * t * c[5],
          ]);
        }
        [x, y] = [c[4], c[5]];
        break;
      }
      case 'Z':
        if (i < tokens.length && !/[a-zA-Z]/.test(tokens[i]!)) throw new Error('numbers after Z');
        break;
      default:
        throw new Error(`unsupported path command ${command}`);
    }
  }
  return points;
}

function polygon(points: Point[], fill: Rgb): Shape {
  return {
    fill,
    crossings(y) {
      const xs: number[] = [];
      for (let i = 0; i < points.length; i++) {
        const [x1, y1] = points[i]!;
        const [x2, y2] = points[(i + 1) % points.length]!;
        if (y1 <= y !== y2 <= y) xs.push(x1 + ((y - y1) * (x2 - x1)) / (y2 - y1));
      }
      return xs.sort((a, b) => a - b);
    },
  };
}

const attrs = (tag: string) => Object.fromEntries([...tag.matchAll(/([a-z-]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));

/** The shapes of ICON_SVG in paint order. */
function shapes(svg: string): Shape[] {
  return [...svg.matchAll(/<(rect|circle|path)\s[^>]*>/g)].map(([tag, name]) => {
    const a = attrs(tag);
    const fill = colour(a.fill ?? '#000');
    if (name === 'rect') {
      const [x, y, w, h] = [Number(a.x ?? 0), Number(a.y ?? 0), Number(a.width), Number(a.height)];
      return polygon(
        [
          [x, y],
          [x + w, y],
          [x + w, y + h],
          [x, y + h],
        ],
        fill,
      );
    }
    if (name === 'circle') {
      const [cx, cy, r] = [Number(a.cx), Number(a.cy), Number(a.r)];
      return { fill, crossings: (y) => (Math.abs(y - cy) < r ? [cx - Math.sqrt(r * r - (y - cy) ** 2), cx + Math.sqrt(r * r - (y - cy) ** 2)] : []) };
    }
    return polygon(pathOutline(a.d!), fill);
  });
}

/** The icon as RGB pixels, `size` × `size`, 16 samples per pixel (even-odd fill, spans per sample row). */
export function rasterise(svg: string, size: number): Uint8Array {
  const list = shapes(svg);
  const palette: Rgb[] = [[255, 255, 255], ...list.map((s) => s.fill)];
  const P = palette.length;
  const columns = size * SAMPLES;
  const scale = VIEW / columns; // view box units per sample
  const painted = new Uint8Array(columns);
  // How many of each pixel's samples have each palette colour (one increment per sample).
  const counts = new Uint8Array(size * size * P);
  for (let row = 0; row < columns; row++) {
    const y = (row + 0.5) * scale;
    painted.fill(0);
    list.forEach((shape, i) => {
      const xs = shape.crossings(y);
      for (let k = 0; k + 1 < xs.length; k += 2) {
        // Samples whose centre lies within [xs[k], xs[k+1]).
        const from = Math.max(0, Math.ceil(xs[k]! / scale - 0.5));
        const to = Math.min(columns, Math.ceil(xs[k + 1]! / scale - 0.5));
        painted.fill(i + 1, from, to);
      }
    });
    const line = ((row / SAMPLES) | 0) * size * P;
    for (let c = 0; c < columns; c++) counts[line + ((c / SAMPLES) | 0) * P + painted[c]!]!++;
  }
  const rgb = new Uint8Array(size * size * 3);
  const n = SAMPLES * SAMPLES;
  for (let px = 0; px < size * size; px++) {
    let [r, g, b] = [0, 0, 0];
    for (let i = 0; i < P; i++) {
      const k = counts[px * P + i]!;
      if (k === 0) continue;
      const [cr, cg, cb] = palette[i]!;
      r += k * cr;
      g += k * cg;
      b += k * cb;
    }
    rgb[px * 3] = Math.round(r / n);
    rgb[px * 3 + 1] = Math.round(g / n);
    rgb[px * 3 + 2] = Math.round(b / n);
  }
  return rgb;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), 8 + data.length);
  return out;
}

/** A PNG (8-bit RGB, no interlace) of `rgb`, `size` × `size`. */
export function encodePng(rgb: Uint8Array, size: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type 2 (RGB), deflate, filter 0, no interlace
  const raw = Buffer.alloc(size * (size * 3 + 1));
  for (let y = 0; y < size; y++) raw.set(rgb.subarray(y * size * 3, (y + 1) * size * 3), y * (size * 3 + 1) + 1); // filter byte 0
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

const cache = new Map<number, Buffer>();

/** The icon as a PNG of `size` px (one of ICON_PNG_SIZES), drawn once per process. */
export function iconPng(size: number): Buffer {
  let png = cache.get(size);
  if (!png) cache.set(size, (png = encodePng(rasterise(ICON_SVG, size), size)));
  return png;
}
