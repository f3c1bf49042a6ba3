// tier: integration
// issue 16 item 5: disk faults are user errors naming the path and the fix, never "internal
// error … (this is a bug)", and leave nothing half-done. ENOSPC and EROFS on a real tmpfs
// (needs root to mount: skipped otherwise).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { makeWorld } from '../cli/cli-harness';
import { diskFaultToUserError } from '../../main/base/fs-errors';

const canMount = process.platform === 'linux' && process.getuid?.() === 0 && spawnSync('mount', ['--version']).status === 0;
const skip = !canMount && 'mounting a tmpfs needs root on Linux';

/** Runs `fn` with a tmpfs mounted on `dir`, unmounted before the world's cleanup removes it. */
function withTmpfs(dir: string, size: string, fn: () => void): void {
  mkdirSync(dir, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir]);
  try {
    fn();
  } finally {
    if (spawnSync('umount', [dir]).status !== 0) spawnSync('umount', ['-l', dir]);
  }
}

const noBug = (s: string) => assert.doesNotMatch(s, /internal error|this is a bug/);

test('the errno mapper names the path and a fix for each fault', () => {
  for (const [code, want, fix] of [
    ['ENOSPC', 'DISK_FULL', /df -h/], ['EDQUOT', 'DISK_FULL', /df -h/], ['EROFS', 'READ_ONLY_FS', /--data-dir/],
    ['EACCES', 'PERMISSION_DENIED', /chmod u\+rwX/], ['EPERM', 'PERMISSION_DENIED', /ls -ld/], ['EISDIR', 'PATH_IS_DIRECTORY', /mv /],
    ['ELOOP', 'PATH_IS_LINK', /rm /], ['ENOTDIR', 'PATH_NOT_DIRECTORY', /ls -ld/],
  ] as const) {
    const e = diskFaultToUserError(Object.assign(new Error('x'), { code, path: '/data dir/profiles/a/.tmp-client.key-1-ab' }));
    assert.equal(e?.code, want, code);
    assert.match(e!.message, /\/data dir\/profiles\/a\b/);
    assert.doesNotMatch(e!.message, /\.tmp-/, 'a temp name is shown as its folder');
    assert.match(e!.fix ?? '', fix);
  }
  assert.equal(diskFaultToUserError(new Error('plain')), null);
  assert.equal(diskFaultToUserError(Object.assign(new Error('x'), { code: 'ECONNRESET' })), null);
});

test('ENOSPC: init on a full disk is a user error and leaves no half-made profile', { skip }, () => {
  const w = makeWorld('enospc');
  const mnt = join(w.root, 'small');
  withTmpfs(mnt, '64k', () => {
    w.env.MTLS_TRAY_HOME = join(mnt, 'data');
    // Fill the disk, leaving a few hundred bytes.
    try {
      writeFileSync(join(mnt, 'filler'), Buffer.alloc(64 * 1024 - 4096));
    } catch { /* full already */ }
    const r = spawnSync(process.execPath, [join(__dirname, '../../dist/cli.js'), '--data-dir', join(mnt, 'data'), 'init', '--url', 'https://coder.acme.test', '--name', 'acme', '--self-signed', '--no-settings'], { env: w.env, encoding: 'utf8' });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    noBug(r.stderr);
    assert.match(r.stderr, /The disk is full: cannot write \(.*small/);
    assert.match(r.stderr, /fix: Free some space on that disk \(`df -h /);
    const profiles = join(mnt, 'data', 'profiles');
    assert.deepEqual(existsSync(profiles) ? readdirSync(profiles) : [], [], 'no half-made profile left');
  });
});

test('EROFS: rotate on a read-only data dir is a user error; EISDIR/ENOTDIR for --out name the path', { skip }, () => {
  const w = makeWorld('erofs');
  const mnt = join(w.root, 'ro');
  withTmpfs(mnt, '1m', () => {
    const cli = (args: string[]) => spawnSync(process.execPath, [join(__dirname, '../../dist/cli.js'), '--data-dir', join(mnt, 'data'), ...args], { env: w.env, cwd: w.root, encoding: 'utf8' });
    assert.equal(cli(['init', '--url', 'https://coder.acme.test', '--name', 'acme', '--self-signed', '--no-settings']).status, 0);
    const before = execFileSync('ls', ['-lR', join(mnt, 'data')], { encoding: 'utf8' });
    execFileSync('mount', ['-o', 'remount,ro', mnt]);
    const r = cli(['rotate']);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    noBug(r.stderr);
    assert.match(r.stderr, /The file system is read-only: cannot write \(.*ro\//);
    assert.match(r.stderr, /fix: Remount it read-write, or use a data directory on a writable disk with --data-dir DIR/);
    assert.equal(execFileSync('ls', ['-lR', join(mnt, 'data')], { encoding: 'utf8' }), before, 'nothing changed');
    const status = cli(['status']);
    assert.equal(status.status, 0, status.stderr);

    const dir = join(w.root, 'a-directory');
    mkdirSync(dir);
    const d = cli(['--json', 'export', '--out', dir]);
    assert.equal(d.status, 1);
    noBug(d.stderr);
    assert.equal(JSON.parse(d.stderr).error.code, 'PATH_IS_DIRECTORY');
    assert.match(JSON.parse(d.stderr).error.message, /a-directory is a directory/);
    writeFileSync(join(w.root, 'afile'), 'x');
    const n = cli(['export', '--out', join(w.root, 'afile', 'p.mtlsprofile')]);
    assert.equal(n.status, 1);
    noBug(n.stderr);
    assert.match(n.stderr, /afile is a file where a directory is expected|A part of .*afile/);
  });
});
