/**
 * Drift in `status` and `doctor` (issue 17), text and --json, through the built CLI: a key that
 * something else changed in a managed editor's settings.json ("coder.tlsCertFile in Cursor now
 * points at …, not at mtls-tray's file"), a file under active/current that no longer matches the
 * active generation, an editor whose own values the user kept (not managed, not drift), and
 * `settings apply` as the terminal's way back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { modify, applyEdits } from 'jsonc-parser';
import { createAppService } from '../../main/services/create-app-service';
import { makeWorld, type World } from './cli-harness';

// Nothing listens there: the doctor's network checks fail fast and the local ones still run.
const URL = 'https://127.0.0.1:9';

function setKey(file: string, key: string, value: unknown): void {
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, applyEdits(text, modify(text, [key], value, { formattingOptions: { insertSpaces: true, tabSize: 2 } })));
}

function cursorSettings(w: World): string {
  return join(w.home, '.config', 'Cursor', 'User', 'settings.json');
}

function setup(name: string): World {
  const w = makeWorld(name, { editors: ['Code', 'Cursor'] });
  writeFileSync(cursorSettings(w), '{\n  // my theme\n  "workbench.colorTheme": "Dark+",\n}\n');
  const r = w.cli(['init', '--url', URL, '--self-signed', '--editor', 'cursor']);
  assert.equal(r.code, 0, r.stderr);
  return w;
}

test('a coder.* key changed in a managed editor: status and doctor name it, in text and JSON; settings apply puts it back', () => {
  const w = setup('drift-settings');
  const cert = join(w.dataDir, 'active', 'current', 'client.crt');
  assert.equal(w.cli(['status']).code, 0, 'no drift right after init');
  setKey(cursorSettings(w), 'coder.tlsCertFile', '/x/client.crt');
  const line = `coder.tlsCertFile in Cursor now points at /x/client.crt, not at mtls-tray's file (${cert})`;

  const text = w.cli(['status']);
  assert.equal(text.code, 1, 'drift is an error for scripts');
  assert.match(text.stdout, /Cursor\s+changed outside mtls-tray /);
  assert.ok(text.stdout.includes(`ERROR ${line}`), text.stdout);
  assert.ok(text.stdout.includes('fix: Restore in mtls-tray\'s window, or run `mtls-tray settings apply --editor cursor` (one write)'), text.stdout);
  assert.doesNotMatch(text.stdout, /Code\s+changed outside/, 'VS Code was never managed: not drift');

  const json = w.cli(['--json', 'status']);
  assert.equal(json.code, 1);
  const s = JSON.parse(json.stdout);
  assert.deepEqual(s.drift.map((d: any) => [d.kind, d.source, d.what, d.message]), [['setting', cursorSettings(w), 'coder.tlsCertFile', line]]);
  const cursor = s.editors.find((e: any) => e.id === 'cursor');
  assert.deepEqual([cursor.managed, cursor.keptTheirs, cursor.drift.length], [true, null, 1]);
  assert.deepEqual([s.editors.find((e: any) => e.id === 'code').managed, s.editors.find((e: any) => e.id === 'code').drift], [false, []]);

  const doc = w.cli(['doctor']);
  assert.equal(doc.code, 1);
  assert.ok(doc.stdout.includes(`[FAIL] cursor: coder.* settings point at our files: ${cursorSettings(w)}: ${line}`), doc.stdout);
  assert.match(doc.stdout, /fix: run mtls-tray settings apply --editor cursor/);
  const docJson = JSON.parse(w.cli(['--json', 'doctor']).stdout);
  const check = docJson.checks.find((c: any) => c.id === 'editor-settings:cursor');
  assert.equal(check.status, 'fail');
  assert.equal(check.data.mismatches[0].message, line);
  assert.equal(docJson.checks.find((c: any) => c.id === 'published-files').status, 'pass');

  const apply = w.cli(['settings', 'apply', '--editor', 'cursor']);
  assert.equal(apply.code, 0, apply.stderr);
  assert.equal(w.cli(['status']).code, 0);
  assert.match(readFileSync(cursorSettings(w), 'utf8'), /\/\/ my theme/, 'the user\'s comment survives');
});

test('a file under active/current that no longer matches the active generation: status and doctor name it; settings apply re-publishes', () => {
  const w = setup('drift-files');
  assert.equal(w.cli(['renew']).code, 0, 'a second generation, so an intact one is left to publish');
  const cert = join(w.dataDir, 'active', 'current', 'client.crt');
  // A dotfiles script copying "its" certificate over ours, by rename.
  writeFileSync(`${cert}.tmp`, '-----BEGIN CERTIFICATE-----\nMIIBdummy\n-----END CERTIFICATE-----\n');
  renameSync(`${cert}.tmp`, cert);
  const line = `${cert} was changed outside mtls-tray: it no longer matches generation 2 of profile 127-0-0-1`;

  const text = w.cli(['status']);
  assert.equal(text.code, 1);
  assert.match(text.stdout, /Files the editors read, changed outside mtls-tray:/);
  assert.ok(text.stdout.includes(`ERROR ${line}`), text.stdout);
  assert.ok(text.stdout.includes('`mtls-tray settings apply`: both re-publish the active generation'), text.stdout);
  const s = JSON.parse(w.cli(['--json', 'status']).stdout);
  assert.deepEqual(s.drift.map((d: any) => [d.kind, d.source, d.what, d.message]), [['file', 'files', cert, line]]);

  const doc = w.cli(['doctor']);
  assert.ok(doc.stdout.includes(`[FAIL] The files the editors read are mtls-tray's: ${line}`), doc.stdout);
  const docJson = JSON.parse(w.cli(['--json', 'doctor']).stdout);
  const check = docJson.checks.find((c: any) => c.id === 'published-files');
  assert.deepEqual([check.status, check.data.files], ['fail', [cert]]);

  assert.equal(w.cli(['settings', 'apply']).code, 0);
  const after = JSON.parse(w.cli(['--json', 'status']).stdout);
  assert.deepEqual(after.drift, []);
  assert.equal(after.generations.find((g: any) => g.current).number, 1, 'the newest intact generation is current again');
});

test('Keep theirs: status says "not managed (kept theirs)", doctor skips it, a bare settings apply leaves it, apply --editor manages it again', async () => {
  const w = setup('drift-kept');
  setKey(cursorSettings(w), 'coder.tlsCertFile', '/x/client.crt');
  const svc = createAppService({ dataDir: w.dataDir, env: w.env, platform: process.platform, homedir: w.home, cliCommand: ['node', 'cli.js'] });
  const kept = await svc.keepTheirs(cursorSettings(w));
  assert.equal(kept.ok, true, kept.message);

  const text = w.cli(['status']);
  assert.equal(text.code, 0, text.stdout);
  assert.match(text.stdout, /Cursor\s+not managed \(kept theirs since \d{4}-/);
  assert.doesNotMatch(text.stdout, /ERROR/);
  const cursor = JSON.parse(w.cli(['--json', 'status']).stdout).editors.find((e: any) => e.id === 'cursor');
  assert.deepEqual([cursor.managed, typeof cursor.keptTheirs, cursor.drift], [false, 'string', []]);
  const check = JSON.parse(w.cli(['--json', 'doctor']).stdout).checks.find((c: any) => c.id === 'editor-settings:cursor');
  assert.equal(check.status, 'skip');
  assert.match(check.detail, /^not managed \(kept theirs since /);

  const bare = w.cli(['settings', 'apply']);
  assert.equal(bare.code, 0, bare.stderr);
  assert.match(bare.stdout, /note: not managed: you kept this editor's own coder\.\* values/);
  assert.match(readFileSync(cursorSettings(w), 'utf8'), /"\/x\/client\.crt"/, 'their value stays');

  assert.equal(w.cli(['settings', 'apply', '--editor', 'cursor']).code, 0);
  const again = JSON.parse(w.cli(['--json', 'status']).stdout).editors.find((e: any) => e.id === 'cursor');
  assert.deepEqual([again.managed, again.keptTheirs, again.drift], [true, null, []]);
});

test('settings remove: the editor is no longer managed, so its missing keys are not drift', () => {
  const w = setup('drift-removed');
  assert.equal(w.cli(['settings', 'remove', '--editor', 'cursor']).code, 0);
  const s = JSON.parse(w.cli(['--json', 'status']).stdout);
  assert.deepEqual(s.drift, []);
  assert.equal(s.editors.find((e: any) => e.id === 'cursor').managed, false);
});
