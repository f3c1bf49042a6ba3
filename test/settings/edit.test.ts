// Exact text produced by the edit engine for the cases where "where does the line go" matters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeSettingsUpdate, targetsForApply } from '../../main/settings/settings-update';
import type { DesiredCoderSettings } from '../../main/settings/owned-keys';

function apply(text: string, desired: DesiredCoderSettings, consent = false, platform: NodeJS.Platform = 'linux'): string {
  return computeSettingsUpdate(text, 'settings.json', platform, (root) => targetsForApply(root, desired, consent)).body;
}

const CERT = { 'coder.tlsCertFile': '/d/client.crt' };

test('new keys go after the opening brace line, so the user’s last line and its comment stay as they were', () => {
  assert.equal(
    apply('{\n    "a": 1,\n    "b": 2 // note b\n}\n', { ...CERT, 'coder.tlsKeyFile': '/d/client.key' }),
    '{\n    "coder.tlsCertFile": "/d/client.crt",\n    "coder.tlsKeyFile": "/d/client.key",\n    "a": 1,\n    "b": 2 // note b\n}\n',
  );
});

test('new keys join our keys already present, in our order', () => {
  assert.equal(
    apply('{\n  "x": true,\n  "coder.tlsCertFile": "/old.crt", // mine\n  "y": false\n}', { ...CERT, 'coder.headerCommand': '/d/h', 'coder.tlsKeyFile': '/d/k' }),
    '{\n  "x": true,\n  "coder.tlsCertFile": "/d/client.crt", // mine\n  "coder.tlsKeyFile": "/d/k",\n  "coder.headerCommand": "/d/h",\n  "y": false\n}',
  );
  // Our key last without a comma: it gains one; nothing else changes.
  assert.equal(
    apply('{\n\t"x": 1,\n\t"coder.tlsCertFile": "/old.crt"\n}', { ...CERT, 'coder.tlsKeyFile': '/d/k' }),
    '{\n\t"x": 1,\n\t"coder.tlsCertFile": "/d/client.crt",\n\t"coder.tlsKeyFile": "/d/k"\n}',
  );
  // ...and with a trailing comma, the file's trailing-comma style is kept.
  assert.equal(
    apply('{\n\t"x": 1,\n\t"coder.tlsCertFile": "/old.crt",\n}', { ...CERT, 'coder.tlsKeyFile': '/d/k' }),
    '{\n\t"x": 1,\n\t"coder.tlsCertFile": "/d/client.crt",\n\t"coder.tlsKeyFile": "/d/k",\n}',
  );
});

test('a removed key takes its line and its own comment; a removed last key takes the comma before it', () => {
  assert.equal(
    apply('{\n    "a": 1,\n    "coder.tlsCaFile": "/ca.pem", // old CA\n    "b": 2\n}\n', { 'coder.tlsCaFile': undefined }),
    '{\n    "a": 1,\n    "b": 2\n}\n',
  );
  assert.equal(
    apply('{\r\n    "a": 1, // keep me\r\n    "coder.tlsCaFile": "/ca.pem"\r\n}\r\n', { 'coder.tlsCaFile': null }),
    '{\r\n    "a": 1 // keep me\r\n}\r\n',
  );
  assert.equal(apply('{ "a": 1, "coder.tlsCaFile": "/ca.pem" }', { 'coder.tlsCaFile': undefined }), '{ "a": 1 }');
  assert.equal(apply('{\n  "coder.tlsCaFile": "/ca.pem"\n}', { 'coder.tlsCaFile': undefined }), '{\n}');
});

test('a repeated key: every occurrence is set (VS Code reads the last, jsonc-parser modify would edit the first)', () => {
  assert.equal(
    apply('{\n  "coder.tlsCertFile": "/one",\n  "z": 0,\n  "coder.tlsCertFile": "/two"\n}', CERT),
    '{\n  "coder.tlsCertFile": "/d/client.crt",\n  "z": 0,\n  "coder.tlsCertFile": "/d/client.crt"\n}',
  );
  assert.equal(apply('{\n  "coder.tlsCaFile": "/one",\n  "z": 0,\n  "coder.tlsCaFile": "/two"\n}', { 'coder.tlsCaFile': undefined }), '{\n  "z": 0\n}');
});

test('keys in [language] blocks and keys the caller does not list are never touched', () => {
  const text = '{\n  "[go]": { "coder.tlsCertFile": "/inner" },\n  "coder.tlsAltHost": "keep.me"\n}';
  const out = apply(text, CERT);
  assert.ok(out.includes('"[go]": { "coder.tlsCertFile": "/inner" }'));
  assert.ok(out.includes('"coder.tlsAltHost": "keep.me"'));
});

test('http.proxySupport: set to "on" with consent when unset, override or fallback; on/off never touched', () => {
  assert.match(apply('{\n  "a": 1\n}', CERT, true), /"http\.proxySupport": "on"/);
  assert.equal(apply('{\n  "http.proxySupport": "override"\n}', {}, true), '{\n  "http.proxySupport": "on"\n}');
  assert.equal(apply('{\n  "http.proxySupport": "fallback"\n}', {}, true), '{\n  "http.proxySupport": "on"\n}');
  assert.equal(apply('{\n  "http.proxySupport": "off"\n}', {}, true), '{\n  "http.proxySupport": "off"\n}');
  assert.equal(apply('{\n  "http.proxySupport": "override"\n}', {}, false), '{\n  "http.proxySupport": "override"\n}');
});

test('values: strings are JSON-escaped; nothing changes when the values are already there', () => {
  const odd = { 'coder.headerCommand': "'/home/o\"brien/bin/h' --x \\ y" };
  const out = apply('{}', odd);
  assert.equal(JSON.parse(out)['coder.headerCommand'], odd['coder.headerCommand']);
  const same = '{\n  "coder.tlsCertFile": "/d/client.crt" // already\n}';
  assert.equal(apply(same, CERT), same);
});
