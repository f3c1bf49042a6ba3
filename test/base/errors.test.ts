import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UserError, isUserError } from '../../main/base/errors';

test('UserError carries a code and a fix', () => {
  const e = new UserError('INPUT_EMPTY', 'msg', 'do this');
  assert.equal(e.code, 'INPUT_EMPTY');
  assert.equal(e.fix, 'do this');
  assert.ok(isUserError(e));
  assert.ok(!isUserError(new Error('x')));
});
