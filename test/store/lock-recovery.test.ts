// Locks that a broken machine or another user leaves behind: each is recovered or explained,
// never a silent wait on every call (audit: pid <= 0, a live pid without a start time, a
// foreign host name, a directory in the lock's place).
import assert from 'node:assert/strict';
import { mkdirSync, utimesSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { acquireWriterLock } from '../../main/store/writer-lock';
import { tempDir } from './helpers';

function plant(dir: string, holder: object, ageMs = 0): string {
  const lock = join(dir, 'writer.lock');
  writeFileSync(lock, JSON.stringify({ purpose: 'planted', acquiredAt: new Date().toISOString(), nonce: 'planted', ...holder }) + '\n');
  if (ageMs) {
    const t = (Date.now() - ageMs) / 1000;
    utimesSync(lock, t, t);
  }
  return lock;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t = Date.now();
  const value = await fn();
  return { value, ms: Date.now() - t };
}

test('a lock naming pid 0 or a negative pid (process groups for kill) is broken at once', async () => {
  for (const pid of [0, -1, 1.5]) {
    const dir = tempDir('mtls-lockpid-');
    plant(dir, { pid, host: hostname() });
    const { value: lock, ms } = await timed(() => acquireWriterLock(join(dir, 'writer.lock'), { purpose: 'test', waitMs: 5_000 }));
    assert.equal(lock.brokeStale.length, 1, `pid ${pid}`);
    assert.ok(ms < 2_000, `pid ${pid}: took ${ms} ms`);
    await lock.release();
  }
});

test('a live pid without a start time (not written by a working writer here) is broken after the grace period', { skip: process.platform !== 'linux' && 'start times are read from /proc' }, async () => {
  const dir = tempDir('mtls-locknostart-');
  // pid 1 is alive; without a start time nobody can tell whether it wrote this.
  plant(dir, { pid: 1, host: hostname() }, 60_000);
  const { value: lock } = await timed(() => acquireWriterLock(join(dir, 'writer.lock'), { purpose: 'test', waitMs: 2_000 }));
  assert.equal(lock.brokeStale[0]?.pid, 1);
  await lock.release();
  // A fresh one is waited for (it may be a writer on a system without /proc), then reported.
  plant(dir, { pid: 1, host: hostname() });
  await assert.rejects(acquireWriterLock(join(dir, 'writer.lock'), { purpose: 'test', waitMs: 200, unreadableStaleMs: 10_000 }), (e: any) => e.code === 'STORE_BUSY');
  const lock2 = await acquireWriterLock(join(dir, 'writer.lock'), { purpose: 'test', waitMs: 3_000, unreadableStaleMs: 300 });
  assert.equal(lock2.brokeStale.length, 1);
  await lock2.release();
});

test("another machine's lock: after the wait, a message that says so and the exact command that clears it", async () => {
  const dir = tempDir("mtls-lock host 'q'-");
  const path = plant(dir, { pid: 4242, host: 'build-box-7', procStart: '1' });
  await assert.rejects(acquireWriterLock(path, { purpose: 'test', waitMs: 150 }), (e: any) => {
    assert.equal(e.code, 'STORE_BUSY');
    assert.match(e.message, /process 4242 on build-box-7.*another machine sharing this data directory/);
    assert.match(e.fix, /If no mtls-tray runs on build-box-7, delete the lock with `rm '.*writer\.lock'`/);
    return true;
  });
  assert.ok(existsSync(path), 'never deleted behind the user');
});

test('a directory or a symlink where the lock belongs: explained with the path and the fix, left in place', async () => {
  const dir = tempDir('mtls-lockdir-');
  const lockPath = join(dir, 'writer.lock');
  mkdirSync(lockPath);
  await assert.rejects(acquireWriterLock(lockPath, { purpose: 'test', waitMs: 1_000 }), (e: any) => {
    assert.equal(e.code, 'LOCK_INVALID');
    assert.match(e.message, /writer\.lock is a directory, not mtls-tray's writer lock/);
    assert.match(e.fix, /^Move it out of the way \(e\.g\. `mv '.*writer\.lock' '.*writer\.lock\.bad'`\)/);
    return true;
  });
  assert.ok(statSync(lockPath).isDirectory());
});
