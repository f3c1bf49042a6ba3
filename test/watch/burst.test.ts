// The drift watch's debounce (issue 17), on a fake clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Burst } from '../../main/watch/burst';

test('four events 60 ms apart make one check, 400 ms after the last', () => {
  const b = new Burst(400, 2_000);
  let due = 0;
  for (const t of [0, 60, 120, 180]) {
    due = b.event(t);
    assert.equal(b.take(t), false);
  }
  assert.equal(due, 580);
  assert.equal(b.take(579), false);
  assert.equal(b.take(580), true);
  assert.equal(b.dueAt(), null, 'the burst is over');
  assert.equal(b.take(10_000), false, 'nothing pending');
});

test('a writer that never pauses is looked at after maxWait', () => {
  const b = new Burst(400, 2_000);
  let due = 0;
  for (let t = 0; t <= 3_000; t += 100) {
    due = b.event(t);
    if (b.take(t)) break;
  }
  assert.equal(due, 2_000);
});
