// tier: integration
/**
 * Imports are checked before anything is published (DESIGN §2.1): an identity that cannot work
 * (expired, not yet valid, no clientAuth EKU, key mismatch) is refused with exit 1 and one fix,
 * and the data dir and the editor settings stay byte- and inode-identical; a CN-only
 * certificate is imported with its NO_SAN warning, in text and in --json.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeWorld, type World } from './cli-harness';
import { fileState, snapshot } from './disk-state';
import * as mk from '../../main/credentials/making';
import { parseSan } from '../../main/credentials/reading';

const w: World = makeWorld('importcheck');
const dir = w.root;
const write = (name: string, text: string | Uint8Array): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const openssl = (args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

test('bad imports are refused with nothing written; warnings are shown', async (t) => {
  const base = w.cli(['init', '--url', 'https://coder.example.test', '--name', 'working', '--self-signed']);
  assert.equal(base.code, 0, base.stderr);
  const key = await mk.generateKey('ecdsa-p256');
  const otherKey = await mk.generateKey('ecdsa-p256');
  const keyFile = write('key.pem', key);
  const sans = [parseSan('DNS:laptop')];
  const cert = (now: Date, days: number) => mk.createSelfSignedClientCert({ keyPem: key, sans, commonName: 'al', days, now });
  const expired = write('expired.crt', await cert(new Date('2020-01-01T00:00:00Z'), 30));
  const future = write('future.crt', await cert(new Date('2099-01-01T00:00:00Z'), 30));
  const good = write('good.crt', await cert(new Date(), 30));
  const mismatchKey = write('other.key', otherKey);
  openssl(['req', '-x509', '-key', 'key.pem', '-subj', '/CN=server-only', '-days', '30', '-addext', 'subjectAltName=DNS:laptop', '-addext', 'extendedKeyUsage=serverAuth', '-out', 'server-eku.crt']);
  openssl(['req', '-x509', '-key', 'key.pem', '-subj', '/CN=cn-only', '-days', '30', '-addext', 'extendedKeyUsage=clientAuth', '-out', 'cn-only.crt']);
  writeFileSync(join(dir, 'pass'), 'correct horse\n');
  const p12 = write('expired.p12', mk.exportPkcs12({ certPem: readFileSync(expired, 'utf8'), keyPem: key, passphrase: 'correct horse', friendlyName: 'x' }));

  const cases: Array<{ kind: string; args: string[]; expect: 'refused' | 'warned'; code: string }> = [
    { kind: 'expired (PEM)', args: ['--import-pem', expired, keyFile], expect: 'refused', code: 'CERT_EXPIRED' },
    { kind: 'expired (PKCS#12)', args: ['--import-p12', p12, '--passphrase-file', join(dir, 'pass')], expect: 'refused', code: 'CERT_EXPIRED' },
    { kind: 'not yet valid', args: ['--import-pem', future, keyFile], expect: 'refused', code: 'CERT_NOT_YET_VALID' },
    { kind: 'EKU without clientAuth', args: ['--import-pem', join(dir, 'server-eku.crt'), keyFile], expect: 'refused', code: 'CERT_NO_CLIENT_AUTH' },
    { kind: 'key mismatch', args: ['--import-pem', good, mismatchKey], expect: 'refused', code: 'KEY_MISMATCH' },
    { kind: 'CN only', args: ['--import-pem', join(dir, 'cn-only.crt'), keyFile], expect: 'warned', code: 'NO_SAN' },
  ];
  const rows: string[] = ['kind | exit | code | data dir unchanged | settings unchanged'];
  for (const c of cases) {
    const dataBefore = snapshot(w.dataDir);
    const settingsBefore = fileState(w.codeSettings);
    const r = w.cli(['--json', 'init', '--url', 'https://coder.example.test', '--name', `imp ${c.kind.replace(/[^a-z0-9 ]/gi, '')}`, ...c.args]);
    const dataSame = JSON.stringify(snapshot(w.dataDir)) === JSON.stringify(dataBefore);
    const settingsSame = fileState(w.codeSettings) === settingsBefore;
    if (c.expect === 'refused') {
      assert.equal(r.code, 1, `${c.kind}: ${r.stdout}${r.stderr}`);
      const err = JSON.parse(r.stderr).error;
      assert.equal(err.code, c.code, c.kind);
      assert.ok(err.fix, `${c.kind} has a fix`);
      assert.ok(dataSame, `${c.kind}: data dir unchanged`);
      assert.ok(settingsSame, `${c.kind}: settings unchanged`);
      rows.push(`${c.kind} | ${r.code} | ${err.code} | ${dataSame} (${Object.keys(dataBefore).length} entries, hash+inode) | ${settingsSame}`);
    } else {
      assert.equal(r.code, 0, r.stderr);
      const res = JSON.parse(r.stdout);
      assert.ok(res.warnings.some((x: { code: string }) => x.code === c.code), `${c.kind}: ${c.code} in --json`);
      assert.equal(res.replaced.name, 'working');
      rows.push(`${c.kind} | ${r.code} | warned ${res.warnings.map((x: { code: string }) => x.code).join(',')} | imported (new generation) | ${settingsSame}`);
    }
  }
  // The text output names the warning and which profile is now active.
  w.cli(['switch', 'working']);
  const text = w.cli(['init', '--url', 'https://coder.example.test', '--name', 'cn only text', '--import-pem', join(dir, 'cn-only.crt'), keyFile]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /NO_SAN/);
  assert.match(text.stdout, /now the active profile, replacing working/);
  t.diagnostic(`\n${rows.join('\n')}`);
});
