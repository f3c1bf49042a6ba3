// coder.headerCommand only while the active profile has headers (DESIGN §3), the reload it
// costs named on every write, settings.json that cannot be parsed reported as such, and
// CODER_HEADER_COMMAND named when it would take over.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'jsonc-parser';
import { formatSettingsResults, formatStatus } from '../../main/cli/format';
import { kit } from './kit';

const settingsOf = (file: string) => parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

test('switching between a profile without and one with headers: the key appears and goes, one write each, the reload named', async () => {
  const k = kit();
  const plain = await k.svc.init({ url: 'https://coder.example.com', name: 'plain', identity: { kind: 'self-signed' } });
  assert.equal(plain.settings.length, 1);
  assert.equal(settingsOf(k.codeSettings)['coder.headerCommand'], undefined, 'no headers: no process per request');
  assert.ok(settingsOf(k.codeSettings)['coder.tlsCertRefreshCommand']);
  assert.deepEqual(plain.settings[0]!.reloadKeys, []);
  const status = (await k.svc.status('plain'))!;
  assert.equal(status.editors.find((e) => e.id === 'code')!.configured, true);

  await k.svc.init({ url: 'https://coder.example.com', name: 'team', identity: { kind: 'self-signed' }, headers: [{ name: 'X-Team', value: 'blue' }], noSettings: true });
  const toTeam = await k.svc.switchProfile('team');
  assert.deepEqual(toTeam.settings.map((s) => [s.wrote, s.keys, s.reloadKeys]), [[true, ['coder.headerCommand'], ['coder.headerCommand']]]);
  assert.equal(settingsOf(k.codeSettings)['coder.headerCommand'], (await k.svc.status('team'))!.settingsValues['coder.headerCommand']);
  assert.match(String(settingsOf(k.codeSettings)['coder.headerCommand']), /coder-header-command'?$/);
  const text = formatSettingsResults(toTeam.settings, false);
  assert.match(text, /changed coder\.headerCommand/);
  assert.match(text, /note: Open remote windows of the Coder extension will ask once to reload, because coder\.headerCommand \(unset → ".*coder-header-command'?"\) changes/);
  console.log(`switch plain → team:\n${text}`);

  const back = await k.svc.switchProfile('plain');
  assert.deepEqual(back.settings.map((s) => [s.wrote, s.reloadKeys]), [[true, ['coder.headerCommand']]]);
  assert.equal(settingsOf(k.codeSettings)['coder.headerCommand'], undefined);
  assert.match(back.settings[0]!.notices[0]!, /coder\.headerCommand \(".*" → unset\) changes/);
  console.log(`switch team → plain:\n${formatSettingsResults(back.settings, false)}`);
  // The script stays installed.
  assert.ok(readFileSync(status.files.headerCommand, 'utf8').length > 0);

  // settings apply with consent: http.proxySupport is named as a reload too.
  const consent = await k.svc.applySettings({ proxyConsent: true });
  assert.deepEqual(consent[0]!.reloadKeys, ['http.proxySupport']);
  console.log(`settings apply (proxy consent):\n${formatSettingsResults(consent, false)}`);
  const removed = await k.svc.removeSettings({});
  assert.deepEqual(removed[0]!.reloadKeys, ['http.proxySupport']);
  console.log(`settings remove:\n${formatSettingsResults(removed, false)}`);
});

test('a settings.json that does not parse: status and doctor say "cannot read settings.json: line:col" with the fix, never "not configured"', async () => {
  const k = kit();
  await k.svc.init({ url: 'https://127.0.0.1:9', name: 'acme', identity: { kind: 'self-signed' } });
  writeFileSync(k.codeSettings, '{\n  "coder.tlsCertFile": "x",\n  oops\n}\n');
  const status = (await k.svc.status())!;
  const code = status.editors.find((e) => e.id === 'code')!;
  assert.match(code.error!.message, /^cannot read settings\.json: .*settings\.json:3:3: /);
  assert.match(code.error!.fix!, /fix the error at line 3, column 3/);
  const text = formatStatus(status);
  assert.match(text, /cannot read settings\.json: .*:3:3/);
  assert.doesNotMatch(text, /not configured/);
  const report = await k.svc.doctor();
  const check = report.checks.find((c) => c.id === 'editor-settings:code')!;
  assert.equal(check.status, 'fail');
  assert.match(check.detail, /^cannot read settings\.json: .*:3:3/);
  assert.doesNotMatch(JSON.stringify(report.checks), /is not set/);
});

test('settings remove names CODER_HEADER_COMMAND when it is set in the environment', async () => {
  const k = kit({ env: { CODER_HEADER_COMMAND: '/opt/old/print-headers' } });
  await k.svc.init({ url: 'https://coder.example.com', name: 'acme', identity: { kind: 'self-signed' }, headers: [{ name: 'X-Team', value: 'blue' }] });
  const removed = await k.svc.removeSettings({});
  assert.ok(removed[0]!.notices.some((n) => n.startsWith('CODER_HEADER_COMMAND is set in this environment ("/opt/old/print-headers")') && n.includes('unset CODER_HEADER_COMMAND')), removed[0]!.notices.join('\n'));
  const quiet = kit();
  await quiet.svc.init({ url: 'https://coder.example.com', name: 'acme', identity: { kind: 'self-signed' } });
  assert.equal((await quiet.svc.removeSettings({}))[0]!.notices.some((n) => n.includes('CODER_HEADER_COMMAND')), false);
});
