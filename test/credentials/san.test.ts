import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSan, formatSan, sameSan } from '../../main/credentials/reading';
import { UserError } from '../../main/base/errors';

test('parseSan reads the openssl prefixes, case-insensitively', () => {
  assert.deepEqual(parseSan('DNS:dev.example.com'), { type: 'dns', value: 'dev.example.com' });
  assert.deepEqual(parseSan('dns:Dev.Example.COM'), { type: 'dns', value: 'dev.example.com' });
  assert.deepEqual(parseSan('IP:10.1.2.3'), { type: 'ip', value: '10.1.2.3' });
  assert.deepEqual(parseSan('IP:::1'), { type: 'ip', value: '::1' });
  assert.deepEqual(parseSan('email:me@example.com'), { type: 'email', value: 'me@example.com' });
  assert.deepEqual(parseSan('EMAIL:me@example.com'), { type: 'email', value: 'me@example.com' });
  assert.deepEqual(parseSan('URI:spiffe://corp/dev/me'), { type: 'uri', value: 'spiffe://corp/dev/me' });
  assert.deepEqual(parseSan('URI:urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66'), { type: 'uri', value: 'urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66' });
  assert.deepEqual(parseSan('DNS:*.ws.example.com'), { type: 'dns', value: '*.ws.example.com' });
  assert.deepEqual(parseSan('  DNS:trailing.dot.example.  '), { type: 'dns', value: 'trailing.dot.example' });
});

test('parseSan guesses bare values like mkcert: IP, then email, then URI, else DNS', () => {
  assert.deepEqual(parseSan('192.168.0.1'), { type: 'ip', value: '192.168.0.1' });
  assert.deepEqual(parseSan('fe80::1'), { type: 'ip', value: 'fe80::1' });
  assert.deepEqual(parseSan('dead::beef'), { type: 'ip', value: 'dead::beef' });
  assert.deepEqual(parseSan('me@example.com'), { type: 'email', value: 'me@example.com' });
  assert.deepEqual(parseSan('https://coder.example.com/u/me'), { type: 'uri', value: 'https://coder.example.com/u/me' });
  assert.deepEqual(parseSan('spiffe://corp/me'), { type: 'uri', value: 'spiffe://corp/me' });
  assert.deepEqual(parseSan('localhost'), { type: 'dns', value: 'localhost' });
  assert.deepEqual(parseSan('my_host.corp'), { type: 'dns', value: 'my_host.corp' });
  // IDNs become punycode, as certificates carry them.
  assert.deepEqual(parseSan('bücher.example'), { type: 'dns', value: 'xn--bcher-kva.example' });
});

test('parseSan refuses junk with SAN_INVALID naming the value', () => {
  const junk = [
    '', '   ', 'DNS:', 'IP:', 'IP:300.1.1.1', 'IP:example.com', 'email:nobody', 'email:@example.com', 'email:a@',
    'URI:not a uri', 'URI:noscheme', 'host name', 'exa mple.com', '-bad.example', 'bad-.example', 'a..b',
    'localhost:8080', 'RID:1.2.3', 'x\ny', '*', 'a.*.example', 'a'.repeat(64) + '.example', 'x'.repeat(254),
  ];
  for (const text of junk) {
    assert.throws(
      () => parseSan(text),
      (e: unknown) => e instanceof UserError && e.code === 'SAN_INVALID' && /Subject alternative name/.test(e.message) && !!e.fix,
      `expected SAN_INVALID for ${JSON.stringify(text)}`,
    );
  }
  assert.throws(() => parseSan('IP:300.1.1.1'), /"300\.1\.1\.1" is not an IPv4 or IPv6 address/);
});

test('formatSan uses openssl spelling and round-trips through parseSan', () => {
  const inputs = ['DNS:a.example', 'IP:10.0.0.1', 'IP:2001:db8::1', 'email:x@y.example', 'URI:spiffe://t/u'];
  for (const text of inputs) {
    assert.equal(formatSan(parseSan(text)), text);
    assert.deepEqual(parseSan(formatSan(parseSan(text))), parseSan(text));
  }
});

test('sameSan compares DNS case-insensitively and IPs by address', () => {
  assert.ok(sameSan({ type: 'dns', value: 'A.example' }, { type: 'dns', value: 'a.example' }));
  assert.ok(sameSan({ type: 'ip', value: '::1' }, { type: 'ip', value: '0:0:0:0:0:0:0:1' }));
  assert.ok(sameSan({ type: 'ip', value: '::ffff:1.2.3.4' }, { type: 'ip', value: '0:0:0:0:0:ffff:102:304' }));
  assert.ok(!sameSan({ type: 'ip', value: '10.0.0.1' }, { type: 'ip', value: '10.0.0.2' }));
  assert.ok(!sameSan({ type: 'dns', value: 'a' }, { type: 'email', value: 'a' }));
});
