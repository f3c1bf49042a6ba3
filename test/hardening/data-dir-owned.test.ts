// tier: integration
// issue 16 item 1: the audit's scenarios through the CLI. A data dir pre-created 0777, an
// `active` repointed outside, a settings-backups symlink: writes are refused naming the fix,
// and status and doctor report the same check (exit 1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { makeWorld, type World } from '../cli/cli-harness';

const skip = process.platform === 'win32' && 'POSIX modes';
const URL = 'https://127.0.0.1:9'; // doctor fails fast there; the data-dir check is what we look at

function withProfile(name: string): World {
  const w = makeWorld(name);
  const r = w.cli(['init', '--url', URL, '--name', 'acme', '--self-signed']);
  assert.equal(r.code, 0, r.stderr);
  return w;
}

function assertReported(w: World, pattern: RegExp): void {
  const st = w.cli(['status']);
  assert.equal(st.code, 1, `status: ${st.stdout}${st.stderr}`);
  assert.match(st.stdout, /ERROR DATA_DIR_UNSAFE/);
  assert.match(st.stdout, pattern);
  const json = JSON.parse(w.cli(['--json', 'status']).stdout);
  assert.equal(json.dataDirProblem.code, 'DATA_DIR_UNSAFE');
  const doc = w.cli(['--json', 'doctor']);
  assert.equal(doc.code, 1);
  const check = JSON.parse(doc.stdout).checks.find((c: any) => c.id === 'data-dir');
  assert.equal(check?.status, 'fail', doc.stdout);
  assert.match(check.detail, pattern);
}

test('a data dir pre-created with mode 0777 is refused at init; one made 0777 later is reported', { skip }, () => {
  const w = makeWorld('own0777');
  mkdirSync(w.dataDir, { recursive: true });
  chmodSync(w.dataDir, 0o777);
  const r = w.cli(['init', '--url', URL, '--name', 'acme', '--self-signed']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /writable by every user \(mode 777\)[\s\S]*fix: Run `chmod 700/);
  assert.deepEqual(readdirSync(w.dataDir), [], 'nothing written');

  const v = withProfile('own0777b');
  assert.equal(v.cli(['status']).code, 0);
  assert.equal(JSON.parse(v.cli(['--json', 'doctor']).stdout).checks.find((c: any) => c.id === 'data-dir').status, 'pass');
  chmodSync(v.dataDir, 0o777);
  assertReported(v, /writable by every user/);
  assert.equal(v.cli(['renew']).code, 1, 'renew refused');
});

test('an active link repointed outside the data dir is reported and refused', { skip }, () => {
  const w = withProfile('ownactive');
  const evil = join(w.root, 'evil-profile');
  mkdirSync(evil, { mode: 0o700 });
  rmSync(join(w.dataDir, 'active'));
  symlinkSync(evil, join(w.dataDir, 'active'));
  assertReported(w, /active leads to .*evil-profile, outside the data directory/);
  const r = w.cli(['switch', 'acme']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /fix: If you did not make it yourself, remove it with `rm /);
});

test('a settings-backups symlink is never written through', { skip }, () => {
  const w = withProfile('ownbackup');
  const backups = join(w.dataDir, 'settings-backups');
  const outside = join(w.root, 'outside');
  mkdirSync(outside, { mode: 0o700 });
  rmSync(backups, { recursive: true, force: true });
  symlinkSync(outside, backups);
  const r = w.cli(['settings', 'apply']);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /settings-backups leads to/);
  assert.deepEqual(readdirSync(outside), [], 'nothing written through the link');
  assertReported(w, /settings-backups leads to/);
  // The fix it names works.
  rmSync(backups);
  assert.equal(w.cli(['status']).code, 0);
});
