// A data dir that is not the user's alone is refused before anything is written (audit: a dir
// made in advance by another user with mode 0777, a bin/ or active that leads elsewhere).
import assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isUserErr, newStore, seedProfile, tempDir } from './helpers';

const posix = process.platform !== 'win32';

test('a data dir writable by others is refused with the chmod that fixes it, and nothing is written', { skip: !posix && 'POSIX modes' }, async () => {
  const data = join(tempDir('mtls-own-'), 'data');
  mkdirSync(data);
  chmodSync(data, 0o777);
  await assert.rejects(newStore(data).installScripts(), isUserErr('DATA_DIR_UNSAFE', /is writable by every user \(mode 777\)/));
  assert.deepEqual(readdirSync(data), [], 'nothing created inside');
  await assert.rejects(newStore(data).installScripts(), (e: any) => e.fix === `Run \`chmod 700 '${data}'\`.` || e.fix === `Run \`chmod 700 ${data}\`.`);
  chmodSync(data, 0o700);
  await newStore(data).installScripts();
  assert.ok(readdirSync(data).includes('bin'));
});

test("a data dir owned by another user is refused, naming the owner and the fix", { skip: (!posix || process.getuid?.() !== 0) && 'needs root to chown' }, async () => {
  const data = join(tempDir('mtls-own-'), 'data');
  mkdirSync(data, { mode: 0o700 });
  chownSync(data, 65534, 65534);
  await assert.rejects(newStore(data).installScripts(), (e: any) => {
    assert.equal(e.code, 'DATA_DIR_UNSAFE');
    assert.match(e.message, /belongs to user id 65534, not to you \(user id 0\)/);
    assert.match(e.fix, /--data-dir or MTLS_TRAY_HOME/);
    return true;
  });
});

test('bin/ or active leading outside the data dir is refused before any write under the lock', { skip: !posix && 'symlinks' }, async () => {
  const data = join(tempDir('mtls-own-'), 'data');
  const store = newStore(data);
  await seedProfile(store);
  const elsewhere = tempDir('mtls-attacker-');
  mkdirSync(join(elsewhere, 'profile'));
  const gensBefore = (await store.listGenerations('acme')).length;
  const { rmSync, renameSync } = await import('node:fs');
  renameSync(join(data, 'active'), join(data, 'active.real'));
  symlinkSync(join(elsewhere, 'profile'), join(data, 'active'));
  await assert.rejects(newStore(data).rollback('acme'), isUserErr('DATA_DIR_UNSAFE', /active leads to .*outside the data directory/));
  assert.equal((await store.listGenerations('acme')).length, gensBefore);
  rmSync(join(data, 'active'));
  renameSync(join(data, 'active.real'), join(data, 'active'));
  rmSync(join(data, 'bin'), { recursive: true, force: true });
  symlinkSync(elsewhere, join(data, 'bin'));
  await assert.rejects(newStore(data).installScripts(), isUserErr('DATA_DIR_UNSAFE', /bin leads to/));
});
