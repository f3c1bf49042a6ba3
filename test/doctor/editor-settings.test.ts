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
  // The settings layer's drift sentences (settings/drift.ts), as status and the drift watch word them.
  assert.match(r.detail, /coder\.tlsCertFile in cursor holds 42, not a text value; it should name mtls-tray's file \(\/d\/client\.crt\)/);
  assert.match(r.detail, /coder\.tlsCaFile in cursor points at \/old\/ca\.crt; mtls-tray leaves it unset \(the profile has no CA bundle/);
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

test('a managed editor names its drift with the editor\'s name ("now points at")', () => {
  const r = checkEditorSettings(
    { id: 'cursor', name: 'Cursor', managed: true, settingsPath: '/c.json', values: { 'coder.tlsCertFile': '/x/client.crt', 'coder.tlsKeyFile': '/d/client.key' } },
    { 'coder.tlsCertFile': '/d/client.crt', 'coder.tlsKeyFile': '/d/client.key' },
    ctx,
  );
  assert.equal(r.status, 'fail');
  assert.equal(r.detail, "/c.json: coder.tlsCertFile in Cursor now points at /x/client.crt, not at mtls-tray's file (/d/client.crt)");
  assert.equal(r.fix, 'run mtls-tray settings apply --editor cursor (one write of all keys)');
});
