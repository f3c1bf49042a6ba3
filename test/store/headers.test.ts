import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { renderHeadersFile, validateHeaders } from '../../main/store';
import { parseHeaderCommandOutput } from '../../main/base/header-output';
import { isUserErr, parseLikeExtension, selfSigned, tempDir } from './helpers';

test('validateHeaders accepts tokens, printable values, empty values and known placeholders', () => {
  validateHeaders([]);
  validateHeaders([
    { name: "X-Weird!#$%&'*+.^_`|~-1", value: '' },
    { name: 'Authorization', value: 'Bearer abc=def==' },
    { name: 'X-Cert', value: 'sha256={{cert.sha256}};serial={{cert.serial}};until={{cert.notAfter}};from={{cert.notBefore}};pin={{cert.spki.sha256}}' },
  ]);
});

test('validateHeaders refuses, naming the header, anything the header command could not print as one line', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['', 'v', /#2 has no name/],
    ['X Y', 'v', /"X Y".*whitespace/],
    ['X=Y', 'v', /"X=Y".*"="/],
    ['X:Y', 'v', /"X:Y".*":"/],
    ['Ünï', 'v', /"Ünï"/],
    ['X-A', 'line1\nline2', /"X-A".*line break/],
    ['X-A', 'a\rb', /"X-A".*line break/],
    ['X-A', 'a\0b', /"X-A".*NUL/],
    ['X-A', 'a\tb', /"X-A".*U\+0009/],
    ['X-A', 'a\x1bb', /"X-A".*U\+001B/],
    ['X-A', 'a\x7fb', /"X-A".*U\+007F/],
    ['X-A', 'café', /"X-A".*non-ASCII/],
    ['X-A', '{{cert.md5}}', /"X-A".*unknown placeholder \{\{cert\.md5\}\}/],
    ['X-A', '{{ cert.sha256 }}', /unknown placeholder/],
    ['X-A', 'x {{cert.sha256', /unfinished placeholder/],
    ['Host', 'evil', /"Host".*HTTP client/],
    ['content-length', '1', /HTTP client/],
  ];
  for (const [name, value, re] of cases) {
    assert.throws(() => validateHeaders([{ name: 'Ok', value: 'fine' }, { name, value }]), isUserErr('HEADER_INVALID', re), `${JSON.stringify(name)}=${JSON.stringify(value)}`);
  }
  assert.throws(() => validateHeaders([{ name: 'X-A', value: '1' }, { name: 'x-a', value: '2' }]), isUserErr('HEADER_INVALID', /"x-a" is given twice/));
  assert.throws(() => validateHeaders([{ name: 'X-A', value: 'a'.repeat(8193) }]), isUserErr('HEADER_INVALID', /8193 characters/));
  assert.throws(() => validateHeaders([{ name: 'X-A' } as never]), isUserErr('HEADER_INVALID', /no value/));
});

test('renderHeadersFile fills placeholders from the certificate, checked against openssl', async () => {
  const dir = tempDir();
  const { cert } = await selfSigned(10);
  const certPath = join(dir, 'c.pem');
  writeFileSync(certPath, cert);
  const ossl = (...args: string[]) => spawnSync('openssl', args, { encoding: 'utf8' }).stdout.trim();
  const fp = ossl('x509', '-in', certPath, '-noout', '-fingerprint', '-sha256').split('=')[1]!.replace(/:/g, '').toLowerCase();
  const serial = ossl('x509', '-in', certPath, '-noout', '-serial').split('=')[1]!.toLowerCase();
  const endDate = new Date(ossl('x509', '-in', certPath, '-noout', '-enddate').split('=')[1]!).toISOString().replace('.000', '');
  const spkiDer = spawnSync('sh', ['-c', `openssl x509 -in '${certPath}' -noout -pubkey | openssl pkey -pubin -outform DER | openssl dgst -sha256 -r`], { encoding: 'utf8' }).stdout.split(' ')[0];

  const text = renderHeadersFile([
    { name: 'X-Fp', value: '{{cert.sha256}}' },
    { name: 'X-Pin', value: '{{cert.spki.sha256}}' },
    { name: 'X-Meta', value: 'serial={{cert.serial}} until={{cert.notAfter}}' },
    { name: 'X-Shell', value: "$(touch /tmp/pwned) `id` 'q' \"d\" \\" },
    { name: 'X-Empty', value: '' },
  ], cert);
  assert.equal(text, [
    `X-Fp=${fp}`,
    `X-Pin=${spkiDer}`,
    `X-Meta=serial=${serial} until=${endDate}`,
    "X-Shell=$(touch /tmp/pwned) `id` 'q' \"d\" \\",
    'X-Empty=',
    '',
  ].join('\n'));
  // The extension reads it back to the same values.
  assert.deepEqual(parseLikeExtension(text), { 'X-Fp': fp, 'X-Pin': spkiDer, 'X-Meta': `serial=${serial} until=${endDate}`, 'X-Shell': "$(touch /tmp/pwned) `id` 'q' \"d\" \\", 'X-Empty': '' });
  assert.equal(renderHeadersFile([], cert), '');
  assert.throws(() => renderHeadersFile([{ name: 'Bad Name', value: '' }], cert), isUserErr('HEADER_INVALID'));
});

test('the one header-output parser reads what the extension reads: empty = none, one newline stripped, strict lines', () => {
  const cases = ['', 'a=b', 'a=b\n', 'a=b\r\n', 'a=\nb=c=d\n', 'a=b\n\n', '\n', 'a', '=b', 'a b=c', 'a=b\nc'];
  for (const out of cases) {
    let ours: unknown;
    let theirs: unknown;
    const r = parseHeaderCommandOutput(out);
    ours = r.ok ? r.headers : 'error';
    try { theirs = parseLikeExtension(out); } catch { theirs = 'error'; }
    assert.deepEqual(ours, theirs, JSON.stringify(out));
  }
  assert.deepEqual(parseHeaderCommandOutput('a=\nb=c=d\n'), { ok: true, headers: { a: '', b: 'c=d' } });
  assert.equal(parseHeaderCommandOutput('a=b\n\n').ok, false);
});
