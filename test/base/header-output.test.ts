import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseHeaderCommandOutput } from '../../main/base/header-output';

test('name=value lines become headers; one trailing newline (LF or CRLF) is stripped', () => {
  assert.deepEqual(parseHeaderCommandOutput('A=1\nB=two=2\n'), { ok: true, headers: { A: '1', B: 'two=2' } });
  assert.deepEqual(parseHeaderCommandOutput('A=1\r\nB=\r\n'), { ok: true, headers: { A: '1', B: '' } });
  assert.deepEqual(parseHeaderCommandOutput('A=x'), { ok: true, headers: { A: 'x' } });
});

test('empty output means no headers, but a lone newline is a blank line (an error, as in the extension)', () => {
  assert.deepEqual(parseHeaderCommandOutput(''), { ok: true, headers: {} });
  const r = parseHeaderCommandOutput('\n');
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.reason, 'blank line');
});

test('only one trailing newline is stripped: a second one is a blank line', () => {
  const r = parseHeaderCommandOutput('A=1\n\n');
  assert.deepEqual(r, { ok: false, lineNumber: 2, line: '', reason: 'blank line' });
});

test('a line without "=", an empty name, or a name with whitespace is an error naming its line', () => {
  assert.deepEqual(parseHeaderCommandOutput('A=1\nnope\n'), { ok: false, lineNumber: 2, line: 'nope', reason: 'no "=" in the line' });
  assert.deepEqual(parseHeaderCommandOutput('=v'), { ok: false, lineNumber: 1, line: '=v', reason: 'empty header name' });
  assert.equal((parseHeaderCommandOutput('X Y=1') as { reason: string }).reason, 'header name contains whitespace');
  assert.equal((parseHeaderCommandOutput('X\tY=1') as { reason: string }).reason, 'header name contains whitespace');
});

test('a name Node would refuse to send is caught here, before the request fails', () => {
  const r = parseHeaderCommandOutput('X(Y)=1');
  assert.equal(r.ok, false);
  assert.match((r as { reason: string }).reason, /not a valid HTTP token/);
});
