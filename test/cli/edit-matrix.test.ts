// tier: integration
/**
 * `edit` does exactly what DESIGN §2.1 says, measured on disk: for each field, how many
 * generations it makes (same key, same certificate) and how many times each editor's
 * settings.json is written (inode + hash); plus history, rename, delete and --dry-run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { makeWorld } from './cli-harness';
import { fileState } from './disk-state';

const w = makeWorld('edit', { editors: ['Code', 'VSCodium'] });
const codium = join(w.home, '.config', 'VSCodium', 'User', 'settings.json');
const ca = (name: string): string => {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(w.root, `${name}.key`), '-subj', `/CN=${name}`, '-days', '30', '-out', join(w.root, `${name}.crt`)], { stdio: 'pipe' });
  return join(w.root, `${name}.crt`);
};

test('the edit matrix matches §2.1', (t) => {
  assert.equal(w.cli(['init', '--url', 'https://coder.example.test', '--name', 'team', '--self-signed']).code, 0);
  const id = 'team';
  // Old generations are pruned, so count by the number of the current one (numbers only grow).
  const gens = () => Number(readlinkSync(join(w.dataDir, 'profiles', id, 'current')).split('/').pop());
  const current = () => join(w.dataDir, 'profiles', id, 'current');
  const ca1 = ca('ca-one');
  const ca2 = ca('ca-two');
  const certKey = () => `${fileState(join(current(), 'client.crt')).split(' ')[1]} ${fileState(join(current(), 'client.key')).split(' ')[1]}`;
  const identity = certKey();

  // field, args, expected generations, expected writes per editor
  const rows: Array<[string, string[], number, number]> = [
    // Having headers at all is one settings write per editor: coder.headerCommand follows the headers (§3).
    ['new CA bundle (had none)', ['--ca-bundle', ca1], 1, 1],
    ['another CA bundle', ['--ca-bundle', ca2], 1, 0],
    ['same CA bundle again', ['--ca-bundle', ca2], 0, 0],
    ['first header', ['--header', 'X-Team=platform'], 1, 1],
    ['header value changed', ['--header', 'X-Team=infra'], 1, 0],
    ['another header', ['--header', 'X-Env=prod'], 1, 0],
    ['alt host set', ['--alt-host', 'coder.internal.test'], 0, 1],
    ['alt host same', ['--alt-host', 'coder.internal.test'], 0, 0],
    ['SANs', ['--san', 'email:{user}@example.test'], 0, 0],
    ['validity', ['--days', '60'], 0, 0],
    ['key algorithm', ['--key', 'rsa-2048'], 0, 0],
    ['rename', ['--name', 'team two'], 0, 0],
    ['alt host removed', ['--no-alt-host'], 0, 1],
    ['CA bundle removed', ['--no-ca-bundle'], 1, 1],
    ['last headers removed', ['--remove-header', 'X-Team', '--remove-header', 'X-Env'], 1, 1],
  ];
  const table = ['field | generations made | writes Code | writes VSCodium | cert+key unchanged'];
  for (const [field, args, expGens, expWrites] of rows) {
    const g0 = gens();
    const s0 = [fileState(w.codeSettings), fileState(codium)];
    const r = w.cli(['edit', '--profile', id, ...args]);
    assert.equal(r.code, 0, `${field}: ${r.stderr}`);
    const made = gens() - g0;
    const s1 = [fileState(w.codeSettings), fileState(codium)];
    const writes = s0.map((s, i) => (s === s1[i] ? 0 : 1));
    table.push(`${field} | ${made} | ${writes[0]} | ${writes[1]} | ${certKey() === identity}`);
    assert.equal(made, expGens, `${field}: generations`);
    assert.deepEqual(writes, [expWrites, expWrites], `${field}: settings writes`);
    assert.equal(certKey(), identity, `${field}: same certificate and key`);
  }
  t.diagnostic(`\n${table.join('\n')}`);
  const profile = JSON.parse(readFileSync(join(w.dataDir, 'profiles', id, 'profile.json'), 'utf8'));
  assert.equal(profile.name, 'team two');
  assert.equal(profile.validityDays, 60);
  assert.equal(profile.keyAlgorithm, 'rsa-2048');
  assert.deepEqual(profile.sanTemplate, ['email:{user}@example.test']);

  // --dry-run: the exact diff, nothing written.
  const s0 = [fileState(w.codeSettings), fileState(codium)];
  const g0 = gens();
  const dry = w.cli(['edit', '--profile', id, '--alt-host', 'dry.example.test', '--dry-run']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /\+\s+"coder\.tlsAltHost": "dry\.example\.test"/);
  assert.deepEqual([fileState(w.codeSettings), fileState(codium)], s0);
  assert.equal(gens(), g0);

  // SANs apply from the next renew.
  assert.equal(w.cli(['renew', '--profile', id]).code, 0);
  const st = w.json(['status', '--profile', id]);
  assert.ok(st.report.sans.some((s: string) => /^email:.+@example\.test$/.test(s)), st.report.sans.join(','));

  // history lists the generations; edit ones are named.
  const h = w.json(['history', '--profile', 'team two']);
  assert.ok(h.generations.some((g: { operation: string }) => g.operation === 'edit'));
  assert.equal(h.generations.filter((g: { current: boolean }) => g.current).length, 1);
});

test('duplicate names are refused; delete needs --yes and never takes the active profile', () => {
  const dup = w.cli(['init', '--url', 'https://other.example.test', '--name', 'team two', '--self-signed']);
  assert.equal(dup.code, 1);
  assert.match(dup.stderr, /named "team two" exists already/);
  assert.equal(w.cli(['init', '--url', 'https://other.example.test', '--name', 'other', '--self-signed']).code, 0);
  const rename = w.cli(['edit', '--profile', 'other', '--name', 'team two']);
  assert.equal(rename.code, 1);
  const active = w.cli(['delete', 'other', '--yes']);
  assert.equal(active.code, 1);
  assert.match(active.stderr, /mtls-tray switch team/);
  assert.equal(w.cli(['delete', 'team']).code, 1, 'no --yes, nobody to ask');
  const del = w.cli(['delete', 'team', '--yes']);
  assert.equal(del.code, 0, del.stderr);
  assert.deepEqual(w.json(['list']).map((p: { id: string }) => p.id), ['other']);
});
