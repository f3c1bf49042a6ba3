// tier: integration
/**
 * Sharing between two people: the exporter (login "al" on host "alpha-pc") and a teammate
 * (login "bo" on host "bravo-pc", another HOME and data dir). Each CLI runs in its own UTS
 * namespace so the host names really differ. The shared file carries {user}/{hostname} in
 * place of al's names, and bo's certificate (self-signed) or CSR (local CA) carries bo's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, makeWorld } from './cli-harness';

const unshare = spawnSync('unshare', ['--uts', 'true']).status === 0;
const w = makeWorld('share');

function as(user: string, host: string, home: string, dataDir: string, args: string[]) {
  const env = { PATH: process.env.PATH, HOME: home, USER: user, LANG: 'C.UTF-8' };
  const r = spawnSync('unshare', ['--uts', 'sh', '-c', 'hostname "$0" && exec "$@"', host, process.execPath, CLI, '--data-dir', dataDir, ...args], { env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

test('a teammate in another HOME gets a certificate with their own user and host', { skip: unshare ? false : 'unshare --uts is not permitted here' }, () => {
  const alHome = w.home;
  const boHome = join(w.root, 'bo-home');
  mkdirSync(join(boHome, '.config', 'Code', 'User'), { recursive: true });
  const al = (args: string[]) => as('al', 'alpha-pc', alHome, w.dataDir, args);
  const bo = (args: string[]) => as('bo', 'bravo-pc', boHome, join(w.root, 'bo-data'), args);

  // al types literal names; export turns them into placeholders.
  assert.equal(al(['init', '--url', 'https://coder.example.test', '--name', 'team', '--self-signed', '--san', 'email:al@example.test', '--san', 'DNS:alpha-pc.corp.test']).code, 0);
  const file = join(w.root, 'team.mtlsprofile');
  assert.equal(al(['export', '--profile', 'team', '--out', file]).code, 0);
  const shared = JSON.parse(readFileSync(file, 'utf8'));
  assert.deepEqual(shared.sanTemplate, ['email:{user}@example.test', 'DNS:{hostname}.corp.test']);

  // The review lists the SANs bo will get; the certificate carries them.
  const imp = bo(['--json', 'import', file, '--yes']);
  assert.equal(imp.code, 0, imp.stderr);
  assert.ok(JSON.parse(imp.stdout).review.some((l: string) => /^SANs:\s+email:bo@example\.test, DNS:bravo-pc\.corp\.test$/.test(l)));
  const st = JSON.parse(bo(['--json', 'status']).stdout);
  assert.deepEqual(st.report.sans, ['email:bo@example.test', 'DNS:bravo-pc.corp.test']);

  // import --san / --name override the template and the name.
  const o = bo(['--json', 'import', file, '--yes', '--name', 'team custom', '--san', 'email:{user}+ci@example.test']);
  assert.equal(o.code, 0, o.stderr);
  const st2 = JSON.parse(bo(['--json', 'status', '--profile', 'team custom']).stdout);
  assert.deepEqual(st2.report.sans, ['email:bo+ci@example.test']);

  // init --from-profile --san is honoured too.
  const f = bo(['--json', 'init', '--from-profile', file, '--name', 'from file', '--san', 'DNS:{hostname}.lab.test']);
  assert.equal(f.code, 0, f.stderr);
  assert.deepEqual(JSON.parse(bo(['--json', 'status', '--profile', 'from file']).stdout).report.sans, ['DNS:bravo-pc.lab.test']);

  // A local CA: bo's CSR names bo, and al's `ca sign` copies bo's names.
  assert.equal(al(['init', '--url', 'https://coder.example.test', '--name', 'ca team', '--local-ca', '--san', 'email:al@example.test']).code, 0);
  const caFile = join(w.root, 'ca-team.mtlsprofile');
  assert.equal(al(['export', '--profile', 'ca team', '--out', caFile]).code, 0);
  const csrOut = bo(['--json', 'import', caFile, '--yes']);
  assert.equal(csrOut.code, 0, csrOut.stderr);
  const csrPem = JSON.parse(csrOut.stdout).csrPem as string;
  const csrText = execFileSync('openssl', ['req', '-noout', '-text'], { input: csrPem, encoding: 'utf8' });
  assert.match(csrText, /email:bo@example\.test/);
  assert.doesNotMatch(csrText, /al@example/);
});

test('init --san expands {user} and {hostname}', () => {
  const r = w.cli(['--json', 'init', '--url', 'https://t.example.test', '--name', 'templ', '--self-signed', '--san', 'email:{user}@example.test'], {});
  assert.equal(r.code, 0, r.stderr);
  const st = w.json(['status', '--profile', 'templ']);
  assert.ok(st.report.sans.every((s: string) => !s.includes('{')), st.report.sans.join());
  assert.match(st.report.sans[0], /^email:[a-z0-9._-]+@example\.test$/);
});
