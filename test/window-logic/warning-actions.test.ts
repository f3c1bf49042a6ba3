// Every fix is a button: every certificate warning code, for every kind of profile the
// service describes (self-signed, local CA, CA-issued from a CSR or an imported PEM / PKCS#12
// file, with or without an issuer command, with or without names, with a request out, waiting
// for its first certificate), has at least one action in the window, and each action offered
// can work for that profile (no Renew where only the CA can renew). The same for the failed
// checks of "Test connection" and for the failures of the window's own actions. The table
// in docs/fix-actions.md is generated from this table (WRITE_FIX_TABLE=1 rewrites it).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { WARNING_CODES } from '../../main/base/vocabulary';
import { CHECKS } from '../../main/doctor/checks/check-names';
import type { ProfileSummaryDto } from '../../main/ipc/contract';
import { checkPlan, errorPlan, terminalFor, warningPlan } from '../../renderer/fix-wording';
import { ACTION_WORKS, capabilitiesOf, checkActions, errorActions, FIX_LABELS, offersSnooze, warningActions, type Capabilities, type FixAction } from '../../renderer/warning-actions';

/** A summary as main/services/dtos.ts makes it (`issuerCommand` is present for a CA-issued profile only). */
function dto(p: Partial<ProfileSummaryDto> & Pick<ProfileSummaryDto, 'source'>): ProfileSummaryDto {
  return { id: 'p', name: 'P', url: 'https://coder.example.com', altHost: null, pending: false, active: true, canRenew: false, canRotate: false, sans: ['email:al@example.com'], notAfter: null, daysLeft: null, level: 'ok', ...p };
}

/** Every kind of profile, as the service reports it. `table`: a column of docs/fix-actions.md. */
const KINDS: Array<{ kind: string; table?: string; p: ProfileSummaryDto }> = [
  { kind: 'self-signed', table: 'Self-signed or local CA', p: dto({ source: 'self-signed', canRenew: true, canRotate: true }) },
  { kind: 'local-ca', p: dto({ source: 'local-ca', canRenew: true, canRotate: true }) },
  { kind: 'self-signed without names', p: dto({ source: 'self-signed', canRenew: true, canRotate: true, sans: [] }) },
  { kind: 'csr (CA-issued), no issuer command', table: 'CA-issued (CSR, PEM or PKCS#12 import), no issuer command', p: dto({ source: 'csr', issuerCommand: false }) },
  { kind: 'import-pem (CA-issued), no issuer command', p: dto({ source: 'imported', issuerCommand: false }) },
  { kind: 'import-pem, CN only (no names)', table: 'CA-issued, CN only (no names)', p: dto({ source: 'imported', issuerCommand: false, sans: [] }) },
  { kind: 'import-p12, CN only, with an issuer command', p: dto({ source: 'imported', issuerCommand: true, canRenew: true, sans: [] }) },
  { kind: 'csr with an issuer command', table: 'CA-issued with an issuer command', p: dto({ source: 'csr', issuerCommand: true, canRenew: true }) },
  { kind: 'import-p12 with an issuer command', p: dto({ source: 'imported', issuerCommand: true, canRenew: true }) },
  { kind: 'import-pem, request sent to the CA', table: 'CA-issued, request already sent', p: dto({ source: 'imported', issuerCommand: false, reenrolment: { since: '2030-01-01T00:00:00Z', newKey: false, csrFile: '/x/request.csr', next: '' } }) },
  { kind: 'csr waiting for its first certificate', table: 'CSR waiting for its first certificate', p: dto({ source: 'csr', issuerCommand: false, pending: true, level: 'pending' }) },
];
const GENERATIONS = { none: [], one: [{ number: 1, current: true }], two: [{ number: 1, current: false }, { number: 2, current: true }] };

function allCaps(): Array<{ label: string; p: ProfileSummaryDto; c: Capabilities }> {
  const out = [];
  for (const k of KINDS) {
    for (const [g, gens] of Object.entries(GENERATIONS)) {
      if (k.p.pending && g !== 'none') continue;
      for (const active of [true, false]) {
        const p = { ...k.p, active };
        out.push({ label: `${k.kind}, ${g} generation(s), ${active ? 'active' : 'not active'}`, p, c: capabilitiesOf(p, gens) });
      }
    }
  }
  return out;
}

test('every warning code has a working action for every kind of profile, worded for the window', () => {
  let cases = 0;
  for (const code of WARNING_CODES) {
    for (const { label, p, c } of allCaps()) {
      const plan = warningPlan(code, c, p);
      assert.ok(plan.actions.length > 0, `${code} / ${label}: no action`);
      for (const a of plan.actions) assert.ok(ACTION_WORKS[a](c), `${code} / ${label}: ${a} cannot work for this profile`);
      assert.ok(plan.text.length > 20, `${code} / ${label}: says what to do`);
      assert.doesNotMatch(plan.text, /`|\bRun\b|--[a-z]|mtls-tray (renew|rotate|settings|csr|edit)/, `${code} / ${label}: no CLI in the window's words: ${plan.text}`);
      if (plan.terminal) for (const cmd of plan.terminal.split('; ')) assert.match(cmd, /^mtls-tray [a-z]/, `${code} / ${label}: ${cmd}`);
      if (!p.active && plan.terminal && /renew|rotate|csr|edit/.test(plan.terminal)) assert.match(plan.terminal, /--profile p\b/, 'a bare command would act on the active profile');
      cases++;
    }
  }
  assert.equal(cases, WARNING_CODES.length * allCaps().length);
});

test('the fixes fit the profile: NO_SAN, expiry and keys for self-signed, imported and CA-issued identities', () => {
  const caps = (i: number, gens: Array<{ number: number; current: boolean }> = []) => capabilitiesOf(KINDS[i]!.p, gens);
  const [self, , selfNoNames, csr, imported, cnOnly, cnOnlyIssuer, issuer, , requested, pending] = KINDS.map((_, i) => caps(i));
  // NO_SAN: renewed here with the profile's names; for a CA's certificate, a request with names.
  assert.deepEqual(warningActions('NO_SAN', self!), ['renew']);
  assert.deepEqual(warningActions('NO_SAN', selfNoNames!), ['renew-with-names']);
  assert.deepEqual(warningActions('NO_SAN', cnOnly!), ['request-with-names']);
  assert.deepEqual(warningActions('NO_SAN', cnOnlyIssuer!), ['request-with-names']);
  assert.deepEqual(warningActions('NO_SAN', imported!), ['request']);
  const noSanImported = warningPlan('NO_SAN', cnOnly!, KINDS[5]!.p);
  assert.doesNotMatch(noSanImported.text, /Make a new certificate|--san/, 'not the self-signed wording for a CA certificate');
  assert.match(noSanImported.text, /your CA/);
  assert.equal(noSanImported.terminal, 'mtls-tray edit --san NAME; mtls-tray csr new --out request.csr');
  // Expired: Renew here; request and import for a CA's certificate; through the issuer command when there is one.
  assert.deepEqual(warningActions('EXPIRED', self!), ['renew']);
  assert.deepEqual(warningActions('EXPIRED', csr!), ['request', 'import-cert']);
  assert.deepEqual(warningActions('EXPIRED', imported!), ['request', 'import-cert']);
  assert.deepEqual(warningActions('EXPIRED', issuer!), ['renew']);
  assert.deepEqual(warningActions('EXPIRED', requested!), ['import-cert', 'request'], 'the request is out: import first');
  assert.deepEqual(warningActions('EXPIRED', pending!), ['import-cert']);
  // Keys: rotated here, a request for a new key at a CA; a rollback where a generation before exists.
  assert.deepEqual(warningActions('WEAK_KEY', self!), ['rotate']);
  assert.deepEqual(warningActions('WEAK_KEY', issuer!), ['request-new-key']);
  assert.deepEqual(warningActions('KEY_MISMATCH', caps(0, GENERATIONS.two)), ['rotate', 'rollback']);
  assert.deepEqual(warningActions('NOT_YET_VALID', caps(0, GENERATIONS.two)), ['renew', 'rollback']);
  assert.deepEqual(warningActions('NOT_YET_VALID', caps(0, GENERATIONS.one)), ['renew']);
  assert.deepEqual(warningActions('PROXY_SUPPORT_OVERRIDE', imported!), ['fix-proxy']);
  assert.deepEqual(warningActions('HOST_NOT_IN_SAN', self!), ['alt-host']);
  // Words of the window; the command stays for a terminal (with --profile for another profile).
  const soon = warningPlan('EXPIRING_SOON', self!, { id: 'laptop', active: false, sans: ['DNS:laptop'] });
  assert.equal(soon.text, 'Renew now with the button below; mtls-tray also renews automatically.');
  assert.equal(soon.terminal, 'mtls-tray renew --profile laptop');
  assert.equal(warningPlan('EXPIRING_SOON', self!, { id: 'laptop', active: true, sans: [] }).terminal, 'mtls-tray renew');
  assert.equal(warningPlan('PROXY_SUPPORT_OVERRIDE', self!, { id: 'laptop', active: false, sans: [] }).terminal, 'mtls-tray settings apply --proxy-support');
  assert.match(warningPlan('EXPIRED', imported!, KINDS[4]!.p).text, /request .*send it to your CA, then import/);
});

test('"Remind me tomorrow" beside the actions, only for an expiry that waits for the CA', () => {
  const [self, , , csr, , , , issuer, , , pending] = KINDS.map((k) => capabilitiesOf(k.p));
  assert.equal(offersSnooze('EXPIRED', csr!), true);
  assert.equal(offersSnooze('EXPIRING_SOON', csr!), true);
  assert.equal(offersSnooze('EXPIRED', self!), false, 'Renew fixes it');
  assert.equal(offersSnooze('EXPIRED', issuer!), false, 'the issuer command renews it');
  assert.equal(offersSnooze('EXPIRED', pending!), false);
  assert.equal(offersSnooze('NO_SAN', csr!), false, 'only expiry raises notifications');
});

/** Every check the doctor can fail or warn, with the codes it gives (main/doctor/checks). */
const FAILING_CHECKS: Array<{ id: string; code?: string; status?: 'fail' | 'warn' }> = [
  { id: 'data-dir' }, { id: CHECKS.url.id, code: 'NOT_TLS' }, { id: CHECKS.dns.id }, { id: CHECKS.tcp.id },
  { id: CHECKS.ownCertificate.id, code: 'EXPIRED' }, { id: CHECKS.ownCertificate.id, code: 'NOT_YET_VALID' }, { id: CHECKS.ownCertificate.id, code: 'KEY_MISMATCH' },
  { id: CHECKS.ownCertificate.id, code: 'KEY_ENCRYPTED' }, { id: CHECKS.ownCertificate.id, code: 'KEY_UNREADABLE' }, { id: CHECKS.ownCertificate.id, code: 'CERT_UNREADABLE' },
  { id: CHECKS.ownCertificate.id, code: 'INCOMPLETE_CREDENTIALS' }, { id: CHECKS.ownCertificate.id, code: 'NO_CLIENT_AUTH_EKU', status: 'warn' }, { id: CHECKS.ownCertificate.id, code: 'EXPIRING_SOON', status: 'warn' },
  { id: CHECKS.serverChain.id }, { id: CHECKS.serverChain.id, code: 'NOT_TLS' }, { id: CHECKS.serverNames.id, code: 'HOST_NOT_IN_SAN' }, { id: CHECKS.serverNames.id, code: 'NO_SAN' },
  { id: CHECKS.serverTrust.id, code: 'CHAIN_UNVERIFIED' }, { id: CHECKS.mtls.id, code: 'TLS_ALERT' }, { id: CHECKS.mtls.id, code: 'GATEWAY_REJECTED_CERT' }, { id: CHECKS.mtls.id, code: 'GATEWAY_NO_CERT' },
  { id: CHECKS.mtls.id, code: 'CONNECTION_DROPPED' }, { id: CHECKS.mtls.id, code: 'NOT_TLS' }, { id: CHECKS.headerCommand.id, code: 'HEADER_COMMAND_FAILED' }, { id: CHECKS.buildinfo.id },
  { id: CHECKS.buildinfo.id, code: 'UNAUTHORIZED' }, { id: CHECKS.buildinfo.id, code: 'NOT_CODER', status: 'warn' }, { id: CHECKS.sshCli.id, code: 'SSH_NEEDS_CERT', status: 'warn' },
  { id: CHECKS.sshCli.id, code: 'SSH_REFUSED', status: 'warn' }, { id: 'editor-settings:code', code: 'SETTINGS_MISMATCH' }, { id: 'editor-settings:code', code: 'SETTINGS_UNREADABLE' },
  { id: 'proxy-support:code', code: 'PROXY_SUPPORT_OVERRIDE' },
  // issue 17: the files the editors read drifted (the drift section above offers Restore)
  { id: 'published-files', code: 'PUBLISHED_DRIFT' },
];

test('every failed or warned check of "Test connection" has a button, for every kind of profile and before one exists', () => {
  for (const f of FAILING_CHECKS) {
    const check = { id: f.id, status: f.status ?? 'fail', ...(f.code ? { code: f.code } : {}), fix: 'the doctor\'s own fix' } as const;
    for (const { label, p, c } of allCaps()) {
      if (p.pending && !['data-dir', 'url', 'dns', 'tcp', 'server-chain', 'server-names', 'server-trust'].includes(f.id)) continue; // not run before the certificate exists
      const plan = checkPlan(check, c, p)!;
      assert.ok(plan.actions.length > 0, `${f.id}/${f.code} / ${label}: no action`);
      for (const a of plan.actions) assert.ok(ACTION_WORKS[a](c), `${f.id}/${f.code} / ${label}: ${a}`);
    }
    if (['data-dir', 'url', 'dns', 'tcp', 'server-chain', 'server-names', 'server-trust'].includes(f.id)) {
      assert.ok(checkActions(check, null).length > 0, `${f.id}/${f.code}: an action in the wizard's deployment check too`);
    }
  }
  const self = capabilitiesOf(KINDS[0]!.p, GENERATIONS.two);
  const other = capabilitiesOf({ ...KINDS[0]!.p, active: false });
  assert.deepEqual(checkActions({ id: 'server-trust', status: 'fail', code: 'CHAIN_UNVERIFIED' }, self), ['ca-bundle']);
  assert.deepEqual(checkActions({ id: 'server-trust', status: 'fail' }, null), ['ca-bundle'], 'before a profile exists too');
  assert.deepEqual(checkActions({ id: 'server-names', status: 'fail', code: 'HOST_NOT_IN_SAN' }, self), ['alt-host', 'copy-for-admin']);
  assert.deepEqual(checkActions({ id: 'editor-settings:code', status: 'fail', code: 'SETTINGS_MISMATCH' }, self), ['settings-diff']);
  assert.deepEqual(checkActions({ id: 'editor-settings:code', status: 'fail', code: 'SETTINGS_MISMATCH' }, other), ['switch'], 'the editors use another profile: switch');
  assert.deepEqual(checkActions({ id: 'proxy-support:code', status: 'fail' }, self), ['fix-proxy']);
  assert.deepEqual(checkActions({ id: 'own-certificate', status: 'fail', code: 'EXPIRED' }, self), ['renew']);
  assert.deepEqual(checkActions({ id: 'own-certificate', status: 'fail', code: 'EXPIRED' }, capabilitiesOf(KINDS[4]!.p)), ['request', 'import-cert']);
  assert.deepEqual(checkActions({ id: 'mtls-handshake', status: 'fail', code: 'GATEWAY_REJECTED_CERT' }, self), ['rollback', 'copy-for-admin']);
  assert.deepEqual(checkActions({ id: 'header-command', status: 'fail' }, self), ['headers', 'retest']);
  assert.deepEqual(checkActions({ id: 'dns', status: 'pass' }, self), [], 'a pass needs nothing');
  // The CA-bundle check in the window's words: no "(--ca-bundle FILE)" under the button; the command for a terminal.
  const trust = checkPlan({ id: 'server-trust', status: 'fail', code: 'CHAIN_UNVERIFIED', fix: "give the profile the deployment's CA certificate (--ca-bundle FILE); it becomes coder.tlsCaFile" }, self, { id: 'p', active: true, sans: [] })!;
  assert.doesNotMatch(trust.text, /--ca-bundle/);
  assert.equal(trust.terminal, 'mtls-tray edit --ca-bundle FILE');
  assert.equal(checkPlan({ id: 'server-trust', status: 'fail' }, null, null)!.terminal, 'mtls-tray init --url URL --ca-bundle FILE');
});

test('a failed issuer command offers the request by hand and the command itself; other failures their own fix', () => {
  const issuer = capabilitiesOf(KINDS[7]!.p);
  assert.deepEqual(errorActions('ISSUER_COMMAND_FAILED', issuer), ['request', 'issuer-setup']);
  assert.deepEqual(errorActions('ISSUER_TIMEOUT', issuer), ['request', 'issuer-setup']);
  assert.deepEqual(errorActions('ISSUER_OUTPUT_INVALID', issuer), ['request', 'issuer-setup']);
  assert.deepEqual(errorActions('CERT_KEY_MISMATCH', capabilitiesOf(KINDS[3]!.p)), ['import-cert', 'request']);
  assert.deepEqual(errorActions('CANNOT_RENEW', capabilitiesOf(KINDS[5]!.p)), ['request-with-names']);
  assert.equal(errorPlan('BAD_PASSPHRASE', issuer, KINDS[7]!.p), null, 'nothing here fixes it: the message stays alone');
  assert.equal(terminalFor(['issuer-setup', 'request'], { id: 'corp', active: false }), 'mtls-tray edit --profile corp --issuer-command CMD; mtls-tray csr new --profile corp --out request.csr');
});

/** The table for the closing note and docs/fix-actions.md. */
function markdown(): string {
  const cols = KINDS.filter((k) => k.table);
  const cell = (actions: FixAction[]) => (actions.length ? actions.map((a) => FIX_LABELS[a].replace(/…$/, '')).join(' · ') : '—');
  const lines = [
    '# Fix buttons',
    '',
    'Generated from renderer/warning-actions.ts by test/window-logic/warning-actions.test.ts (`WRITE_FIX_TABLE=1` rewrites it). The first button is the main one; "Remind me tomorrow" is offered beside expiry warnings that wait for a CA. Profiles with an older generation also get "Roll back" for KEY_MISMATCH and NOT_YET_VALID.',
    '',
    '## Certificate warnings',
    '',
    `| Warning | ${cols.map((k) => k.table).join(' | ')} |`,
    `|---|${cols.map(() => '---').join('|')}|`,
  ];
  for (const code of WARNING_CODES) lines.push(`| ${code} | ${cols.map((k) => cell(warningActions(code, capabilitiesOf(k.p)))).join(' | ')} |`);
  lines.push('', '## Failed checks of "Test connection"', '', '| Check | Code | Active self-signed profile | CA-issued, not active, older generation kept | Before a profile exists (wizard) |', '|---|---|---|---|---|');
  const self = capabilitiesOf(KINDS[0]!.p);
  const caOther = capabilitiesOf({ ...KINDS[4]!.p, active: false }, GENERATIONS.two);
  for (const f of FAILING_CHECKS) {
    const check = { id: f.id, status: f.status ?? 'fail', ...(f.code ? { code: f.code } : {}) } as const;
    const early = ['data-dir', 'url', 'dns', 'tcp', 'server-chain', 'server-names', 'server-trust'].includes(f.id);
    lines.push(`| ${f.id} | ${f.code ?? ''} | ${cell(checkActions(check, self))} | ${cell(checkActions(check, caOther))} | ${early ? cell(checkActions(check, null)) : 'not run'} |`);
  }
  lines.push('', '## Failed window actions', '', '| Error code | CA-issued with an issuer command | CA-issued without one |', '|---|---|---|');
  for (const code of ['ISSUER_COMMAND_FAILED', 'ISSUER_TIMEOUT', 'ISSUER_OUTPUT_TOO_LARGE', 'ISSUER_OUTPUT_INVALID', 'ISSUER_COMMAND_REFUSED', 'ISSUER_COMMAND_INVALID', 'CANNOT_RENEW', 'PROFILE_PENDING', 'CERT_KEY_MISMATCH', 'CERT_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_NO_CLIENT_AUTH']) {
    lines.push(`| ${code} | ${cell(errorActions(code, capabilitiesOf(KINDS[7]!.p)))} | ${cell(errorActions(code, capabilitiesOf(KINDS[3]!.p)))} |`);
  }
  return `${lines.join('\n')}\n`;
}

test('docs/fix-actions.md is the table as it is', () => {
  const file = join(__dirname, '..', '..', 'docs', 'fix-actions.md');
  if (process.env.WRITE_FIX_TABLE) writeFileSync(file, markdown());
  assert.equal(readFileSync(file, 'utf8'), markdown(), 'run WRITE_FIX_TABLE=1 node scripts/test.mjs test/window-logic/warning-actions.test.ts');
});
