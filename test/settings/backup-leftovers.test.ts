// What the settings backup leaves behind: temp files of a writer that died are swept at the next
// write, and `settings remove` deletes the copy of the original bytes once it has restored them
// (that copy may hold the user's own tokens).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { applySettingsFile, removeSettingsFile } from '../../main/settings/apply-settings';
import { FULL_DESIRED, fileTarget, tempDir } from './settings-test-kit';

test('settings remove restores the original and then deletes its copy and the record', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'settings.json');
  const original = '{\n  "github.token": "ghp_secret", // theirs\n  "a": 1\n}\n';
  writeFileSync(file, original);
  const backupDir = join(dir, 'backups');
  await applySettingsFile(fileTarget(file), { desired: FULL_DESIRED, backupDir });
  assert.ok(readdirSync(backupDir).some((n) => n.endsWith('.original')));
  await removeSettingsFile(fileTarget(file), { backupDir });
  assert.equal(readFileSync(file, 'utf8'), original);
  assert.deepEqual(readdirSync(backupDir), [], 'no copy of the user\'s settings stays behind');
});

test("a dead writer's temp files in the backup dir are swept by the next write; a live one's stay", async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'settings.json');
  writeFileSync(file, '{}\n');
  const backupDir = join(dir, 'backups');
  await applySettingsFile(fileTarget(file), { desired: FULL_DESIRED, backupDir });
  // A pid that has exited: run a process and take its pid after it is gone.
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
  const deadTemp = `settings-0123456789abcdef.json.${dead}-deadbeef.tmp`;
  const liveTemp = `settings-0123456789abcdef.json.${process.pid}-cafef00d.tmp`;
  writeFileSync(join(backupDir, deadTemp), '{"copy":"of settings"}');
  writeFileSync(join(backupDir, liveTemp), 'in use');
  await applySettingsFile(fileTarget(file), { desired: { ...FULL_DESIRED, 'coder.tlsAltHost': 'other.example' }, backupDir });
  const names = readdirSync(backupDir);
  assert.equal(names.includes(deadTemp), false, 'swept');
  assert.equal(names.includes(liveTemp), true, 'a live writer keeps its temp file');
});
