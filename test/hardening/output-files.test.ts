// tier: integration
// issue 16 item 6: files written on request replace the target (never written through a link,
// never keeping an old mode), secrets are 0600, and a settings.json we create is 0600 even
// under umask 000.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, makeWorld } from '../cli/cli-harness';

const mode = (f: string) => statSync(f).mode & 0o777;

test('export --with-identity --out over a symlink and over a 0644 file', () => {
  const w = makeWorld('out');
  assert.equal(w.cli(['init', '--url', 'https://coder.acme.test', '--name', 'acme', '--self-signed', '--no-settings']).code, 0);
  writeFileSync(join(w.root, 'pass'), 'correct horse battery\n');
  const victim = join(w.root, 'victim.txt');
  writeFileSync(victim, 'do not touch\n', { mode: 0o644 });
  const link = join(w.root, 'link.mtlsprofile');
  symlinkSync(victim, link);
  const r = w.cli(['export', '--out', link, '--with-identity', '--passphrase-file', join(w.root, 'pass')]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readFileSync(victim, 'utf8'), 'do not touch\n', 'written through the symlink');
  assert.ok(lstatSync(link).isFile(), 'the link is replaced by a regular file');
  assert.equal(mode(link), 0o600);

  const existing = join(w.root, 'existing.mtlsprofile');
  writeFileSync(existing, 'old');
  chmodSync(existing, 0o666);
  assert.equal(w.cli(['export', '--out', existing, '--with-identity', '--passphrase-file', join(w.root, 'pass')]).code, 0);
  assert.equal(mode(existing), 0o600, 'an existing file keeps no mode of its own');
});

test('a settings.json we create under umask 000 is 0600', () => {
  const w = makeWorld('umask');
  const r = spawnSync('/bin/sh', ['-c', 'umask 000; exec "$0" "$@"', process.execPath, CLI, '--data-dir', w.dataDir, 'init', '--url', 'https://coder.acme.test', '--name', 'acme', '--self-signed'], { env: w.env, cwd: w.root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  // It names our key and scripts: nobody else may change it (coder.headerCommand appears only with headers).
  assert.ok(String(w.settings()['coder.tlsKeyFile']).includes('client.key'));
  assert.equal(mode(w.codeSettings), 0o600);
});
