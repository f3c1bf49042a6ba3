import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { allTrayIconFiles } from '../../main/tray/tray-icon';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Decodes our own PNGs (8-bit RGBA, filter 0) far enough to check size and pixels. */
function decodePng(buf: Buffer): { width: number; height: number; rgba: Buffer } {
  assert.deepEqual([...buf.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  let o = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (o < buf.length) {
    const len = buf.readUInt32BE(o);
    const type = buf.toString('latin1', o + 4, o + 8);
    const data = buf.subarray(o + 8, o + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      assert.equal(data[8], 8);
      assert.equal(data[9], 6, 'RGBA');
    }
    if (type === 'IDAT') idat.push(data);
    o += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    assert.equal(raw[y * (width * 4 + 1)], 0, 'filter 0');
    raw.copy(rgba, y * width * 4, y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1));
  }
  return { width, height, rgba };
}

test('assets/ is exactly what scripts/make-icons.mjs draws (the icons are reproducible)', async () => {
  const { iconFiles } = (await import(`${root}scripts/make-icons.mjs`)) as { iconFiles(): Map<string, Buffer> };
  const files = iconFiles();
  for (const [name, data] of files) assert.ok(readFileSync(`${root}assets/${name}`).equals(data), `${name} differs: run node scripts/make-icons.mjs`);
  const onDisk = readdirSync(`${root}assets`).filter((f) => /\.(png|ico)$/.test(f));
  assert.deepEqual(onDisk.sort(), [...files.keys()].sort());
  for (const f of allTrayIconFiles()) assert.ok(files.has(f), f);
});

test('macOS template images: 16 px and 32 px @2x, black with alpha only (the menu bar tints them)', () => {
  for (const state of ['ok', 'expiring', 'error']) {
    for (const [name, size] of [[`tray-${state}Template.png`, 16], [`tray-${state}Template@2x.png`, 32]] as const) {
      const { width, height, rgba } = decodePng(readFileSync(`${root}assets/${name}`));
      assert.deepEqual([width, height], [size, size], name);
      let opaque = 0;
      for (let i = 0; i < rgba.length; i += 4) {
        if (rgba[i + 3]! > 0) {
          opaque++;
          assert.deepEqual([rgba[i], rgba[i + 1], rgba[i + 2]], [0, 0, 0], `${name}: colour in a template image`);
        }
      }
      assert.ok(opaque > size * size * 0.2, `${name} is not empty`);
    }
  }
});

test('the three states look different at tray size', () => {
  const px = (s: string) => decodePng(readFileSync(`${root}assets/tray-${s}Template.png`)).rgba;
  assert.ok(!px('ok').equals(px('expiring')));
  assert.ok(!px('expiring').equals(px('error')));
  // and in colour: the dominant hue differs (green, amber, red)
  const avg = (s: string) => {
    const { rgba } = decodePng(readFileSync(`${root}assets/tray-${s}.png`));
    let r = 0, g = 0, n = 0;
    for (let i = 0; i < rgba.length; i += 4) if (rgba[i + 3] === 255) { r += rgba[i]!; g += rgba[i + 1]!; n++; }
    return [r / n, g / n];
  };
  const [okR, okG] = avg('ok');
  const [errR, errG] = avg('error');
  assert.ok(okG! > okR!, 'ok is green');
  assert.ok(errR! > errG!, 'error is red');
});

test('Windows ICO: 16 to 64 px PNG entries, directory consistent with the data', () => {
  for (const state of ['ok', 'expiring', 'error']) {
    const buf = readFileSync(`${root}assets/tray-${state}.ico`);
    assert.equal(buf.readUInt16LE(0), 0);
    assert.equal(buf.readUInt16LE(2), 1, 'type icon');
    const n = buf.readUInt16LE(4);
    const sizes: number[] = [];
    for (let i = 0; i < n; i++) {
      const e = 6 + 16 * i;
      const size = buf[e] || 256;
      const len = buf.readUInt32LE(e + 8);
      const off = buf.readUInt32LE(e + 12);
      const png = decodePng(buf.subarray(off, off + len));
      assert.deepEqual([png.width, png.height], [size, size]);
      assert.equal(buf.readUInt16LE(e + 6), 32, 'bpp');
      sizes.push(size);
    }
    assert.deepEqual(sizes, [16, 24, 32, 48, 64]);
  }
});

test('the app icon is 512 px, enough for electron-builder to derive .icns and .ico', () => {
  const { width, height } = decodePng(readFileSync(`${root}assets/icon.png`));
  assert.deepEqual([width, height], [512, 512]);
});
