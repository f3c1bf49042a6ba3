import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { kit, readText } from './kit';

test('preview writes nothing; apply writes once, is remembered, and remove restores the file', async () => {
  const k = kit();
  const original = '{\n  // mine\n  "editor.fontSize": 14,\n}\n';
  writeFileSync(k.codeSettings, original);
  const preview = await k.svc.previewSettings({ editors: ['code'], hasCaBundle: false, proxyConsent: false });
  assert.deepEqual(preview.map((p) => [p.editor, p.changed, p.wrote]), [['code', true, false]]);
  assert.equal(readText(k.codeSettings), original);
  await k.svc.init({ url: 'https://coder.example.com', name: 'acme', identity: { kind: 'self-signed' }, noSettings: true });
  // A portable install named by path, next to the discovered editor.
  const portable = join(k.home, 'portable', 'User', 'settings.json');
  mkdirSync(join(k.home, 'portable', 'User'), { recursive: true });
  const applied = await k.svc.applySettings({ settingsFiles: [portable] });
  assert.deepEqual(applied.map((a) => [a.editor, a.wrote]), [['custom', true]]);
  const all = await k.svc.applySettings({});
  assert.deepEqual(all.map((a) => [a.path, a.wrote]), [[k.codeSettings, true], [portable, false]], 'installed editors plus the remembered file');
  const editors = await k.svc.detectEditors();
  assert.deepEqual(editors.filter((e) => e.configured).map((e) => e.settingsPath), [k.codeSettings, portable]);
  const shown = await k.svc.showSettings({ editors: ['code'] });
  assert.equal(shown[0]!.values['coder.tlsCertFile'], (await k.svc.status())!.files.cert);
  await k.svc.removeSettings({});
  assert.equal(readText(k.codeSettings), original);
});
