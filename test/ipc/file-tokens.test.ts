import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isUserError } from '../../main/base/errors';
import { createFileTokenStore } from '../../main/ipc/file-tokens';
import { FILE_TOKEN_PATTERN } from '../../main/ipc/validate-args';
import { tempDir } from '../app/fakes';

const code = (c: string) => (e: unknown) => isUserError(e) && e.code === c;

test('tokens are 32 random bytes (base64url), distinct, and name only the base name', () => {
  const store = createFileTokenStore();
  const seen = new Set<string>();
  for (let i = 0; i < 50; i++) {
    const { token, name } = store.issue(1, `/home/u/secret dir/client ${i}.key`, 'key');
    assert.match(token, FILE_TOKEN_PATTERN);
    assert.equal(name, `client ${i}.key`);
    seen.add(token);
  }
  assert.equal(seen.size, 50);
});

test('a token resolves only for its window, expires after an hour, and dies with its window', () => {
  let now = 0;
  const store = createFileTokenStore({ now: () => now });
  const { token } = store.issue(7, '/x/a.pem', 'certificate');
  assert.deepEqual(store.resolve(7, token), { path: '/x/a.pem', purpose: 'certificate' });
  assert.throws(() => store.resolve(8, token), code('FILE_TOKEN_UNKNOWN'));
  now = 60 * 60_000 + 1;
  assert.throws(() => store.resolve(7, token), code('FILE_TOKEN_UNKNOWN'));
  now = 0;
  const t2 = store.issue(7, '/x/b.pem', 'certificate').token;
  store.dropWindow(7);
  assert.throws(() => store.resolve(7, t2), code('FILE_TOKEN_UNKNOWN'));
});

test('a window cannot grow the token table without bound: the oldest go first', () => {
  const store = createFileTokenStore();
  const first = store.issue(1, '/x/0', 'profile').token;
  for (let i = 1; i < 100; i++) store.issue(1, `/x/${i}`, 'profile');
  assert.throws(() => store.resolve(1, first), code('FILE_TOKEN_UNKNOWN'));
});

test('reading: contents of a regular file; directories, missing files and oversize files are user errors naming the path', async () => {
  const dir = tempDir('mtls-tok-');
  const store = createFileTokenStore();
  const ok = join(dir, 'a.pem');
  writeFileSync(ok, 'hello');
  assert.equal(await store.readText(1, store.issue(1, ok, 'certificate').token), 'hello');
  const sub = join(dir, 'sub');
  mkdirSync(sub);
  await assert.rejects(store.read(1, store.issue(1, sub, 'certificate').token), (e: unknown) => isUserError(e) && e.code === 'FILE_UNREADABLE' && e.message.includes(sub));
  await assert.rejects(store.read(1, store.issue(1, join(dir, 'gone'), 'certificate').token), (e: unknown) => isUserError(e) && e.message.includes('gone'));
});
