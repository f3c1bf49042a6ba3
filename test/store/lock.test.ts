// The writer lock, with real processes: two writers at once, a writer that waits too
// long, and a writer that dies holding the lock.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { acquireWriterLock, isHolderAlive, readLockHolder } from '../../main/store';
import { renewProfile } from '../../main/services/reissue';
import { HEADERS, awkwardDataDir, bundleFixtures, isUserErr, memoryLogger, newStore, seedProfile, tempDir } from './helpers';

let writer = '';
const bundleDir = tempDir('mtls-writer-');
before(async () => {
  writer = (await bundleFixtures(bundleDir)).writer;
});

function startWriter(env: object): { child: ChildProcess; done: Promise<{ code: number | null; lines: any[]; stderr: string }>; ready: Promise<any> } {
  const child = spawn(process.execPath, [writer], { env: { ...process.env, MTLS_WRITER: JSON.stringify(env) }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: any[] = [];
  let stderr = '';
  let buf = '';
  let onReady: (v: any) => void = () => {};
  const ready = new Promise((r) => (onReady = r));
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = JSON.parse(buf.slice(0, i));
      buf = buf.slice(i + 1);
      lines.push(line);
      if (line.ready) onReady(line);
    }
  });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; lines: any[]; stderr: string }>((r) => child.on('exit', (code) => r({ code, lines, stderr })));
  return { child, done, ready };
}

test('two writer processes at once: every generation lands, in order, none lost', async () => {
  const data = awkwardDataDir();
  const store = newStore(data, { keepPrevious: 100 });
  await seedProfile(store);
  const cfg = { dataDir: data, profile: 'acme', headers: HEADERS, mode: 'count', keepPrevious: 100 };
  const a = startWriter({ ...cfg, ops: ['renew', 'rotate', 'renew', 'renew', 'rotate'] });
  const b = startWriter({ ...cfg, ops: ['rotate', 'renew', 'renew', 'rotate', 'renew'] });
  const [ra, rb] = await Promise.all([a.done, b.done]);
  assert.equal(ra.code, 0, ra.stderr);
  assert.equal(rb.code, 0, rb.stderr);
  const numsA = ra.lines.map((l) => l.generation);
  const numsB = rb.lines.map((l) => l.generation);
  for (const nums of [numsA, numsB]) assert.deepEqual(nums, [...nums].sort((x, y) => x - y), 'each writer sees its own generations in order');
  assert.deepEqual([...numsA, ...numsB].sort((x, y) => x - y), [2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 'no number twice, none skipped');
  const gens = await store.listGenerations('acme');
  assert.equal(gens.length, 11);
  const bySerial = new Map(gens.map((g) => [g.number, g.serial]));
  for (const l of [...ra.lines, ...rb.lines]) assert.equal(bySerial.get(l.generation), l.serial, `generation ${l.generation} is the one its writer made`);
  assert.equal(gens[0]!.number, 11);
  assert.equal(gens[0]!.current, true);
  assert.deepEqual(readdirSync(data).filter((n) => n.startsWith('.tmp-') || n === 'writer.lock'), [], 'lock released, no leftovers');
});

test('a writer that cannot get the lock in time fails with who holds it, and changes nothing', async () => {
  const data = awkwardDataDir();
  const store = newStore(data);
  await seedProfile(store);
  const lock = await acquireWriterLock(store.layout.lockFile, { purpose: 'test holder' });
  try {
    const r = await startWriter({ dataDir: data, profile: 'acme', headers: HEADERS, mode: 'count', ops: ['renew'], lockWaitMs: 300 }).done;
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`UserError: Another mtls-tray writer holds .*writer\\.lock: process ${process.pid} \\("test holder"\\) since \\S+; gave up after waiting 0\\.3 s\\.`));
    // In the same process too.
    await assert.rejects(renewProfile(newStore(data, { lockWaitMs: 100 }), 'acme', { days: 5, headers: HEADERS }), isUserErr('STORE_BUSY', /"test holder"/));
    assert.deepEqual((await store.listGenerations('acme')).map((g) => g.number), [1]);
  } finally {
    await lock.release();
  }
  assert.equal(await readLockHolder(store.layout.lockFile), null);
  assert.equal((await renewProfile(store, 'acme', { days: 5, headers: HEADERS })).number, 2);
});

test('the lock of a writer that died is broken at once, and recovery runs', async () => {
  const data = awkwardDataDir();
  const log = memoryLogger();
  const store = newStore(data, { logger: log, lockWaitMs: 2_000 });
  await seedProfile(store);
  const w = startWriter({ dataDir: data, profile: 'acme', headers: HEADERS, mode: 'hold-lock' });
  await w.ready;
  const held = await readLockHolder(store.layout.lockFile);
  assert.equal(held?.pid, w.child.pid);
  assert.equal(held?.purpose, 'hold for test');
  w.child.kill('SIGKILL');
  await w.done;
  const g = await renewProfile(newStore(data, { logger: log, lockWaitMs: 2_000 }), 'acme', { days: 5, headers: HEADERS });
  assert.equal(g.number, 2);
  assert.ok(log.lines.some((l) => l.message === `broke the writer lock of a process that died (pid ${w.child.pid})`), JSON.stringify(log.lines));
});

test('liveness: pid, recycled pid (start time), other boot, other host', () => {
  const me = { pid: process.pid, host: hostname(), purpose: '', acquiredAt: '', nonce: 'n' };
  assert.equal(isHolderAlive(me), true);
  assert.equal(isHolderAlive({ ...me, pid: 2 ** 22 + 12345 }), false, 'no such process');
  if (process.platform === 'linux') {
    assert.equal(isHolderAlive({ ...me, procStart: '1' }), false, 'same pid, other start time = recycled pid');
    assert.equal(isHolderAlive({ ...me, bootId: '00000000-0000-0000-0000-000000000000' }), false, 'from an earlier boot');
  }
  assert.equal(isHolderAlive({ ...me, pid: 2 ** 22 + 12345, host: 'some-other-machine' }), true, 'cannot tell for another host: wait');
});

test('nested writes reuse the lock; parallel writes in one process queue; a stolen lock is detected', async () => {
  const data = awkwardDataDir();
  const store = newStore(data, { lockWaitMs: 1_000 });
  await seedProfile(store);
  // refresh -> renew -> writeGeneration nest three levels deep, through another store object.
  const other = newStore(data, { lockWaitMs: 1_000 });
  const g = await store.withWriteLock('outer', () => other.withWriteLock('middle', () => renewProfile(other, 'acme', { days: 5, headers: HEADERS })));
  assert.equal(g.number, 2);
  const results = await Promise.all([0, 1, 2, 3].map(() => renewProfile(store, 'acme', { days: 5, headers: HEADERS })));
  assert.deepEqual(results.map((r) => r.number).sort(), [3, 4, 5, 6]);

  // A callback scheduled inside a locked section but run after it does not ride on the old lock.
  let later!: Promise<unknown>;
  await store.withWriteLock('schedules work', async () => {
    later = new Promise((res) => setTimeout(res, 20)).then(() => store.withWriteLock('later', async (lock) => lock.holder.purpose));
  });
  assert.equal(await later, 'later');

  await assert.rejects(store.withWriteLock('victim', async (lock) => {
    writeFileSync(store.layout.lockFile, JSON.stringify({ ...lock.holder, nonce: 'someone-else' }));
    await lock.assertHeld();
  }), /lost the writer lock/);
});
