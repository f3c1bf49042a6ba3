// The one wording of a drifted coder.* key (issue 17), used by status, doctor and the drift watch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coderSettingsMatch, describeSettingDrift, settingsDrift } from '../../main/settings/drift';

const pc = { platform: 'linux' as const, env: { DATA: '/home/ann/.local/share' }, homedir: '/home/ann' };
const D = '/home/ann/.local/share/mtls-tray';
const ours = {
  'coder.tlsCertFile': `${D}/active/current/client.crt`,
  'coder.tlsKeyFile': `${D}/active/current/client.key`,
  'coder.tlsCaFile': undefined,
  'coder.tlsAltHost': 'coder.internal',
  'coder.headerCommand': `${D}/bin/coder-header-command`,
  'coder.tlsCertRefreshCommand': `${D}/bin/coder-cert-refresh`,
};

test('our values, also spelled with ~, ${env:VAR} or spaces around them, are not drift', () => {
  const same = { ...ours, 'coder.tlsCertFile': '~/.local/share/mtls-tray/active/current/client.crt', 'coder.tlsKeyFile': ' ${env:DATA}/mtls-tray/active/current/client.key ', 'coder.tlsAltHost': 'CODER.internal', 'coder.tlsCaFile': '' };
  assert.deepEqual(settingsDrift(same, ours, pc), []);
  assert.deepEqual(coderSettingsMatch(same, ours, pc), { configured: true, mismatched: [] });
});

test('every kind of drift has its sentence', () => {
  const theirs = {
    'coder.tlsCertFile': '/x/client.crt',
    'coder.tlsCaFile': '/etc/ssl/corp.pem',
    'coder.tlsAltHost': 'other.example.com',
    'coder.headerCommand': 'echo X-Team=infra',
    'coder.tlsCertRefreshCommand': 42,
  };
  const lines = settingsDrift(theirs, ours, pc).map((d) => describeSettingDrift(d, 'Cursor'));
  assert.deepEqual(lines, [
    `coder.tlsCertFile in Cursor now points at /x/client.crt, not at mtls-tray's file (${D}/active/current/client.crt)`,
    `coder.tlsKeyFile in Cursor is no longer set; it should name mtls-tray's file (${D}/active/current/client.key)`,
    'coder.tlsCaFile in Cursor now points at /etc/ssl/corp.pem; mtls-tray leaves it unset (the profile has no CA bundle, and a CA file would replace the default trust)',
    'coder.tlsAltHost in Cursor is now "other.example.com", not the profile\'s server name (coder.internal)',
    `coder.headerCommand in Cursor now runs echo X-Team=infra, not mtls-tray's header script (${D}/bin/coder-header-command)`,
    `coder.tlsCertRefreshCommand in Cursor now holds 42, not a text value; it should name mtls-tray's refresh script (${D}/bin/coder-cert-refresh)`,
  ]);
});

test('an editor mtls-tray never wrote "differs" rather than "now"', () => {
  const [d] = settingsDrift({ 'coder.tlsCertFile': '/x' }, { 'coder.tlsCertFile': '/d/c.crt' }, pc);
  assert.equal(describeSettingDrift(d!, 'VS Code', false), "coder.tlsCertFile in VS Code points at /x, not at mtls-tray's file (/d/c.crt)");
  const [gone] = settingsDrift({}, { 'coder.tlsCertFile': '/d/c.crt' }, pc);
  assert.equal(describeSettingDrift(gone!, 'VS Code', false), "coder.tlsCertFile in VS Code is not set; it should name mtls-tray's file (/d/c.crt)");
});
