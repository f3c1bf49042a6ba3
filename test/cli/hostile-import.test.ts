/**
 * Hostile profiles through the CLI's `import`: each is refused with a clear message, nothing
 * is written (data dir and settings unchanged), and no command embedded in it ever runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { makeWorld } from './cli-harness';

const w = makeWorld('hostile');
const marker = join(w.root, 'PWNED');
const base = {
  format: 'mtls-tray-profile',
  version: 1,
  name: 'acme',
  url: 'https://coder.acme.test',
  identity: 'self-signed',
  keyAlgorithm: 'ecdsa-p256',
  validityDays: 30,
  sanTemplate: ['email:{user}@acme.test'],
  headers: [{ name: 'X-Team', value: 'platform' }],
};
const sh = `$(touch ${marker})`;

const hostile: Array<[string, string]> = [
  ['command substitution in a header value', JSON.stringify({ ...base, headers: [{ name: 'X-A', value: sh }] })],
  ['backticks in a header value', JSON.stringify({ ...base, headers: [{ name: 'X-A', value: `\`touch ${marker}\`` }] })],
  ['a newline in a header value', JSON.stringify({ ...base, headers: [{ name: 'X-A', value: 'ok\nX-B=evil' }] })],
  ['a semicolon command in a header value', JSON.stringify({ ...base, headers: [{ name: 'X-A', value: `x; touch ${marker}` }] })],
  ['"=" in a header name', JSON.stringify({ ...base, headers: [{ name: 'X=A', value: 'v' }] })],
  ['a space in a header name', JSON.stringify({ ...base, headers: [{ name: 'X A', value: 'v' }] })],
  ['path traversal in the name', JSON.stringify({ ...base, name: '../../../.bashrc' })],
  ['a huge field', JSON.stringify({ ...base, name: 'a'.repeat(500_000) })],
  ['a wrong type', JSON.stringify({ ...base, headers: 'X-A=1' })],
  ['duplicate keys', JSON.stringify(base).replace('"url":', '"url":"https://evil.test","url":')],
  ['a future format version', JSON.stringify({ ...base, version: 7 })],
  ['a header command', JSON.stringify({ ...base, headerCommand: `touch ${marker}` })],
  ['a refresh command', JSON.stringify({ ...base, tlsCertRefreshCommand: `touch ${marker}` })],
  ['a certificate path', JSON.stringify({ ...base, tlsCertFile: '/etc/shadow' })],
  ['a data directory', JSON.stringify({ ...base, dataDir: '/' })],
  ['a shell in the SAN template', JSON.stringify({ ...base, sanTemplate: [`DNS:${sh}`] })],
  ['a file URL', JSON.stringify({ ...base, url: 'file:///etc/passwd' })],
  ['a key in the CA bundle', JSON.stringify({ ...base, caBundle: '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n' })],
];

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    if (!existsSync(d)) return;
    for (const name of readdirSync(d)) {
      // The CLI launcher's V8 code cache (~/.cache/mtls-tray) is not state.
      if (name === '.cache') continue;
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else out[relative(dir, p)] = `${st.size}:${st.mtimeMs}`;
    }
  };
  walk(dir);
  return out;
}

test('hostile profiles are refused, write nothing and run nothing', () => {
  // An existing profile and configured editor, so "nothing changed" is a real claim.
  assert.equal(w.cli(['init', '--url', 'https://coder.mine.test', '--self-signed']).code, 0);
  const before = snapshot(w.root);
  const settingsBefore = readFileSync(w.codeSettings, 'utf8');
  hostile.forEach(([what, text], i) => {
    const file = join(w.root, `evil-${i}.mtlsprofile`);
    writeFileSync(file, text);
    const r = w.cli(['import', file, '--yes']);
    assert.equal(r.code, 1, `${what}: exit 1, got ${r.code} ${r.stdout}`);
    assert.match(r.stderr, /^mtls-tray: .*(evil-\d+|profile file|\.mtlsprofile|larger than)/m, `${what}: names the file (${r.stderr})`);
    assert.doesNotMatch(r.stderr, /\n\s+at /, `${what}: no stack trace`);
    const link = `mtls-tray://import?profile=${Buffer.from(text).toString('base64url')}`;
    // (Links longer than the OS allows in argv are covered by the unit tests' length limit.)
    if (link.length < 100_000) assert.equal(w.cli(['import', link, '--yes']).code, 1, `${what} as a link`);
  });
  const after = snapshot(w.root);
  for (const k of Object.keys(after)) if (k.startsWith('evil-')) delete after[k];
  assert.deepEqual(after, before, 'nothing on disk changed');
  assert.equal(readFileSync(w.codeSettings, 'utf8'), settingsBefore);
  assert.equal(existsSync(marker), false, 'no command ran');
  assert.equal(w.json(['list']).length, 1);
});

test('a valid profile with odd but allowed header values still runs nothing when its header command runs', () => {
  const file = join(w.root, 'ok.mtlsprofile');
  writeFileSync(file, JSON.stringify({ ...base, name: 'odd', headers: [{ name: 'X-Odd', value: '#!/bin/sh ~ % ^ [x] * ?' }] }));
  const r = w.cli(['import', file, '--yes']);
  assert.equal(r.code, 0, r.stderr);
  const { execSync } = require('node:child_process') as typeof import('node:child_process');
  const out = execSync(String(w.settings()['coder.headerCommand']), { env: { ...w.env, CODER_URL: 'https://coder.acme.test' }, shell: '/bin/sh' }).toString();
  assert.equal(out, 'X-Odd=#!/bin/sh ~ % ^ [x] * ?\n');
  assert.equal(existsSync(marker), false);
});
