// tier: integration
// issue 16 item 9: a certificate subject with ESC/BEL sequences and a newline is shown escaped
// by status, list and errors; JSON keeps the exact value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { makeWorld } from '../cli/cli-harness';
import { escapeControl } from '../../main/base/terminal-text';

// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

test('escapeControl keeps our newlines, escapes everything else', () => {
  assert.equal(escapeControl('a\x1b[2Jb\nc\x07'), 'a\\x1b[2Jb\nc\\x07');
  assert.equal(escapeControl('a\nb\u202e', false), 'a\\x0ab\\u202e');
});

test('status, list and errors print a hostile subject escaped', () => {
  const w = makeWorld('esc');
  const subj = '/CN=ev\x1b]0;pwned\x07il\x1b[2J/O=line\nFAKE: ok';
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(w.root, 'k.pem'), '-out', join(w.root, 'c.pem'), '-utf8', '-subj', subj, '-days', '5', '-addext', 'extendedKeyUsage=clientAuth', '-addext', 'subjectAltName=email:dev@acme.test'], { stdio: 'ignore' });
  const name = 'evil\x1b[31mname';
  const init = w.cli(['init', '--url', 'https://coder.acme.test', '--name', name, '--import-pem', join(w.root, 'c.pem'), join(w.root, 'k.pem'), '--no-settings']);
  // The name may be refused by the name rules; then the error must be escaped.
  assert.doesNotMatch(init.stdout + init.stderr, RAW_CONTROL, `init output: ${JSON.stringify(init)}`);
  if (init.code !== 0) {
    assert.equal(w.cli(['init', '--url', 'https://coder.acme.test', '--name', 'evil', '--import-pem', join(w.root, 'c.pem'), join(w.root, 'k.pem'), '--no-settings']).code, 0);
  }
  const status = w.cli(['status']);
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /\\x1b\]0\\?;pwned\\x07il\\x1b\[2J/);
  assert.doesNotMatch(status.stdout, RAW_CONTROL);
  assert.doesNotMatch(status.stdout, /^FAKE: ok/m, 'a newline in the subject must not start a line');
  const list = w.cli(['list']);
  assert.doesNotMatch(list.stdout + list.stderr, RAW_CONTROL);
  const err = w.cli(['switch', 'no\x1b[2Jsuch']);
  assert.notEqual(err.code, 0);
  assert.doesNotMatch(err.stderr, RAW_CONTROL);
  const json = w.json(['status']);
  assert.ok(json.report.subject.includes('\x1b]0'), 'JSON keeps the exact subject');
});
