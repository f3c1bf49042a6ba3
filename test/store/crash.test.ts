// Crash test (issue 3): a child process renews and rotates in a loop and is killed with
// SIGKILL at random moments, at least 200 times. After each kill, recovery runs and the
// active certificate and key are present, parse and match, and the headers belong to the
// same generation. Kills that landed mid-write are counted from what recovery found
// (temp entries of a half-built generation or swap, or a dead writer's lock).
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { lane, newTally } from './crash-harness';
import { bundleFixtures, tempDir } from './helpers';

const KILLS = 200;
const LANES = 2; // two data dirs side by side, to use both cores while children start up

const bundleDir = tempDir('mtls-fixtures-');
let writer = '';
before(async () => {
  writer = (await bundleFixtures(bundleDir)).writer;
});

test(`crash: ${KILLS} SIGKILLs of a renew/rotate loop; after each, recovery leaves a complete, matching generation active`, async (t) => {
  const tally = newTally();
  const started = performance.now();
  await Promise.all(Array.from({ length: LANES }, () => lane(writer, Math.ceil(KILLS / LANES), tally)));
  t.diagnostic(`${tally.kills} kills in ${Math.round(performance.now() - started)} ms; ${tally.midWrite} landed mid-write ` +
    `(recovery removed ${tally.tempEntries} temp entries), ${tally.lockHeld} while holding the writer lock; ` +
    `${tally.generationsWritten} generations completed between kills (kill window ${tally.windowMs.join('/')} ms at the end); current/active restored ${tally.restored} times; damaged generations ${tally.damaged}`);
  assert.ok(tally.kills >= 200);
  // The swap is one rename: a crash never leaves current pointing at a missing or incomplete generation.
  assert.equal(tally.restored, 0);
  assert.equal(tally.damaged, 0);
  // Guarantee 4: whatever instant the kill hit, the editor's files were a matching pair even before recovery.
  assert.equal(tally.mismatchedBeforeRecovery, 0);
  // The test only means something if kills do land inside writes (how many depends on how
  // the disk's fsync compares with the crypto: 26-40 of 200 here).
  assert.ok(tally.midWrite >= 10, `only ${tally.midWrite} kills landed mid-write`);
  assert.ok(tally.lockHeld >= 50, `only ${tally.lockHeld} kills landed inside a write operation`);
  assert.ok(tally.generationsWritten >= 50, `the writer barely wrote: ${tally.generationsWritten}`);
});
