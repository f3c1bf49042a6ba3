// tier: integration
// issue 16 item 10: keys Go's TLS or gateways refuse, and weak signatures, are warned about at
// import (text and JSON); explicit-parameter EC keys are diagnosed; a UTF-16 PEM with a BOM
// is read; shared-profile errors (3,000 SANs, 1e400) carry a fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeWorld, type World } from '../cli/cli-harness';

function identity(w: World, name: string, newkey: string[], extra: string[] = []): [string, string] {
  const cert = join(w.root, `${name}.crt`);
  const key = join(w.root, `${name}.key`);
  execFileSync('openssl', ['req', '-x509', ...newkey, '-nodes', '-keyout', key, '-out', cert, '-subj', `/CN=${name}`, '-days', '5', '-addext', 'subjectAltName=email:dev@acme.test', ...extra], { stdio: 'ignore' });
  return [cert, key];
}

test('unsupported and weak keys and weak signatures are warned about at import', () => {
  const w = makeWorld('keys');
  execFileSync('openssl', ['genpkey', '-genparam', '-algorithm', 'DSA', '-pkeyopt', 'dsa_paramgen_bits:1024', '-out', join(w.root, 'dsa.params')], { stdio: 'ignore' });
  execFileSync('openssl', ['ecparam', '-name', 'prime256v1', '-param_enc', 'explicit', '-genkey', '-noout', '-out', join(w.root, 'explicit.key')], { stdio: 'ignore' });
  execFileSync('openssl', ['req', '-x509', '-new', '-key', join(w.root, 'explicit.key'), '-out', join(w.root, 'explicit.crt'), '-subj', '/CN=explicit', '-days', '5', '-addext', 'subjectAltName=email:dev@acme.test'], { stdio: 'ignore' });
  const cases: Array<[string, [string, string], RegExp]> = [
    ['secp256k1', identity(w, 'k1', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:secp256k1']), /UNSUPPORTED_KEY: .*secp256k1/],
    ['ed448', identity(w, 'ed448', ['-newkey', 'ed448']), /UNSUPPORTED_KEY: .*Ed448/],
    ['dsa', identity(w, 'dsa', ['-newkey', `dsa:${join(w.root, 'dsa.params')}`]), /UNSUPPORTED_KEY: .*DSA/],
    ['rsa1024', identity(w, 'rsa1024', ['-newkey', 'rsa:1024']), /WEAK_KEY: .*1024 bits.*fix: Ask your CA/i],
    ['sha1', identity(w, 'sha1', ['-newkey', 'rsa:2048', '-sha1']), /WEAK_SIGNATURE: .*sha1/],
    ['explicit', [join(w.root, 'explicit.crt'), join(w.root, 'explicit.key')], /UNSUPPORTED_KEY: .*explicit curve parameters.*-param_enc named_curve/],
  ];
  for (const [name, [cert, key], want] of cases) {
    const r = w.cli(['init', '--url', 'https://coder.acme.test', '--name', name, '--import-pem', cert, key, '--no-settings']);
    assert.equal(r.code, 0, `${name}: ${r.stderr}`);
    assert.match(r.stdout.replace(/\n\s*/g, ' '), want, name);
  }
  const [c, k] = identity(w, 'k1json', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:secp256k1']);
  const json = w.json(['init', '--url', 'https://coder.acme.test', '--name', 'k1json', '--import-pem', c, k, '--no-settings']);
  assert.equal(json.warnings[0].code, 'UNSUPPORTED_KEY');
  // An ordinary key says nothing.
  const [oc, ok] = identity(w, 'p256', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256']);
  assert.doesNotMatch(w.cli(['init', '--url', 'https://coder.acme.test', '--name', 'p256', '--import-pem', oc, ok, '--no-settings']).stdout, /UNSUPPORTED|WEAK/);
});

test('a UTF-16 PEM with a BOM (PowerShell 5 redirection) is read as PEM', () => {
  const w = makeWorld('utf16');
  const [cert, key] = identity(w, 'u16', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256']);
  const utf16 = join(w.root, 'u16-utf16.crt');
  writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(readFileSync(cert, 'utf8'), 'utf16le')]));
  const r = w.cli(['init', '--url', 'https://coder.acme.test', '--name', 'u16', '--import-pem', utf16, key, '--no-settings']);
  assert.equal(r.code, 0, r.stderr);
});

test('shared-profile refusals carry a fix: 3,000 SANs, a 1e400 value', () => {
  const w = makeWorld('shape');
  const base = { format: 'mtls-tray-profile', version: 1, name: 'Acme', url: 'https://coder.acme.test', identity: 'self-signed', keyAlgorithm: 'ecdsa-p256', validityDays: 30, sanTemplate: ['email:{user}@acme.test'], headers: [] };
  const file = join(w.root, 'p.mtlsprofile');
  writeFileSync(file, JSON.stringify({ ...base, sanTemplate: Array.from({ length: 3000 }, (_, i) => `DNS:h${i}.acme.test`) }));
  let r = w.cli(['--json', 'import', file, '--yes']);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  let err = JSON.parse(r.stderr).error;
  assert.match(err.message, /"sanTemplate" has 3000 entries/);
  assert.match(err.fix, /Correct "sanTemplate" in the profile file/);
  writeFileSync(file, JSON.stringify(base).replace('"validityDays":30', '"validityDays":1e400'));
  r = w.cli(['--json', 'import', file, '--yes']);
  err = JSON.parse(r.stderr).error;
  assert.match(err.message, /"validityDays" is a number too large to use/);
  assert.doesNotMatch(err.message, /must be a number, not a number/);
  assert.match(err.fix, /ordinary number/);
});
