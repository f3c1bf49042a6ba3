import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { allTrayIconFiles } from '../../main/tray/tray-icon';
import { APP_ID } from '../../main/app/app-id';

const root = fileURLToPath(new URL('../../', import.meta.url));
const config = parse(readFileSync(`${root}electron-builder.yml`, 'utf8')) as Record<string, unknown> & {
  files: string[];
  electronFuses: Record<string, boolean>;
  deb: { recommends: string[] };
  linux: { target: string[]; maintainer: string };
  mac: { target: string[]; extendInfo: Record<string, unknown> };
  win: { target: string[] };
  protocols: Array<{ schemes: string[] }>;
  fileAssociations: Array<{ ext: string; mimeType?: string }>;
};

test('electron-builder.yml is valid against electron-builder\'s own configuration schema', () => {
  const schema = JSON.parse(readFileSync(`${root}node_modules/app-builder-lib/scheme.json`, 'utf8')) as object;
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  const ok = validate(config);
  assert.ok(ok, JSON.stringify(validate.errors, null, 2));
  // the schema is strict enough to catch a misplaced key (so the check above means something)
  assert.equal(validate({ ...config, mac: { ...config.mac, LSUIElement: true } }), false);
  assert.equal(validate({ ...config, electronFuses: { ...config.electronFuses, runAsNodeX: false } }), false);
});

test('the packaging promises of the issue: ids, targets, tray-only macOS, deb recommends, protocol, fuses', () => {
  // the app sets the same id as its Windows AppUserModelID (or its notifications never show)
  assert.equal(config.appId, APP_ID);
  assert.equal(config.productName, 'mtls-tray');
  assert.equal(config.asar, true);
  assert.deepEqual(config.linux.target, ['AppImage', 'deb']);
  assert.match(config.linux.maintainer, /^.+ <.+@.+>$/);
  assert.ok(config.deb.recommends.some((r) => r.split('|').map((x) => x.trim()).includes('libappindicator3-1')));
  assert.deepEqual(config.mac.target, ['dmg']);
  assert.equal(config.mac.extendInfo.LSUIElement, true);
  assert.deepEqual(config.win.target, ['nsis']);
  assert.ok(config.protocols.some((p) => p.schemes.includes('mtls-tray')));
  assert.ok(config.fileAssociations.some((f) => f.ext === 'mtlsprofile' && f.mimeType));
  // the CLI runs as `<app> --cli`, so the app never needs to be a generic Node runtime
  assert.equal(config.electronFuses.runAsNode, false);
  assert.equal(config.electronFuses.enableNodeOptionsEnvironmentVariable, false);
  assert.equal(config.electronFuses.enableNodeCliInspectArguments, false);
  assert.equal(config.electronFuses.onlyLoadAppFromAsar, true);
});

/** Enough of electron-builder's glob syntax for our allow-list: `**`, `*`, and `!` exclusions. */
function included(path: string, patterns: string[]): boolean {
  const re = (g: string) => new RegExp(`^${g.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*\/?/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\u0000/g, '.*')}$`);
  let inc = false;
  for (const p of patterns) {
    if (p.startsWith('!')) {
      if (re(p.slice(1)).test(path)) inc = false;
    } else if (re(p).test(path)) inc = true;
  }
  return inc;
}

test('the files allow-list ships the bundles and every tray icon, and no source maps or sources', () => {
  const files = config.files;
  for (const f of ['dist/main.js', 'dist/preload.js', 'dist/renderer/index.html', 'dist/renderer/index.js', 'package.json']) assert.ok(included(f, files), f);
  for (const icon of allTrayIconFiles()) assert.ok(included(`dist/assets/${icon}`, files), icon);
  for (const f of ['dist/main.js.map', 'main/app/main.ts', 'test/app/fakes.ts', 'node_modules/electron/index.js', 'assets/icon.png']) assert.ok(!included(f, files), f);
});

test('scripts/build.mjs copies every tray icon file type into dist/assets', () => {
  const build = readFileSync(`${root}scripts/build.mjs`, 'utf8');
  const m = /\\\.\(([a-z|]+)\)\$/.exec(build);
  assert.ok(m, 'copy pattern found in build.mjs');
  const exts = new Set(m[1]!.split('|'));
  for (const icon of allTrayIconFiles()) assert.ok(exts.has(icon.split('.').pop()!), icon);
});
