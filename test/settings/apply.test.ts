// apply/remove behaviour on real files: the editor saving while we work, giving up cleanly,
// editors that are not installed, proxy consent and warnings, notices, backups and the rules
// of remove, encodings we refuse, leftovers of a killed run, readCoderSettings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applySettingsFile, removeSettingsFile } from '../../main/settings/apply-settings';
import type { EditorTarget } from '../../main/settings/editor-discovery';
import { describeEditor, readCoderSettings } from '../../main/settings/read-coder-settings';
import { FULL_DESIRED, NO_CA_DESIRED, fileTarget, parseErrors, settingsObject, tempDir } from './settings-test-kit';

function setup(t: { after: (fn: () => void) => void }, text: string | Buffer | null, id: EditorTarget['id'] = 'code') {
  const dir = tempDir(t, 'apply');
  mkdirSync(join(dir, 'Code', 'User'), { recursive: true });
  const file = join(dir, 'Code', 'User', 'settings.json');
  if (text !== null) writeFileSync(file, text);
  const target: EditorTarget = { ...fileTarget(file, id), userDataDir: join(dir, 'Code') };
  return { dir, file, target, backupDir: join(dir, 'data', 'settings-backups') };
}

const USER_TEXT = '{\n    "editor.fontSize": 14,\n    "http.proxySupport": "override"\n}\n';

test('the editor saves between our read and our rename: we start over from its text and keep its change', async (t) => {
  const { file, target, backupDir } = setup(t, USER_TEXT);
  let saves = 0;
  const res = await applySettingsFile(target, {
    desired: FULL_DESIRED,
    backupDir,
    hooks: {
      beforeReplace: () => {
        if (saves++ === 0) writeFileSync(file, USER_TEXT.replace('14', '18'));
      },
    },
  });
  assert.equal(res.attempts, 2);
  assert.equal(res.wrote, true);
  const obj = settingsObject(readFileSync(file, 'utf8'));
  assert.equal(obj['editor.fontSize'], 18, "the editor's save is not lost");
  assert.equal(obj['coder.tlsCertFile'], FULL_DESIRED['coder.tlsCertFile']);
  assert.deepEqual(readdirSync(join(file, '..')), ['settings.json'], 'the abandoned temp file is gone');
});

test('a file that never stops changing: bounded retries, a clear error, and the editor’s last text stays', async (t) => {
  const { file, target, backupDir } = setup(t, USER_TEXT);
  let n = 0;
  await assert.rejects(
    applySettingsFile(target, { desired: FULL_DESIRED, backupDir, maxAttempts: 3, hooks: { beforeReplace: () => writeFileSync(file, USER_TEXT.replace('14', String(20 + n++))) } }),
    (err: Error & { code?: string }) => {
      assert.equal(err.code, 'SETTINGS_BUSY');
      assert.ok(err.message.includes(file) && err.message.includes('3 tries'), err.message);
      return true;
    },
  );
  assert.equal(n, 3);
  assert.equal(readFileSync(file, 'utf8'), USER_TEXT.replace('14', '22'));
  assert.deepEqual(readdirSync(join(file, '..')), ['settings.json']);
  assert.deepEqual(existsSync(backupDir) ? readdirSync(backupDir) : [], [], 'no backup of a write that never happened');
});

test('a later apply that never lands leaves the earlier backup record exactly as it was', async (t) => {
  const { file, target, backupDir } = setup(t, USER_TEXT);
  await applySettingsFile(target, { desired: FULL_DESIRED, backupDir });
  const before = readdirSync(backupDir).map((n) => [n, readFileSync(join(backupDir, n), 'utf8')]);
  await assert.rejects(
    applySettingsFile(target, { desired: NO_CA_DESIRED, backupDir, maxAttempts: 2, hooks: { beforeReplace: () => writeFileSync(file, readFileSync(file, 'utf8') + ' ') } }),
    { code: 'SETTINGS_BUSY' },
  );
  assert.deepEqual(readdirSync(backupDir).map((n) => [n, readFileSync(join(backupDir, n), 'utf8')]), before);
});

test('nothing to set on a missing file: no file is created', async (t) => {
  const { file, target, backupDir } = setup(t, null);
  const res = await applySettingsFile(target, { desired: { 'coder.tlsCaFile': undefined, 'coder.tlsAltHost': null }, backupDir });
  assert.deepEqual([res.changed, res.wrote, res.created], [false, false, false]);
  assert.equal(existsSync(file), false);
  assert.equal(existsSync(backupDir), false);
});

test('an editor that is not installed is refused; an installed one without User/ gets its file', async (t) => {
  const dir = tempDir(t, 'apply');
  const missing: EditorTarget = { id: 'windsurf', name: 'Windsurf', userDataDir: join(dir, 'Windsurf'), settingsPath: join(dir, 'Windsurf', 'User', 'settings.json'), installed: false };
  await assert.rejects(applySettingsFile(missing, { desired: FULL_DESIRED, backupDir: join(dir, 'b') }), { code: 'EDITOR_NOT_INSTALLED' });
  assert.equal(existsSync(join(dir, 'Windsurf')), false, 'no folder created for it');
  const custom: EditorTarget = { ...fileTarget(join(dir, 'nope', 'settings.json')), installed: false };
  await assert.rejects(applySettingsFile(custom, { desired: FULL_DESIRED, backupDir: join(dir, 'b') }), { code: 'SETTINGS_DIR_MISSING' });

  mkdirSync(join(dir, 'Cursor'));
  const fresh: EditorTarget = { id: 'cursor', name: 'Cursor', userDataDir: join(dir, 'Cursor'), settingsPath: join(dir, 'Cursor', 'User', 'settings.json'), installed: true };
  const res = await applySettingsFile(fresh, { desired: NO_CA_DESIRED, backupDir: join(dir, 'b') });
  assert.equal(res.created, true);
  assert.deepEqual(parseErrors(readFileSync(fresh.settingsPath, 'utf8')), []);
});

test('http.proxySupport: warning without consent, "on" with it, and remove puts "override" back', async (t) => {
  const { file, target, backupDir } = setup(t, USER_TEXT);
  const warned = await applySettingsFile(target, { desired: FULL_DESIRED, backupDir, dryRun: true });
  assert.equal(warned.warnings[0]?.code, 'PROXY_SUPPORT_OVERRIDE');
  assert.ok(warned.warnings[0]!.message.includes('"override"') && warned.warnings[0]!.message.includes(file));
  assert.equal(warned.keys.includes('http.proxySupport'), false);

  const res = await applySettingsFile(target, { desired: FULL_DESIRED, backupDir, proxyConsent: true });
  assert.ok(res.keys.includes('http.proxySupport'));
  assert.deepEqual(res.warnings, []);
  assert.equal(settingsObject(readFileSync(file, 'utf8'))['http.proxySupport'], 'on');
  await removeSettingsFile(target, { backupDir });
  assert.equal(readFileSync(file, 'utf8'), USER_TEXT);

  const unset = setup(t, '{}');
  const w = await applySettingsFile(unset.target, { desired: FULL_DESIRED, backupDir: unset.backupDir });
  assert.match(w.warnings[0]!.message, /unset \(VS Code's default is "override"\)/);
  const off = setup(t, '{ "http.proxySupport": "off" }');
  const o = await applySettingsFile(off.target, { desired: FULL_DESIRED, backupDir: off.backupDir, proxyConsent: true });
  assert.deepEqual(o.warnings, []);
  assert.equal(settingsObject(readFileSync(off.file, 'utf8'))['http.proxySupport'], 'off');
});

test('notices: code-server must be reloaded by hand; every write names the keys that make remote windows ask to reload', async (t) => {
  const cs = setup(t, '{}', 'code-server');
  const dry = await applySettingsFile(cs.target, { desired: FULL_DESIRED, backupDir: cs.backupDir, dryRun: true });
  assert.ok(dry.notices.some((n) => n.includes('reload the code-server browser tab')));
  const first = await applySettingsFile(cs.target, { desired: FULL_DESIRED, backupDir: cs.backupDir });
  assert.ok(first.notices.some((n) => n.includes('reload the code-server browser tab')));
  // Unset → set prompts too (the extension compares with the old, empty value).
  assert.deepEqual(first.reloadKeys, ['coder.headerCommand']);
  assert.ok(first.notices.some((n) => /^Open remote windows of the Coder extension will ask once to reload, because coder\.headerCommand \(unset → ".*"\) changes/.test(n)), first.notices.join('\n'));
  const again = await applySettingsFile(cs.target, { desired: FULL_DESIRED, backupDir: cs.backupDir });
  assert.deepEqual([again.notices, again.reloadKeys], [[], []], 'nothing written, nothing to reload');
  const changed = await applySettingsFile(cs.target, { desired: { ...FULL_DESIRED, 'coder.headerCommand': '/new/h' }, backupDir: cs.backupDir });
  assert.ok(changed.notices.some((n) => n.includes('coder.headerCommand (') && n.includes('→ "/new/h")')));
  // Set → unset (the profile lost its last header), and http.proxySupport with consent: both named in one notice.
  const gone = await applySettingsFile(cs.target, { desired: { ...FULL_DESIRED, 'coder.headerCommand': undefined }, proxyConsent: true, backupDir: cs.backupDir });
  assert.deepEqual(gone.reloadKeys, ['coder.headerCommand', 'http.proxySupport']);
  assert.ok(gone.notices.some((n) => n.includes('coder.headerCommand ("/new/h" → unset) and http.proxySupport (unset → "on") change')), gone.notices.join('\n'));
  // Changes of coder.tls* prompt nothing.
  const tls = await applySettingsFile(cs.target, { desired: { ...FULL_DESIRED, 'coder.headerCommand': undefined, 'coder.tlsAltHost': 'alt.example' }, backupDir: cs.backupDir });
  assert.deepEqual(tls.reloadKeys, []);
  assert.equal(tls.notices.some((n) => n.includes('reload once')), false);
  // remove names what it puts back.
  const removed = await removeSettingsFile(cs.target, { backupDir: cs.backupDir });
  assert.deepEqual(removed.reloadKeys, ['http.proxySupport']);
});

test('backup: the original bytes and previous values are kept at the first write only, privately', async (t) => {
  const original = '{\n  "coder.tlsAltHost": "user.host", // theirs\n  "a": 1\n}\n';
  const { dir, file, target, backupDir } = setup(t, original);
  await applySettingsFile(target, { desired: FULL_DESIRED, backupDir, now: () => new Date('2025-01-02T03:04:05Z') });
  await applySettingsFile(target, { desired: { ...FULL_DESIRED, 'coder.tlsAltHost': 'second.host' }, backupDir });
  const names = readdirSync(backupDir).sort();
  assert.equal(names.length, 2);
  const rec = JSON.parse(readFileSync(join(backupDir, names.find((n) => n.endsWith('.json'))!), 'utf8'));
  assert.equal(readFileSync(join(backupDir, names.find((n) => n.endsWith('.original'))!), 'utf8'), original);
  assert.equal(rec.createdAt, '2025-01-02T03:04:05.000Z');
  assert.equal(rec.settingsPath, file);
  assert.deepEqual(rec.previous['coder.tlsAltHost'], { present: true, value: 'user.host' }, 'the value before mtls-tray, not our first one');
  assert.deepEqual(rec.previous['coder.tlsCertFile'], { present: false });
  assert.deepEqual(rec.applied['coder.tlsAltHost'], { present: true, value: 'second.host' });
  assert.equal(statSync(backupDir).mode & 0o777, 0o700);
  for (const n of names) assert.equal(statSync(join(backupDir, n)).mode & 0o777, 0o600);
  await removeSettingsFile(target, { backupDir });
  assert.equal(readFileSync(file, 'utf8'), original);
  assert.equal(readdirSync(backupDir).some((n) => n.endsWith('.json')), false, 'the record goes once undone');
  assert.ok(dir);
});

test('remove leaves alone what the user changed after us, restores the rest in one write', async (t) => {
  const original = '{\n  "coder.tlsCaFile": "/theirs/ca.pem",\n  "a": 1\n}\n';
  const { file, target, backupDir } = setup(t, original);
  await applySettingsFile(target, { desired: FULL_DESIRED, backupDir });
  const edited = readFileSync(file, 'utf8').replace(JSON.stringify(FULL_DESIRED['coder.tlsAltHost']), '"hand.edited"');
  writeFileSync(file, edited);
  const ino = statSync(file).ino;
  const res = await removeSettingsFile(target, { backupDir });
  assert.equal(res.wrote, true);
  assert.notEqual(statSync(file).ino, ino);
  assert.ok(res.notices.some((n) => n.startsWith('coder.tlsAltHost was changed after mtls-tray set it')));
  const obj = settingsObject(readFileSync(file, 'utf8'));
  assert.deepEqual(obj, { 'coder.tlsCaFile': '/theirs/ca.pem', a: 1, 'coder.tlsAltHost': 'hand.edited' });

  const second = await removeSettingsFile(target, { backupDir });
  assert.equal(second.wrote, false);
  assert.ok(second.notices.some((n) => n.includes('no record')));
});

test('remove without a record clears only keys that still hold our values', async (t) => {
  const text = JSON.stringify({ 'coder.tlsCertFile': FULL_DESIRED['coder.tlsCertFile'], 'coder.tlsKeyFile': '/someone/else.key', b: true }, null, 2);
  const { file, target, backupDir } = setup(t, text);
  const res = await removeSettingsFile(target, { backupDir, ownedValues: FULL_DESIRED });
  assert.deepEqual(res.keys, ['coder.tlsCertFile']);
  assert.deepEqual(settingsObject(readFileSync(file, 'utf8')), { 'coder.tlsKeyFile': '/someone/else.key', b: true });
});

test('files we must not rewrite: UTF-16, invalid UTF-8', async (t) => {
  for (const bytes of [Buffer.from('\ufeff{"a":1}', 'utf16le'), Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d])]) {
    const { file, target, backupDir } = setup(t, bytes);
    await assert.rejects(applySettingsFile(target, { desired: FULL_DESIRED, backupDir }), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'SETTINGS_NOT_UTF8');
      assert.ok(err.message.includes(file));
      return true;
    });
    assert.deepEqual(readFileSync(file), bytes);
  }
});

test('temp files of a killed run are cleaned up; those of a live process are not', async (t) => {
  const { file, target, backupDir } = setup(t, USER_TEXT);
  const dead = join(file, '..', '.settings.json.mtls-tray-2147483646-deadbeef.tmp');
  const live = join(file, '..', `.settings.json.mtls-tray-${process.ppid}-cafebabe.tmp`);
  writeFileSync(dead, 'half');
  writeFileSync(live, 'busy');
  await applySettingsFile(target, { desired: FULL_DESIRED, backupDir });
  assert.equal(existsSync(dead), false);
  assert.equal(existsSync(live), true);
});

test('the owner of the file is kept when root writes it', { skip: process.getuid?.() !== 0 ? 'needs root' : false }, async (t) => {
  const { file, target, backupDir } = setup(t, USER_TEXT);
  chownSync(file, 4321, 4321);
  await applySettingsFile(target, { desired: FULL_DESIRED, backupDir });
  assert.equal(statSync(file).uid, 4321);
  assert.equal(statSync(file).gid, 4321);
});

test('readCoderSettings: what VS Code reads (last duplicate wins), the proxy default, and warnings', async (t) => {
  const { file } = setup(t, '{\n  "coder.tlsCertFile": "/a",\n  "coder.tlsCertFile": "/b", // wins\n  "coder.tlsAltHost": null,\n}');
  const s = await readCoderSettings(file);
  assert.equal(s.exists, true);
  assert.equal(s.values['coder.tlsCertFile'], '/b');
  assert.equal(s.values['coder.tlsAltHost'], null);
  assert.equal(s.values['coder.tlsKeyFile'], undefined);
  assert.equal(s.proxySupport, 'override');
  assert.equal(s.warnings[0]?.code, 'PROXY_SUPPORT_OVERRIDE');
  const none = await readCoderSettings(join(file, '..', 'absent.json'));
  assert.equal(none.exists, false);
  assert.deepEqual(none.warnings, []);
  writeFileSync(file, '{ "a": 1 "b": 2 }');
  await assert.rejects(readCoderSettings(file), { code: 'SETTINGS_INVALID_JSONC' });
});

test('describeEditor: configured or not, what differs, and a broken file reported instead of thrown', async (t) => {
  const { file, target, backupDir } = setup(t, '{ "http.proxySupport": "off" }');
  const pc = { platform: 'linux' as const, env: {}, homedir: '/home/al ice' };
  const before = await describeEditor(target, FULL_DESIRED, pc);
  assert.equal(before.configured, false);
  assert.equal(before.mismatched.length, 6);
  assert.equal(before.proxySupport, 'off');
  await applySettingsFile(target, { desired: FULL_DESIRED, backupDir });
  const after = await describeEditor(target, FULL_DESIRED, pc);
  assert.deepEqual([after.configured, after.mismatched, after.error], [true, [], undefined]);
  const tilde = readFileSync(file, 'utf8').replace('"/home/al ice/.local', '"~/.local');
  writeFileSync(file, tilde);
  assert.equal((await describeEditor(target, FULL_DESIRED, pc)).configured, true, '~ means the same file');
  writeFileSync(file, '{ "a": }');
  const broken = await describeEditor(target, FULL_DESIRED, pc);
  assert.equal(broken.error?.code, 'SETTINGS_INVALID_JSONC');
  assert.equal(broken.configured, false);
});
