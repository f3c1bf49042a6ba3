// Draws the tray and app icons into assets/ (or --out DIR): a padlock, coloured by state for
// Linux (PNG) and Windows (ICO), black-and-alpha "template" images for the macOS menu bar
// (Electron marks files named ...Template.png as template images; @2x is the Retina variant).
// States: ok, expiring (clock badge), error (cross badge). Pure Node: shapes are rasterised
// with 4x4 supersampling and written as PNG (zlib) / PNG-in-ICO. Deterministic output, so a
// test can check that assets/ is what this script draws.
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// ---- geometry (unit square, y down) ---------------------------------------------------------
const inCircle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const inRoundRect = (x0, y0, x1, y1, r) => (x, y) => {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
const inCapsule = (ax, ay, bx, by, r) => (x, y) => {
  const dx = bx - ax, dy = by - ay;
  const t = Math.min(Math.max(((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy), 0), 1);
  return (x - ax - t * dx) ** 2 + (y - ay - t * dy) ** 2 <= r * r;
};
const any = (...fs) => (x, y) => fs.some((f) => f(x, y));

// Padlock: shackle (upper half ring + legs), body, keyhole.
const shackle = (x, y) => {
  const d2 = (x - 0.5) ** 2 + (y - 0.40) ** 2;
  const ring = y <= 0.40 && d2 <= 0.23 ** 2 && d2 >= 0.135 ** 2;
  const legs = y > 0.40 && y <= 0.52 && ((x >= 0.27 && x <= 0.365) || (x >= 0.635 && x <= 0.73));
  return ring || legs;
};
const body = inRoundRect(0.14, 0.46, 0.86, 0.94, 0.09);
const keyhole = any(inCircle(0.5, 0.64, 0.075), inRoundRect(0.465, 0.64, 0.535, 0.82, 0.02));
const padlock = (x, y) => shackle(x, y) || (body(x, y) && !keyhole(x, y));

// Badges in the lower right corner, with a clear margin so they read at 16 px.
const BADGE = { cx: 0.76, cy: 0.76, r: 0.24 };
const badgeDisc = inCircle(BADGE.cx, BADGE.cy, BADGE.r);
const badgeMargin = inCircle(BADGE.cx, BADGE.cy, BADGE.r + 0.07);
const clockHands = any(inCapsule(0.76, 0.76, 0.76, 0.62, 0.035), inCapsule(0.76, 0.76, 0.86, 0.80, 0.035));
const cross = any(inCapsule(0.67, 0.67, 0.85, 0.85, 0.04), inCapsule(0.85, 0.67, 0.67, 0.85, 0.04));

const COLORS = {
  ok: [46, 125, 50, 255],
  expiring: [230, 145, 0, 255],
  error: [198, 40, 40, 255],
};
const WHITE = [255, 255, 255, 255];
const BLACK = [0, 0, 0, 255];
const CLEAR = [0, 0, 0, 0];

/** Layers, topmost last: [shape, rgba]. */
function design(state, template) {
  const lockColor = template ? BLACK : COLORS[state];
  if (state === 'ok') return [[padlock, lockColor]];
  const glyph = state === 'expiring' ? clockHands : cross;
  return [
    [padlock, lockColor],
    [badgeMargin, CLEAR],
    [badgeDisc, template ? BLACK : COLORS[state]],
    [glyph, template ? CLEAR : WHITE],
  ];
}

function rasterise(size, layers, background) {
  const S = 4;
  const px = Buffer.alloc(size * size * 4);
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sj = 0; sj < S; sj++) {
        for (let si = 0; si < S; si++) {
          const x = (i + (si + 0.5) / S) / size;
          const y = (j + (sj + 0.5) / S) / size;
          let c = background ? background(x, y) : CLEAR;
          for (const [shape, color] of layers) if (shape(x, y)) c = color;
          const al = c[3] / 255;
          r += c[0] * al; g += c[1] * al; b += c[2] * al; a += al;
        }
      }
      const o = (j * size + i) * 4;
      px[o + 3] = Math.round((a / (S * S)) * 255);
      // Straight (non-premultiplied) alpha, as PNG wants.
      px[o] = a ? Math.round(r / a) : 0;
      px[o + 1] = a ? Math.round(g / a) : 0;
      px[o + 2] = a ? Math.round(b / a) : 0;
    }
  }
  return px;
}

// ---- PNG / ICO encoding ---------------------------------------------------------------------
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
export function encodePng(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
/** ICO with PNG-compressed entries (Windows Vista and later read these at every size). */
export function encodeIco(images) {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, n) => {
    const e = 6 + 16 * n;
    header[e] = size >= 256 ? 0 : size;
    header[e + 1] = size >= 256 ? 0 : size;
    header.writeUInt16LE(1, e + 4); // planes
    header.writeUInt16LE(32, e + 6); // bits per pixel
    header.writeUInt32LE(png.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((i) => i.png)]);
}

// ---- the files ------------------------------------------------------------------------------
export function iconFiles() {
  const files = new Map();
  for (const state of ['ok', 'expiring', 'error']) {
    const png = (size, template) => encodePng(size, rasterise(size, design(state, template)));
    files.set(`tray-${state}Template.png`, png(16, true));
    files.set(`tray-${state}Template@2x.png`, png(32, true));
    files.set(`tray-${state}.png`, png(32, false));
    files.set(`tray-${state}@2x.png`, png(64, false));
    files.set(`tray-${state}.ico`, encodeIco([16, 24, 32, 48, 64].map((size) => ({ size, png: png(size, false) }))));
  }
  // The app icon (installers, window, notifications): the padlock on a light rounded square.
  const tile = inRoundRect(0.04, 0.04, 0.96, 0.96, 0.18);
  const appLayers = (x, y) => (tile(x, y) ? [245, 247, 250, 255] : CLEAR);
  const inner = (x, y) => padlock((x - 0.5) / 0.7 + 0.5, (y - 0.52) / 0.7 + 0.5);
  files.set('icon.png', encodePng(512, rasterise(512, [[inner, COLORS.ok]], appLayers)));
  return files;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--out');
  const out = i > 0 && process.argv[i + 1] ? process.argv[i + 1] : new URL('../assets', import.meta.url).pathname;
  mkdirSync(out, { recursive: true });
  for (const [name, data] of iconFiles()) writeFileSync(join(out, name), data);
  console.log(`wrote ${[...iconFiles().keys()].length} icons to ${out}`);
}
