import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UserError, isUserError } from '../main/errors';

test('UserError carries a code and a fix', () => {
  const e = new UserError('X', 'msg', 'do this');
  assert.equal(e.code, 'X');
  assert.equal(e.fix, 'do this');
  assert.ok(isUserError(e));
  assert.ok(!isUserError(new Error('x')));
});
