// The renderer's pure rules, on plain Node: wizard steps and request, error placement,
// input checks, wording of dates and states. (Which problem gets which fix button:
// test/window-logic/warning-actions.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldForError } from '../../renderer/wizard/error-field';
import { UserError } from '../../main/base/errors';
import { createSelfSignedClientCert, exportPkcs12, generateKey, importPemCredentials, importPkcs12 } from '../../main/credentials/making';
import { parseSan } from '../../main/credentials/reading';
import { checkAltHost, checkHeaders, checkName, normaliseSans } from '../../main/services/identity-inputs';
import { checkCaBundle } from '../../main/profiles/share-format';
import { checkDeploymentUrl } from '../../main/profiles/profile-schema';
import { buildWizardRequest, deploymentKey, hostNotCovered, initialState, recheckOnCaChange, stepsFor, suggestedAltHost, validateStep } from '../../renderer/wizard/wizard-state';
import { checkDays, checkHeaderName, checkHeaderValue, checkHostName, checkNewPassphrase, checkSans, checkUrl, normaliseUrl, sanLines } from '../../renderer/validate';
import { daysLeftText, describeSan, fingerprintLines, keyLabel, levelInfo, validityBar } from '../../renderer/format';
import { checkImportSource, emptyImportDraft, importSource } from '../../renderer/import-draft';
import type { CertificateReportDto, DoctorReportDto } from '../../main/ipc/contract';

test('steps follow the identity source: imports skip key questions, a teammate profile gets a review', () => {
  assert.deepEqual(stepsFor({ source: 'self-signed' }), ['deployment', 'identity', 'keys', 'headers', 'editors', 'apply', 'done']);
  assert.deepEqual(stepsFor({ source: 'import-p12' }), ['deployment', 'identity', 'headers', 'editors', 'apply', 'done']);
  assert.deepEqual(stepsFor({ source: 'teammate' }), ['deployment', 'identity', 'review-import', 'editors', 'apply', 'done']);
});

test('the deployment step wants an https address; a bare host is completed, http refused', () => {
  const s = initialState();
  assert.ok(validateStep('deployment', s).url, 'empty URL is an error');
  s.url = 'coder.example.com';
  assert.deepEqual(validateStep('deployment', s), {});
  assert.equal(normaliseUrl(s.url), 'https://coder.example.com');
  s.url = 'http://coder.example.com';
  assert.match(validateStep('deployment', s).url ?? '', /https:\/\//);
  s.url = 'https://u:p@coder.example.com';
  assert.match(checkUrl(s.url) ?? '', /user name/);
  s.url = 'https://coder.example.com';
  s.altHost = 'not a host';
  assert.ok(validateStep('deployment', s).altHost);
  // A teammate's profile brings its own address: the URL may stay empty.
  const t = initialState();
  t.source = 'teammate';
  assert.deepEqual(validateStep('deployment', t), {});
});

test('the identity step names the missing file or passphrase', () => {
  const s = initialState();
  s.source = 'import-pem';
  assert.deepEqual(Object.keys(validateStep('identity', s)).sort(), ['certFile', 'keyFile']);
  s.source = 'import-p12';
  assert.deepEqual(Object.keys(validateStep('identity', s)).sort(), ['p12File', 'p12Passphrase']);
  s.p12File = { token: 't', name: 'me.p12' };
  s.p12Passphrase = 'x';
  assert.deepEqual(validateStep('identity', s), {});
  s.source = 'teammate';
  s.teammate.mode = 'link';
  s.teammate.link = 'https://example.com';
  assert.match(validateStep('identity', s).teammateLink ?? '', /mtls-tray:\/\/import\?/);
});

test('keys and headers: SAN lines, days range, header tokens and duplicates', () => {
  const s = initialState();
  s.sans = 'DNS:laptop\n\n email:me@example.com \n';
  assert.deepEqual(sanLines(s.sans), ['DNS:laptop', 'email:me@example.com']);
  assert.deepEqual(validateStep('keys', s), {});
  s.days = '0';
  assert.ok(validateStep('keys', s).days);
  s.days = '3651';
  assert.ok(checkDays(s.days));
  s.days = '30';
  s.sans = 'DNS:a b';
  assert.match(checkSans(s.sans) ?? '', /space/);
  s.sans = 'DNS:';
  assert.match(checkSans(s.sans) ?? '', /nothing after/);
  assert.equal(checkHeaderName('X-Team'), null);
  assert.ok(checkHeaderName('X Team'));
  assert.ok(checkHeaderName('X-Team:'));
  assert.ok(checkHeaderValue('a\nb'));
  s.headers = [{ name: 'X-A', value: '1' }, { name: 'x-a', value: '2' }];
  assert.match(validateStep('headers', s).headers ?? '', /twice/);
  s.headers = [{ name: '', value: '' }];
  assert.deepEqual(validateStep('headers', s), {}, 'an empty row is ignored');
});

test('the wizard request carries tokens (never contents), defaults and the editors choice', () => {
  const s = initialState();
  s.url = 'coder.example.com';
  s.sans = 'DNS:laptop';
  s.headers = [{ name: 'X-Team', value: 'core' }, { name: '', value: '' }];
  s.editors = ['code', 'cursor'];
  s.caBundleFile = { token: 'ca-token', name: 'ca.pem' };
  assert.deepEqual(buildWizardRequest(s), {
    url: 'https://coder.example.com',
    name: 'coder.example.com',
    identity: { kind: 'self-signed' },
    sans: ['DNS:laptop'],
    keyAlgorithm: 'ecdsa-p256',
    days: 30,
    caBundleFile: 'ca-token',
    headers: [{ name: 'X-Team', value: 'core' }],
    editors: ['code', 'cursor'],
    proxyConsent: true,
  });
  s.source = 'import-p12';
  s.p12File = { token: 'p12-token', name: 'me.p12' };
  s.p12Passphrase = 'pw';
  s.editors = [];
  const r = buildWizardRequest(s);
  assert.deepEqual(r.identity, { kind: 'import-p12', file: 'p12-token', passphrase: 'pw' });
  assert.equal(r.sans, undefined, 'an imported certificate keeps its own names');
  assert.equal(r.noSettings, true);
});

test("main's own errors land next to the input they name: nothing is guessed from the code", async () => {
  const caught = async (fn: () => unknown): Promise<UserError> => {
    try {
      await fn();
    } catch (e) {
      assert.ok(e instanceof UserError, String(e));
      return e;
    }
    throw new Error('expected an error');
  };
  const a = await generateKey('ecdsa-p256');
  const b = await generateKey('ecdsa-p256');
  const cert = await createSelfSignedClientCert({ keyPem: a, sans: [parseSan('DNS:me.example')], commonName: 'me', days: 5 });
  const p12 = exportPkcs12({ certPem: cert, keyPem: a, passphrase: 'right-one' });
  const place = (e: UserError, source: Parameters<typeof fieldForError>[1]) => fieldForError(e, source);
  assert.deepEqual(place(await caught(() => importPkcs12(p12, 'wrong', 'me.p12')), 'import-p12'), { step: 'identity', field: 'p12Passphrase' });
  assert.deepEqual(place(await caught(() => importPemCredentials({ cert, key: b })), 'import-pem'), { step: 'identity', field: 'keyFile' });
  assert.deepEqual(place(await caught(() => importPemCredentials({ cert: 'not pem', key: a })), 'import-pem'), { step: 'identity', field: 'certFile' });
  assert.deepEqual(place(await caught(() => importPemCredentials({ cert, key: a, chain: 'junk' })), 'import-pem'), { step: 'identity', field: 'chainFile' });
  assert.deepEqual(place(await caught(() => checkAltHost('not a host')), 'self-signed'), { step: 'deployment', field: 'altHost' });
  assert.deepEqual(place(await caught(() => checkName('a/b')), 'self-signed'), { step: 'deployment', field: 'name' });
  assert.deepEqual(place(await caught(() => normaliseSans(['DNS:bad host'])), 'self-signed'), { step: 'keys', field: 'sans' });
  assert.deepEqual(place(await caught(() => checkHeaders([{ name: 'bad name', value: 'x' }])), 'csr'), { step: 'headers', field: 'headers' });
  assert.deepEqual(place(await caught(() => checkCaBundle('junk', 'the CA bundle')), 'self-signed'), { step: 'deployment', field: 'caBundle' });
  assert.deepEqual(place(await caught(() => checkDeploymentUrl('http://x', 'init', 'url')), 'self-signed'), { step: 'deployment', field: 'url' });
  // An error about no input at all is shown at the end, whatever its code.
  assert.deepEqual(place(new UserError('STORE_BUSY', 'busy'), 'self-signed'), { step: 'apply', field: 'general' });
});

test('an error that names its field lands there, whatever its code says', () => {
  assert.deepEqual(fieldForError({ field: 'altHost' }, 'csr'), { step: 'deployment', field: 'altHost' });
  assert.deepEqual(fieldForError({ field: 'caBundle' }, 'self-signed'), { step: 'deployment', field: 'caBundle' });
  assert.deepEqual(fieldForError({ field: 'sans' }, 'self-signed'), { step: 'keys', field: 'sans' });
  assert.deepEqual(fieldForError({ field: 'passphrase' }, 'import-p12'), { step: 'identity', field: 'p12Passphrase' });
  assert.deepEqual(fieldForError({ field: 'passphrase' }, 'import-pem'), { step: 'identity', field: 'keyPassphrase' });
  assert.deepEqual(fieldForError({ field: 'identity' }, 'import-pem'), { step: 'identity', field: 'certFile' });
  // A teammate's file is one input: a bad field in it is fixed by choosing another file.
  assert.deepEqual(fieldForError({ field: 'name' }, 'teammate'), { step: 'identity', field: 'teammateSource' });
  assert.deepEqual(fieldForError({ field: 'profile' }, 'teammate'), { step: 'identity', field: 'teammateSource' });
  assert.deepEqual(fieldForError({ field: 'passphrase' }, 'teammate'), { step: 'review-import', field: 'teammatePassphrase' });
  // A field the wizard has no input for: shown at the end.
  assert.deepEqual(fieldForError({ field: 'something-else' }, 'csr'), { step: 'apply', field: 'general' });
});

test('the deployment check offers tlsAltHost only for HOST_NOT_IN_SAN, with the suggested name', () => {
  const report = (code: string, data: Record<string, unknown>): DoctorReportDto =>
    ({ ok: false, checks: [{ id: 'server-names', title: 't', status: 'fail', detail: 'd', code, data }] }) as unknown as DoctorReportDto;
  assert.equal(hostNotCovered(report('HOST_NOT_IN_SAN', {})), true);
  assert.equal(hostNotCovered(report('NO_SAN', {})), false, 'tlsAltHost cannot help a CN-only server certificate');
  assert.equal(suggestedAltHost(report('HOST_NOT_IN_SAN', { suggestedAltHost: 'coder.internal' })), 'coder.internal');
  assert.equal(suggestedAltHost(null), null);
});

test('import source: a file token or a link, checked before asking the main process', () => {
  const d = emptyImportDraft();
  assert.ok(checkImportSource(d).file);
  d.file = { token: 'tok', name: 'p.mtlsprofile' };
  assert.deepEqual(importSource(d), { file: 'tok' });
  d.mode = 'link';
  d.link = '  mtls-tray://import?p=abc  ';
  assert.deepEqual(checkImportSource(d), {});
  assert.deepEqual(importSource(d), { link: 'mtls-tray://import?p=abc' });
});

test('export passphrase: long enough and typed twice the same', () => {
  assert.ok(checkNewPassphrase('short', 'short').pass);
  assert.ok(checkNewPassphrase('longenough', 'longenougH').confirm);
  assert.deepEqual(checkNewPassphrase('longenough', 'longenough'), {});
});

test('wording: days left, SAN kinds, key names, fingerprint lines, states with words', () => {
  assert.equal(daysLeftText(12.7), '12 days left');
  assert.equal(daysLeftText(1.2), '1 day left');
  assert.equal(daysLeftText(0.4), '9 hours left');
  assert.equal(daysLeftText(-0.2), 'expired 4 hours ago');
  assert.equal(daysLeftText(-3.5), 'expired 3 days ago');
  assert.equal(daysLeftText(null), 'no certificate yet');
  assert.deepEqual(describeSan('DNS:laptop'), { kind: 'Host name', value: 'laptop' });
  assert.deepEqual(describeSan('email:a@b.c'), { kind: 'Email', value: 'a@b.c' });
  assert.deepEqual(describeSan('URI:spiffe://x/y'), { kind: 'URI', value: 'spiffe://x/y' });
  assert.equal(keyLabel({ algorithm: 'ECDSA', curve: 'P-256' }), 'ECDSA P-256');
  assert.equal(keyLabel({ algorithm: 'RSA', size: 2048 }), 'RSA 2048-bit');
  const fp = Array.from({ length: 32 }, (_, i) => i.toString(16).padStart(2, '0')).join(':');
  const lines = fingerprintLines(fp);
  assert.equal(lines.length, 4);
  assert.equal(lines[0], '00:01:02:03:04:05:06:07');
  for (const level of ['ok', 'expiring', 'expired', 'pending', 'broken'] as const) {
    const info = levelInfo(level);
    assert.ok(info.label.length > 2 && info.symbol.length >= 1, `${level} has a word and a symbol`);
  }
});

test('validity bar: share used from the service, renewal mark, tone', () => {
  const report = {
    notBefore: '2025-01-01T00:00:00Z',
    notAfter: '2025-01-31T00:00:00Z',
    daysLeft: 5,
    lifetimeUsed: 25 / 30,
    warnings: [{ code: 'EXPIRING_SOON', severity: 'warning', message: '', fix: '' }],
  } as unknown as CertificateReportDto;
  const bar = validityBar(report, { action: 'renew', at: null, renewAt: '2025-01-21T00:00:00Z', reason: '', warning: 'days-7', policy: { auto: true, renewAt: 2 / 3, jitter: 0 } });
  assert.ok(Math.abs(bar.used - 25 / 30) < 1e-9);
  assert.ok(Math.abs((bar.renewAt ?? 0) - 20 / 30) < 1e-9);
  assert.equal(bar.tone, 'warn');
  assert.equal(validityBar({ ...report, daysLeft: -1, lifetimeUsed: 1 }, null).tone, 'bad');
  assert.equal(validityBar({ ...report, warnings: [], lifetimeUsed: 0.1 }, null).tone, 'ok');
});

test('host checks accept names and IPs, refuse spaces', () => {
  assert.equal(checkHostName('coder.internal.example.com'), null);
  assert.equal(checkHostName('10.0.0.1'), null);
  assert.equal(checkHostName(''), null);
  assert.ok(checkHostName('bad host'));
});


test('the deployment check is keyed on the CA bundle too, and a CA change re-runs a check already shown', () => {
  const s = initialState();
  s.url = 'coder.example.com';
  const without = deploymentKey(s);
  s.caBundleFile = { token: 'T'.repeat(43), name: 'ca.crt' };
  const withCa = deploymentKey(s);
  assert.notEqual(withCa, without, 'picking a CA bundle invalidates the check made without it');
  s.caBundleFile = { token: 'U'.repeat(43), name: 'ca.crt' };
  assert.notEqual(deploymentKey(s), withCa, 'another file (even of the same name) too');
  assert.equal(deploymentKey({ ...s, url: 'https://coder.example.com' }), deploymentKey(s), 'the URL is normalised');

  assert.equal(recheckOnCaChange(s), false, 'no check shown yet: Next runs it');
  s.deployment = { url: 'https://coder.example.com', checkedAt: '2026-01-01T00:00:00.000Z', ok: false, checks: [] };
  assert.equal(recheckOnCaChange(s), true);
  s.altHost = 'not a host';
  assert.equal(recheckOnCaChange(s), false, 'an invalid server name waits for Next and its error');
  s.altHost = '';
  s.url = 'http://coder.example.com';
  assert.equal(recheckOnCaChange(s), false);
});
