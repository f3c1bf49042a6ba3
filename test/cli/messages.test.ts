// tier: integration
// The messages issue 13 corrected, each from the real CLI: what the user sees, and its exit code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { makeWorld } from './cli-harness';

const URL = 'https://coder.acme.test';

test('bad values typed on the command line are bad usage (exit 2); the file is named when a file is at fault', () => {
  const w = makeWorld('msgs');
  const san = w.cli(['init', '--url', URL, '--self-signed', '--san', 'DNS:bad host', '--no-settings']);
  assert.equal(san.code, 2, san.stderr);
  assert.match(san.stderr, /"DNS:bad host" is not valid/);
  const header = w.cli(['init', '--url', URL, '--self-signed', '--header', 'X Bad=1', '--no-settings']);
  assert.equal(header.code, 2, header.stderr);
  assert.match(header.stderr, /Header name "X Bad" is not valid/);
  // A file that is not a CSR: the message says what it is missing, not "holds no certificate request".
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(w.root, 'k.pem'), '-out', join(w.root, 'c.pem'), '-subj', '/CN=x', '-days', '2'], { stdio: 'ignore' });
  assert.equal(w.cli(['init', '--url', URL, '--local-ca', '--no-settings']).code, 0);
  const notCsr = w.cli(['ca', 'sign', join(w.root, 'c.pem'), '--out', join(w.root, 'out.crt')]);
  assert.equal(notCsr.code, 1);
  assert.match(notCsr.stderr, /is not a certificate request: it has no -----BEGIN CERTIFICATE REQUEST----- block/);
  assert.doesNotMatch(notCsr.stderr, /holds no certificate request/);
});

test('a damaged link gets a clean message; a password-less .p12 imports without --passphrase-file', () => {
  const w = makeWorld('msgs2');
  const link = w.cli(['import', 'mtls-tray://import?profile=' + Buffer.from([0xff, 0xfe, 0x00, 0x41, 0x9c]).toString('base64url'), '--yes']);
  assert.equal(link.code, 1);
  assert.match(link.stderr, /is damaged \(cut short or changed on the way\)/);
  assert.doesNotMatch(link.stderr, /\uFFFD|[\u0000-\u0008]/, 'no mojibake');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(w.root, 'k.pem'), '-out', join(w.root, 'c.pem'), '-subj', '/CN=dev', '-days', '20', '-addext', 'subjectAltName=email:dev@acme.test', '-addext', 'extendedKeyUsage=clientAuth'], { stdio: 'ignore' });
  execFileSync('openssl', ['pkcs12', '-export', '-in', join(w.root, 'c.pem'), '-inkey', join(w.root, 'k.pem'), '-out', join(w.root, 'id.p12'), '-passout', 'pass:'], { stdio: 'ignore' });
  const r = w.cli(['init', '--url', URL, '--name', 'nopass', '--import-p12', join(w.root, 'id.p12'), '--no-settings']);
  assert.equal(r.code, 0, r.stderr);
  // An imported self-signed certificate is not described as issued by a CA.
  const st = w.cli(['status']);
  assert.doesNotMatch(st.stdout + st.stderr, /a CA we do not control/);
});

test('display names are unique: a taken name is refused by edit --name, and switch by a shared old name lists the candidates', () => {
  const w = makeWorld('msgs3');
  assert.equal(w.cli(['init', '--url', URL, '--name', 'one', '--self-signed', '--no-settings']).code, 0);
  assert.equal(w.cli(['init', '--url', 'https://b.acme.test', '--name', 'two', '--self-signed', '--no-settings']).code, 0);
  const taken = w.cli(['edit', '--profile', 'two', '--name', 'one']);
  assert.equal(taken.code, 1);
  assert.match(taken.stderr, /A profile named "one" exists already/);
});
