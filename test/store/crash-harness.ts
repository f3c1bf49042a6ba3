// The crash test's machinery, shared by the links-layout run (crash.test.ts) and the
// fixed-layout run (fixed-layout.test.ts): looping writer processes killed with SIGKILL at
// random moments, and after each kill recovery plus a check that the editor's files are one
// complete, matching generation.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { X509Certificate, createHash, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CredentialStore, type LayoutKind } from '../../main/store';
import { HEADERS, awkwardDataDir, memoryLogger, parseLikeExtension, seedProfile } from './helpers';

export interface Tally { windowMs: number[]; kills: number; midWrite: number; lockHeld: number; tempEntries: number; generationsWritten: number; restored: number; damaged: number; recopied: number; mismatchedBeforeRecovery: number }

export function newTally(): Tally {
  return { windowMs: [], kills: 0, midWrite: 0, lockHeld: 0, tempEntries: 0, generationsWritten: 0, restored: 0, damaged: 0, recopied: 0, mismatchedBeforeRecovery: 0 };
}

export interface Writer { go(): Promise<void>; kill(): Promise<void>; opTimes: number[] }

/**
 * Starts a looping writer that loads and warms up at once but writes only after go(), so
 * the next writer's start-up overlaps the current one's run.
 */
export function startWriter(writer: string, dataDir: string, layout?: LayoutKind): Writer {
  const child = spawn(process.execPath, [writer], { env: { ...process.env, MTLS_WRITER_TIMING: '1', MTLS_WRITER: JSON.stringify({ dataDir, profile: 'acme', headers: HEADERS, mode: 'loop', ...(layout ? { layout } : {}) }) }, stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((res) => child.on('exit', () => res()));
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  const opTimes: number[] = [];
  child.stdout!.on('data', (d: Buffer) => {
    for (const line of d.toString().trim().split('\n')) {
      lines.push(line);
      const ms = /"ms":(\d+)/.exec(line)?.[1];
      if (ms) opTimes.push(Number(ms));
    }
    waiters.splice(0).forEach((w) => w());
  });
  const seen = (word: string) => new Promise<void>(function wait(res) {
    if (lines.some((l) => l.includes(word))) return res();
    waiters.push(() => wait(res));
  });
  return {
    opTimes,
    async go() {
      await seen('warm');
      child.stdin!.write('go\n');
      await seen('ready');
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

export function checkActive(store: CredentialStore): void {
  const cert = readFileSync(store.paths.cert, 'utf8');
  const key = readFileSync(store.paths.key, 'utf8');
  const x = new X509Certificate(cert);
  assert.ok(x.checkPrivateKey(createPrivateKey(key)), 'active cert and key match');
  const headers = parseLikeExtension(readFileSync(store.paths.headers, 'utf8'));
  const pin = createHash('sha256').update(x.publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
  assert.equal(headers['X-Client-Key-Pin'], pin, 'headers are from the same generation');
  assert.equal(headers['X-Client-Cert-Sha256'], x.fingerprint256.replace(/:/g, '').toLowerCase());
}

function pairMatches(data: string): boolean {
  const dir = join(data, 'active', 'current');
  try {
    return new X509Certificate(readFileSync(join(dir, 'client.crt'))).checkPrivateKey(createPrivateKey(readFileSync(join(dir, 'client.key'))));
  } catch {
    return false;
  }
}

export async function lane(writer: string, n: number, tally: Tally, layout?: LayoutKind): Promise<void> {
  const data = awkwardDataDir();
  const log = memoryLogger();
  const seedStore = new CredentialStore({ dataDir: data, env: {}, ...(layout ? { layout } : {}) });
  await seedProfile(seedStore);
  let lastGeneration = 1;
  let next = startWriter(writer, data, layout);
  // How long a write takes depends on the machine (fsync-bound: a few ms idle, 50+ ms under
  // load, more for a fresh process's first one), so the kill window adapts: it widens while
  // writers die before finishing one write and narrows when they finish several, so kills
  // keep landing anywhere in the first write or two.
  let window = 40;
  try {
    for (let i = 0; i < n; i++) {
      const current = next;
      await current.go();
      next = startWriter(writer, data, layout);
      await new Promise((r) => setTimeout(r, Math.random() * window));
      await current.kill();
      const completed = current.opTimes.length;
      window = Math.min(2_000, Math.max(10, completed === 0 ? window * 1.25 : completed >= 2 ? window / 1.25 : window));

      // What an editor reading right now (before any recovery) would get: in the links layout
      // always a matching pair; in the fixed layout a kill between the per-file renames of a
      // rotation leaves a mismatched pair until recovery (the weaker guarantee), counted here.
      if (!pairMatches(data)) tally.mismatchedBeforeRecovery++;
      const store = new CredentialStore({ dataDir: data, env: {}, logger: log, lockWaitMs: 5_000, ...(layout ? { layout } : {}) });
      const report = await store.recover();
      tally.kills++;
      if (report.removedTemp.length > 0) tally.midWrite++;
      if (log.lines.some((l) => l.message.startsWith('broke the writer lock'))) tally.lockHeld++;
      log.lines.length = 0;
      tally.tempEntries += report.removedTemp.length;
      tally.restored += report.restoredCurrent.length + (report.restoredActive ? 1 : 0);
      tally.damaged += report.damaged.length;
      if (report.recopiedActive) tally.recopied++;
      checkActive(store);
      const cur = await store.readCurrent();
      assert.ok(cur, 'a current generation exists');
      // The editor's files are exactly the current generation (in the fixed layout: copied in full again).
      assert.equal(readFileSync(store.paths.cert, 'utf8'), cur.cert);
      assert.equal(readFileSync(store.paths.key, 'utf8'), cur.key);
      assert.equal(readFileSync(store.paths.headers, 'utf8'), cur.headers);
      assert.ok(cur.info.number >= lastGeneration, 'never goes back in time');
      tally.generationsWritten += cur.info.number - lastGeneration;
      lastGeneration = cur.info.number;
    }
  } finally {
    await next.kill();
    tally.windowMs.push(Math.round(window));
  }
}

