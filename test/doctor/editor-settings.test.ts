import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkEditorSettings, checkProxySupport, expandSettingPath } from '../../main/doctor/checks/editor-settings';

const ctx = { homeDir: '/home/ann', env: { DATA: '/srv/data' } };

test('expands like the extension: ${env:VAR}, a leading ~, ${userHome}; unknown variables become empty', () => {
  assert.equal(expandSettingPath('~/x', ctx), '/home/ann/x');
  assert.equal(expandSettingPath('${userHome}/x', ctx), '/home/ann/x');
  assert.equal(expandSettingPath('${env:DATA}/c.crt', ctx), '/srv/data/c.crt');
  assert.equal(expandSettingPath('${env:NOPE}/c.crt', ctx), '/c.crt');
  assert.equal(expandSettingPath('/a/~/b', ctx), '/a/~/b');
});

test('equal after expansion and trimming passes; command keys compare literally', () => {
  const editor = {
    id: 'code', settingsPath: '/s.json',
    values: { 'coder.tlsCertFile': ' ~/d/client.crt ', 'coder.tlsKeyFile': '${env:DATA}/../ann/d/client.key', 'coder.headerCommand': "'/home/ann/d/bin/h'" },
  };
  const r = checkEditorSettings(editor, {
    'coder.tlsCertFile': '/home/ann/d/client.crt',
    'coder.tlsKeyFile': '/srv/ann/d/client.key',
    'coder.headerCommand': "'/home/ann/d/bin/h'",
    'coder.tlsCaFile': undefined,
  }, ctx);
  assert.equal(r.status, 'pass', r.detail);
});

test('a command key is not path-expanded: ~ in a command is the shell\'s business', () => {
  const r = checkEditorSettings(
    { id: 'code', settingsPath: '/s.json', values: { 'coder.headerCommand': '~/bin/h' } },
    { 'coder.headerCommand': '/home/ann/bin/h' },
    ctx,
  );
  assert.equal(r.status, 'fail');
});

test('empty string counts as unset; non-string values and an unwanted CA file are named', () => {
  const r = checkEditorSettings(
    { id: 'cursor', settingsPath: '/c.json', values: { 'coder.tlsCertFile': 42, 'coder.tlsCaFile': '/old/ca.crt', 'coder.tlsAltHost': '' } },
    { 'coder.tlsCertFile': '/d/client.crt', 'coder.tlsCaFile': undefined, 'coder.tlsAltHost': undefined },
    ctx,
  );
  assert.equal(r.status, 'fail');
  assert.equal(r.id, 'editor-settings:cursor');
  assert.match(r.detail, /coder\.tlsCertFile is 42 \(should be "\/d\/client\.crt"\)/);
  assert.match(r.detail, /coder\.tlsCaFile is set to "\/old\/ca\.crt" but the profile has no CA bundle/);
  assert.doesNotMatch(r.detail, /tlsAltHost/);
  assert.deepEqual((r.data?.['mismatches'] as Array<{ key: string }>).map((m) => m.key), ['coder.tlsCertFile', 'coder.tlsCaFile']);
});

test('proxySupport: on/off pass; override, fallback and unset fail with PROXY_SUPPORT_OVERRIDE', () => {
  const at = (v: unknown) => checkProxySupport({ id: 'code', settingsPath: '/s.json', values: v === undefined ? {} : { 'http.proxySupport': v } });
  assert.equal(at('on').status, 'pass');
  assert.equal(at('off').status, 'pass');
  for (const v of ['override', 'fallback', undefined]) {
    const c = at(v);
    assert.equal(c.status, 'fail', String(v));
    assert.equal(c.code, 'PROXY_SUPPORT_OVERRIDE');
  }
});
