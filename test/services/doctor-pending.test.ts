// A CSR profile waiting for its first certificate is a pending state, not a failure: the
// doctor checks the deployment and its server certificate (with the profile's own CA bundle)
// and lists every check that needs the certificate, the headers or the editor settings as
// "runs after the certificate is imported", instead of failing them. After the import the
// full set runs again.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { formatDoctorReport } from '../../main/doctor/format-report';
import { makeOpensslCa } from '../helpers/openssl-ca';
import { startDeployment } from '../window/deployment';
import { makeCa, makeLeaf } from '../window/pki';
import { kit } from './kit';

test('doctor on a pending CSR profile: server checks run with its CA bundle, the rest waits for the certificate; after the import all run', async () => {
  const pki = mkdtempSync(join(tmpdir(), 'mtls-doctor-pending-'));
  after(() => rmSync(pki, { recursive: true, force: true }));
  const serverCa = makeCa(pki, 'server-ca');
  const server = makeLeaf(pki, 'server', { cn: 'localhost', sans: ['DNS:localhost', 'IP:127.0.0.1'], days: 30, usage: 'serverAuth', ca: serverCa });
  const dep = await startDeployment(server);
  after(() => dep.stop());
  const k = kit({ now: new Date() });
  const init = await k.svc.init({ url: dep.url, name: 'Corp', identity: { kind: 'csr' }, sans: ['email:al@corp.example'], caBundlePem: serverCa.cert, editors: ['code'], proxyConsent: true });
  assert.equal(init.profile.pending, true);

  const pending = await k.svc.doctor('corp');
  assert.equal(pending.pendingCertificate, true);
  assert.equal(pending.ok, true, `nothing failed: ${JSON.stringify(pending.checks.filter((c) => c.status === 'fail'))}`);
  const byId = new Map(pending.checks.map((c) => [c.id, c]));
  for (const id of ['data-dir', 'dns', 'tcp', 'server-names', 'server-trust']) assert.equal(byId.get(id)?.status, 'pass', `${id} ran: ${JSON.stringify(byId.get(id))}`);
  assert.match(byId.get('server-trust')!.detail, /tlsCaFile|CA bundle|verif/i, "the profile's CA bundle is what the server is checked against");
  const waiting = pending.checks.filter((c) => c.afterImport);
  assert.deepEqual(waiting.map((c) => c.id), ['own-certificate', 'mtls-handshake', 'header-command', 'buildinfo', 'ssh-cli', 'editors']);
  for (const c of waiting) {
    assert.equal(c.status, 'skip');
    assert.equal(c.detail, 'runs after the certificate is imported');
  }
  assert.equal(pending.checks.some((c) => c.id.startsWith('editor-settings:') || c.id.startsWith('proxy-support:')), false, 'no editor checks before a certificate exists');
  assert.equal(dep.clientCerts.length, 0, 'no request was made as the client');
  // What `mtls-tray doctor` prints for it: waiting, not "All checks passed."
  const text = formatDoctorReport(pending);
  assert.match(text, /The deployment checks passed; the checks marked skip run once the certificate from your CA is imported\.\n$/);
  assert.doesNotMatch(text, /All checks passed/);

  // The CA signs it; after the import the full doctor runs (own certificate, handshake, editors).
  const ca = makeOpensslCa('Corp Issuing CA', pki);
  k.clock.t = new Date(Date.now() + 5_000); // openssl dates the certificate from the current second
  await k.svc.csrImportCert(await ca.sign(init.csrPem!), 'corp', { editors: ['code'], proxyConsent: true });
  const done = await k.svc.doctor('corp');
  assert.equal(done.pendingCertificate, undefined);
  assert.equal(done.checks.some((c) => c.afterImport), false);
  assert.equal(done.checks.find((c) => c.id === 'own-certificate')?.status, 'pass');
  assert.ok(done.checks.some((c) => c.id === 'editor-settings:code'), 'the editors are checked once configured');
  assert.doesNotMatch(formatDoctorReport(done), /checks marked skip run once/);
});
