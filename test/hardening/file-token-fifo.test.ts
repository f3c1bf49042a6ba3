// tier: integration
// issue 16 item 2: a FIFO (or a device) behind a window file token is refused before it is
// opened, and never blocks: four of them at once used to stop every file operation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileTokenStore } from '../../main/ipc/file-tokens';

test('FIFOs and devices behind file tokens are refused at once', { skip: process.platform === 'win32' && 'no mkfifo' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fifo-'));
  try {
    const store = createFileTokenStore();
    const fifos = [0, 1, 2, 3].map((i) => {
      const p = join(dir, `f${i}.pem`);
      execFileSync('mkfifo', [p]);
      return store.issue(1, p, 'certificate').token;
    });
    const dev = store.issue(1, '/dev/zero', 'certificate').token;
    const t0 = performance.now();
    const results = await Promise.race([
      Promise.allSettled([...fifos, dev].map((t) => store.read(1, t))),
      new Promise<'blocked'>((r) => setTimeout(() => r('blocked'), 3000).unref()),
    ]);
    assert.notEqual(results, 'blocked', 'a read blocked on a FIFO');
    for (const r of results as PromiseSettledResult<Buffer>[]) {
      assert.equal(r.status, 'rejected');
      assert.match((r as PromiseRejectedResult).reason.message, /is not a regular file/);
    }
    // The thread pool is free: ordinary file operations still work.
    writeFileSync(join(dir, 'ok.pem'), 'x');
    assert.equal(await readFile(join(dir, 'ok.pem'), 'utf8'), 'x');
    assert.equal((await store.read(1, store.issue(1, join(dir, 'ok.pem'), 'certificate').token)).toString(), 'x');
    console.log(`# 4 FIFOs + /dev/zero refused in ${(performance.now() - t0).toFixed(1)} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
