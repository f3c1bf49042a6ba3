// tier: integration
// The fixture corpus: for every real-looking settings file, apply (two profiles: with and
// without CA bundle/alt host), then check by parsing that only our keys differ, that every
// other line is byte-identical, that BOM/EOL/mode survive, that the dry-run diff is exactly
// the write, that a second apply writes nothing, and that remove puts the file back.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyPatch } from 'diff';
import { applyEdits, modify } from 'jsonc-parser';
import { applySettings, applySettingsFile, removeSettingsFile } from '../../main/settings/apply-settings';
import { CODER_KEYS, PROXY_SUPPORT_KEY, listsKey, type DesiredCoderSettings } from '../../main/settings/owned-keys';
import {
  FIXTURES,
  FULL_DESIRED,
  NO_CA_DESIRED,
  compareOutside,
  fileTarget,
  ownedOf,
  parseErrors,
  settingsObject,
  stripBom,
  tempDir,
  withoutOwned,
} from './settings-test-kit';

const VALID = readdirSync(FIXTURES).filter((f) => f.endsWith('.json') && !f.startsWith('invalid-')).sort();
const INVALID = readdirSync(FIXTURES).filter((f) => f.startsWith('invalid-')).sort();
/**
 * One-line objects leave no line to insert at: `{}` is split around our keys, and a one-line
 * object with settings is re-flowed by jsonc-parser's `modify` (the documented fallback).
 */
const REFLOWED = new Set(['minified-one-line.json', 'empty-object.json']);

function expectedOwned(input: Record<string, unknown>, desired: DesiredCoderSettings, consent: boolean): Record<string, unknown> {
  const out = ownedOf(input);
  for (const k of CODER_KEYS) {
    if (!listsKey(desired, k)) continue;
    const v = desired[k];
    if (typeof v === 'string') out[k] = v;
    else delete out[k];
  }
  const proxy = input[PROXY_SUPPORT_KEY];
  if (consent && (proxy === undefined || proxy === 'override' || proxy === 'fallback')) out[PROXY_SUPPORT_KEY] = 'on';
  return out;
}

function setup(t: { after: (fn: () => void) => void }, input: Buffer) {
  const dir = tempDir(t, 'corpus');
  mkdirSync(join(dir, 'User'));
  const file = join(dir, 'User', 'settings.json');
  writeFileSync(file, input);
  chmodSync(file, 0o640);
  return { dir, file, backupDir: join(dir, 'data', 'settings-backups') };
}

async function checkRoundTrip(t: TestContext, name: string, input: Buffer, desired: DesiredCoderSettings, consent: boolean) {
  const inText = input.toString('utf8');
  const { dir, file, backupDir } = setup(t, input);
  const target = fileTarget(file);
  const req = { desired, proxyConsent: consent, backupDir, platform: 'linux' as const };

  const dry = await applySettingsFile(target, { ...req, dryRun: true });
  assert.deepEqual(readFileSync(file), input, 'a dry run writes nothing');
  assert.equal(existsSync(backupDir), false, 'a dry run keeps no backup');

  const res = await applySettingsFile(target, req);
  const out = readFileSync(file);
  const outText = out.toString('utf8');

  assert.deepEqual(parseErrors(outText), [], 'the result parses');
  assert.deepEqual(withoutOwned(settingsObject(outText)), withoutOwned(settingsObject(inText)), 'only our keys differ');
  assert.deepEqual(ownedOf(settingsObject(outText)), expectedOwned(settingsObject(inText), desired, consent), 'our keys hold the wanted values');
  if (/^\s*$/.test(inText)) {
    // Nothing of the user's to keep: the file becomes our object.
  } else if (parseErrors(inText).length === 0 && !/^\s*(\/\/[^\n]*\n|\/\*[\s\S]*?\*\/|\s)*\{/.test(stripBom(inText))) {
    assert.ok(outText.startsWith(inText), 'comments of a file without an object are kept, our object follows them');
  } else if (!REFLOWED.has(name)) {
    const { commaOnly } = compareOutside(inText, outText);
    const removedSome = res.changes.some((c) => !c.after.present);
    assert.ok(commaOnly === 0 || (commaOnly === 1 && removedSome), `only the separator before a removed last key may go (${commaOnly})`);
    if (commaOnly > 0) t.diagnostic(`${name}: the comma before a removed last key went with it`);
  }
  assert.equal(out.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), input.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), 'BOM kept');
  if (inText.includes('\r\n')) assert.doesNotMatch(outText, /[^\r]\n/, 'CRLF file stays CRLF');
  else assert.doesNotMatch(outText, /\r/, 'LF file stays LF');
  assert.equal(statSync(file).mode & 0o777, 0o640, 'mode kept');

  assert.equal(res.changed, !out.equals(input));
  assert.equal(res.wrote, res.changed);
  assert.equal(res.attempts, 1);
  assert.deepEqual(dry.keys, res.keys, 'the dry run announces the same keys');
  if (res.changed) assert.equal(applyPatch(stripBom(inText), dry.diff), stripBom(outText), 'the dry-run diff is exactly what was written');
  assert.deepEqual(readdirSync(join(dir, 'User')), ['settings.json'], 'no temp file left behind');

  const again = await applySettingsFile(target, req);
  assert.equal(again.wrote, false, 'a second apply writes nothing');
  assert.deepEqual(again.keys, []);
  assert.deepEqual(readFileSync(file), out);

  const removed = await removeSettingsFile(target, { backupDir, platform: 'linux' });
  assert.deepEqual(readFileSync(file), input, 'remove puts back the original bytes');
  assert.equal(removed.wrote, res.changed);

  // Remove after the user edited the file meanwhile: values come back key by key, their edit stays.
  await applySettingsFile(target, req);
  const edited = readFileSync(file, 'utf8');
  writeFileSync(file, applyEdits(edited, modify(edited, ['user.addedLater'], 7, { formattingOptions: { insertSpaces: true, tabSize: 4 } })));
  await removeSettingsFile(target, { backupDir, platform: 'linux' });
  const restored = readFileSync(file, 'utf8');
  assert.deepEqual(parseErrors(restored), []);
  assert.deepEqual(settingsObject(restored), { ...settingsObject(inText), 'user.addedLater': 7 }, 'previous values restored, the user edit kept');
}

for (const [label, desired, consent] of [
  ['with CA and alt host, proxy consent', FULL_DESIRED, true],
  ['without CA bundle, no consent', NO_CA_DESIRED, false],
] as const) {
  for (const name of VALID) {
    test(`corpus ${name} (${label})`, async (t) => {
      await checkRoundTrip(t, name, readFileSync(join(FIXTURES, name)), desired, consent);
    });
  }
}

/** ~1 MB of settings: big colour and word lists, comments, nested blocks. */
function bigSettings(): Buffer {
  const lines = ['// generated: a heavy but real-looking settings file', '{', '    "workbench.colorCustomizations": {'];
  for (let i = 0; i < 9000; i++) lines.push(`        "editorBracketHighlight.foreground${i}": "#${(i * 2654435761 >>> 8).toString(16).padStart(6, '0').slice(0, 6)}", // bracket ${i}`);
  lines.push('        "editor.background": "#1e1e1e"', '    },', '    "cSpell.userWords": [');
  for (let i = 0; i < 14000; i++) lines.push(`        "word${i}lorem",`);
  lines.push('        "last"', '    ],', '    "coder.tlsCaFile": "/old/ca.pem",', '    "editor.fontSize": 14', '}', '');
  return Buffer.from(lines.join('\n'));
}

test('corpus: a 1 MB settings file', async (t) => {
  const big = bigSettings();
  assert.ok(big.length >= 1_000_000, `${big.length} bytes`);
  await checkRoundTrip(t, 'big.json', big, FULL_DESIRED, true);
});

test('corpus: every invalid file is refused with file, line and column, and nothing is written', async (t) => {
  const expected: Record<string, [string, string | null]> = {
    'invalid-merge-conflict.json': ['SETTINGS_INVALID_JSONC', ':2:1:'],
    'invalid-missing-comma.json': ['SETTINGS_INVALID_JSONC', ':3:5:'],
    'invalid-root-array.json': ['SETTINGS_NOT_OBJECT', null],
    'invalid-single-quotes.json': ['SETTINGS_INVALID_JSONC', ':2:5:'],
    'invalid-text-after-object.json': ['SETTINGS_INVALID_JSONC', ':4:1:'],
    'invalid-unclosed-comment.json': ['SETTINGS_INVALID_JSONC', ':3:5:'],
    'invalid-unclosed-object.json': ['SETTINGS_INVALID_JSONC', ':6:1:'],
    'invalid-unterminated-string.json': ['SETTINGS_INVALID_JSONC', ':2:26:'],
  };
  assert.deepEqual(Object.keys(expected).sort(), INVALID);
  for (const name of INVALID) {
    const input = readFileSync(join(FIXTURES, name));
    const { dir, file, backupDir } = setup(t, input);
    const [code, position] = expected[name]!;
    for (const dryRun of [true, false]) {
      await assert.rejects(applySettingsFile(fileTarget(file), { desired: FULL_DESIRED, proxyConsent: true, backupDir, dryRun }), (err: Error & { code?: string }) => {
        assert.equal(err.code, code, name);
        assert.ok(err.message.includes(file), `names the file: ${err.message}`);
        if (position) assert.ok(err.message.includes(file + position), `names line and column ${position}: ${err.message}`);
        return true;
      });
    }
    await assert.rejects(removeSettingsFile(fileTarget(file), { backupDir }), { code });
    assert.deepEqual(readFileSync(file), input, `${name} untouched`);
    assert.deepEqual(readdirSync(join(dir, 'User')), ['settings.json']);
    assert.equal(existsSync(backupDir), false, 'no backup for a refused file');
  }
});

test('corpus: in a batch, a broken file is reported and the others are still configured', async (t) => {
  const a = setup(t, readFileSync(join(FIXTURES, 'invalid-missing-comma.json')));
  const b = setup(t, readFileSync(join(FIXTURES, 'two-space.json')));
  const results = await applySettings([fileTarget(a.file), fileTarget(b.file, 'code')], { desired: FULL_DESIRED, backupDir: a.backupDir });
  assert.equal(results[0]!.error?.code, 'SETTINGS_INVALID_JSONC');
  assert.ok(results[0]!.error?.fix?.includes('line 3, column 5'));
  assert.equal(results[0]!.wrote, false);
  assert.equal(results[1]!.error, undefined);
  assert.equal(results[1]!.wrote, true);
  assert.equal(settingsObject(readFileSync(b.file, 'utf8'))['coder.tlsCertFile'], FULL_DESIRED['coder.tlsCertFile']);
});

test('corpus: a read-only file is refused (nothing written) but its dry-run diff is shown', async (t) => {
  const input = readFileSync(join(FIXTURES, 'vscode-tabs.json'));
  const { file, backupDir } = setup(t, input);
  chmodSync(file, 0o444);
  const req = { desired: FULL_DESIRED, proxyConsent: true, backupDir };
  const dry = await applySettingsFile(fileTarget(file), { ...req, dryRun: true });
  assert.equal(dry.changed, true);
  const wouldBe = applyPatch(input.toString('utf8'), dry.diff);
  assert.ok(typeof wouldBe === 'string');
  assert.deepEqual(parseErrors(wouldBe), []);
  assert.deepEqual(withoutOwned(settingsObject(wouldBe)), withoutOwned(settingsObject(input.toString('utf8'))));
  compareOutside(input.toString('utf8'), wouldBe);
  await assert.rejects(applySettingsFile(fileTarget(file), req), (err: Error & { code?: string; fix?: string }) => {
    assert.equal(err.code, 'SETTINGS_READ_ONLY');
    assert.ok(err.message.includes(file));
    assert.ok(err.fix?.includes('chmod u+w'));
    return true;
  });
  assert.deepEqual(readFileSync(file), input);
  assert.equal(statSync(file).mode & 0o777, 0o444);
  assert.equal(existsSync(backupDir), false);
});

test('corpus: a symlinked settings.json is written through; the link stays a link', async (t) => {
  const input = readFileSync(join(FIXTURES, 'comments-everywhere.json'));
  const { dir, file, backupDir } = setup(t, Buffer.alloc(0));
  const repo = join(dir, 'dotfiles', 'vscode');
  mkdirSync(repo, { recursive: true });
  const real = join(repo, 'settings.json');
  writeFileSync(real, input, { mode: 0o600 });
  const linkText = '../dotfiles/vscode/settings.json';
  rmSync(file);
  symlinkSync(linkText, file);
  const realIno = statSync(real).ino;

  const res = await applySettingsFile(fileTarget(file), { desired: FULL_DESIRED, proxyConsent: true, backupDir });
  assert.equal(res.wrote, true);
  assert.equal(res.target, real);
  assert.ok(lstatSync(file).isSymbolicLink(), 'still a symlink');
  assert.equal(readlinkSync(file), linkText, 'pointing where it did');
  assert.notEqual(statSync(real).ino, realIno, 'the target was replaced');
  assert.equal(statSync(real).mode & 0o777, 0o600);
  const out = readFileSync(real, 'utf8');
  assert.deepEqual(withoutOwned(settingsObject(out)), withoutOwned(settingsObject(input.toString('utf8'))));
  assert.equal(compareOutside(input.toString('utf8'), out).commaOnly, 0);
  assert.deepEqual(readdirSync(repo), ['settings.json'], 'no temp file left next to the target');

  await removeSettingsFile(fileTarget(file), { backupDir });
  assert.deepEqual(readFileSync(real), input, 'remove restores the target');
  assert.ok(lstatSync(file).isSymbolicLink());
});

test('corpus: a dangling symlink gets its target created; a missing file is created valid', async (t) => {
  const { dir, file, backupDir } = setup(t, Buffer.alloc(0));
  rmSync(file);
  mkdirSync(join(dir, 'elsewhere'));
  symlinkSync(join(dir, 'elsewhere', 'settings.json'), file);
  const res = await applySettingsFile(fileTarget(file), { desired: NO_CA_DESIRED, backupDir });
  assert.equal(res.created, true);
  assert.ok(lstatSync(file).isSymbolicLink());
  const text = readFileSync(join(dir, 'elsewhere', 'settings.json'), 'utf8');
  assert.deepEqual(parseErrors(text), []);
  assert.equal(settingsObject(text)['coder.tlsKeyFile'], NO_CA_DESIRED['coder.tlsKeyFile']);
  assert.equal('coder.tlsCaFile' in settingsObject(text), false);

  const missing = join(dir, 'User', 'other.json');
  const created = await applySettingsFile(fileTarget(missing), { desired: FULL_DESIRED, backupDir, platform: 'win32' });
  assert.equal(created.created, true);
  const made = readFileSync(missing, 'utf8');
  assert.match(made, /^\{\r\n {4}"coder\.tlsCertFile"/, 'a new file uses the platform EOL and VS Code default indent');
  assert.deepEqual(ownedOf(settingsObject(made)), ownedOf(FULL_DESIRED as Record<string, unknown>));
  const undone = await removeSettingsFile(fileTarget(missing), { backupDir });
  assert.equal(undone.deleted, true, 'there was no file before us, so remove deletes it again');
  assert.equal(existsSync(missing), false);
});
