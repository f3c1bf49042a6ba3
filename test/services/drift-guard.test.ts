// The restore-loop guard and the notice-once rule (issue 17), on a fake clock: pure, no files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DriftGuard, LOOP_WINDOW_MS } from '../../main/services/drift-guard';

const S = '/home/u/.config/Cursor/User/settings.json';
const drifted = (source = S) => [{ source, drifted: true }];

test('a source that stays drifted is announced once; clean again ends the episode; a new drift is news again', () => {
  const g = new DriftGuard();
  assert.deepEqual(g.observe(0, drifted()), [{ kind: 'notify', sources: [S] }]);
  // The per-key writer's next keys, a poll, Settings Sync finishing: same episode.
  for (let t = 60; t <= 600; t += 60) assert.deepEqual(g.observe(t, drifted()), []);
  assert.deepEqual(g.observe(1_000, []), []);
  assert.deepEqual(g.observe(2_000, drifted()), [{ kind: 'notify', sources: [S] }]);
});

test('several sources drifting in one check make one notice', () => {
  const g = new DriftGuard();
  assert.deepEqual(g.observe(0, [...drifted(), ...drifted('files')]), [{ kind: 'notify', sources: [S, 'files'] }]);
  // A third source later is news of its own; the first two are not repeated.
  assert.deepEqual(g.observe(10, [...drifted(), ...drifted('files'), ...drifted('/b.json')]), [{ kind: 'notify', sources: ['/b.json'] }]);
});

test('a source not judged this time (a swap in progress) neither ends nor starts an episode', () => {
  const g = new DriftGuard();
  g.observe(0, drifted('files'));
  assert.deepEqual(g.observe(10, [{ source: 'files', drifted: null }]), []);
  assert.deepEqual(g.observe(20, drifted('files')), [], 'still the same episode');
});

test('a restore undone within the window stops restoring: one loop decision, then silence, Restore refused', () => {
  const g = new DriftGuard();
  g.observe(0, drifted());
  g.restored(1_000, S, true);
  assert.deepEqual(g.observe(1_400, []), [], 'our own write: clean');
  assert.deepEqual(g.observe(13_000, drifted()), [{ kind: 'loop', source: S, undoneAfterMs: 12_000 }]);
  assert.deepEqual(g.stopped(S), { at: 13_000, undoneAfterMs: 12_000 });
  assert.deepEqual(g.observe(14_000, drifted()), [], 'explained once');
  // Fixed by other means (settings apply from a terminal): the stop ends with the episode.
  assert.deepEqual(g.observe(20_000, []), []);
  assert.equal(g.stopped(S), null);
});

test('undone after the window is a fresh drift, not a loop', () => {
  const g = new DriftGuard();
  g.observe(0, drifted());
  g.restored(1_000, S, true);
  g.observe(1_400, []);
  assert.deepEqual(g.observe(1_000 + LOOP_WINDOW_MS + 1, drifted()), [{ kind: 'notify', sources: [S] }]);
  assert.equal(g.stopped(S), null);
});

test('a restore that is already undone when we look again stops at once; keep theirs forgets', () => {
  const g = new DriftGuard();
  g.observe(0, drifted());
  assert.deepEqual(g.restored(500, S, false), { kind: 'loop', source: S, undoneAfterMs: 0 });
  assert.notEqual(g.stopped(S), null);
  assert.deepEqual(g.observe(600, drifted()), []);
  g.forget(S);
  assert.equal(g.stopped(S), null);
  assert.deepEqual(g.observe(700, drifted()), [{ kind: 'notify', sources: [S] }]);
});
