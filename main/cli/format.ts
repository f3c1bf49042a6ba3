/** Human-readable renderings of service results for the terminal. JSON output bypasses these. */
import { describeTimeLeft } from '../base/time-left';
import { escapeControl } from '../base/terminal-text';
import type { AppService, CertificateReportDto, DriftFindingDto, InitResultDto, ProfileSummaryDto, SettingsFileResultDto, StatusDto } from '../services/app-service';

type SettingsValues = Awaited<ReturnType<AppService['showSettings']>>;

/** One value on one line: its newlines and control characters escaped too (a subject could fake a line). */
const one = (s: string): string => escapeControl(s, false);

const SEVERITY_MARK: Record<string, string> = { error: 'ERROR', warning: 'WARN ', info: 'INFO ' };

export function formatReport(r: CertificateReportDto): string[] {
  const key = r.key.curve ? `${r.key.algorithm} ${r.key.curve}` : `${r.key.algorithm}${r.key.size ? ` ${r.key.size}` : ''}`;
  const lines = [
    `  Subject:      ${one(r.subject)}`,
    `  Issuer:       ${one(r.issuer)}${r.selfSigned ? ' (self-signed)' : ''}`,
    `  Serial:       ${r.serial}`,
    `  SHA-256:      ${r.fingerprintSha256}`,
    `  Valid:        ${r.notBefore} .. ${r.notAfter} (${describeTimeLeft(r.daysLeft)}, ${Math.round(r.lifetimeUsed * 100)} % of lifetime used)`,
    `  Key:          ${key}`,
    `  SANs:         ${r.sans.length ? one(r.sans.join(', ')) : '(none)'}`,
    `  Key usage:    ${[...r.keyUsages, ...r.extKeyUsages].join(', ') || '(none)'}`,
  ];
  if (r.isCa) lines.push('  CA:           yes');
  if (r.warnings.length) {
    lines.push('', '  Warnings:');
    for (const w of r.warnings) {
      lines.push(`  ${SEVERITY_MARK[w.severity] ?? w.severity} ${w.code}: ${one(w.message)}`);
      if (w.fix) lines.push(`        fix: ${w.fix}`);
    }
  } else {
    lines.push('', '  No warnings.');
  }
  return lines;
}

export function formatStatus(s: StatusDto): string {
  const p = s.profile;
  const lines: string[] = [];
  if (s.dataDirProblem) lines.push(`ERROR ${s.dataDirProblem.code}: ${one(s.dataDirProblem.message)}`, ...(s.dataDirProblem.fix ? [`  fix: ${one(s.dataDirProblem.fix)}`] : []), '');
  lines.push(`Profile ${one(p.name)} (${p.id})${p.active ? ' [active]' : ''}: ${p.url}${p.altHost ? ` (tlsAltHost ${p.altHost})` : ''}`, `  Identity:     ${p.source}${p.pending ? ', waiting for the CA-issued certificate' : ''}`);
  if (p.issuerCommand !== undefined) lines.push(`  Renewal by:   ${p.issuerCommand ? 'the issuer command set on this machine' : 're-enrolment by hand (no issuer command: `mtls-tray edit --issuer-command CMD` sets one)'}`);
  if (p.reenrolment) lines.push(...reenrolmentLines(p.reenrolment, '  '));
  if (s.report) lines.push(...formatReport(s.report));
  if (s.renewal) lines.push('', `  Renewal:      ${s.renewal.action}${s.renewal.at ? ` at ${s.renewal.at}` : ''} (${s.renewal.reason})`);
  lines.push('', `  Files${s.editorsUse ? ' (this profile\'s own; not what the editors read)' : ''}:`, `    cert            ${s.files.cert}`, `    key             ${s.files.key}`);
  if (s.files.ca) lines.push(`    ca              ${s.files.ca}`);
  lines.push(`    headers         ${s.files.headers}`);
  if (s.editorsUse) {
    lines.push(
      `    header command  ${s.files.headerCommand}  (serves the active profile ${s.editorsUse.name})`,
      `    refresh command ${s.files.refreshCommand}  (serves the active profile ${s.editorsUse.name})`,
      '',
      `  The editors use another profile: ${s.editorsUse.name} (${s.editorsUse.id}). Switch with: mtls-tray switch ${s.profile.id}`,
    );
  } else {
    lines.push(`    header command  ${s.files.headerCommand}`, `    refresh command ${s.files.refreshCommand}`);
  }
  if (s.editors.length) {
    lines.push('', '  Editors:');
    for (const e of s.editors) {
      if (e.error) {
        lines.push(`    ${e.name.padEnd(16)} ${one(e.error.message)}`);
        if (e.error.fix) lines.push(`        fix: ${one(e.error.fix)}`);
        continue;
      }
      const state = e.keptTheirs ? `not managed (kept theirs since ${e.keptTheirs})` : e.drift.length ? 'changed outside mtls-tray' : e.configured ? 'configured    ' : e.installed ? 'not configured' : 'not installed ';
      lines.push(`    ${e.name.padEnd(16)} ${state} ${one(e.settingsPath)}${e.proxySupport === 'override' ? '  (http.proxySupport is "override")' : ''}`);
      if (e.drift.length) lines.push(...driftLines(e.drift, '      '));
      else if (e.mismatched.length) lines.push(`      ERROR ${e.mismatched.join(', ')} in this file differ from this profile's; fix: mtls-tray settings apply`);
    }
  }
  const fileDrift = s.drift.filter((d) => d.kind === 'file');
  if (fileDrift.length) lines.push('', '  Files the editors read, changed outside mtls-tray:', ...driftLines(fileDrift, '    '));
  if (s.generations.length) {
    lines.push('', '  Generations:');
    for (const g of s.generations) lines.push(`    ${g.current ? '*' : ' '} ${String(g.number).padStart(3)}  ${g.createdAt}  serial ${g.serial.slice(0, 16)}  until ${g.notAfter}`);
  }
  return lines.join('\n');
}

/** Drift findings (issue 17): one ERROR line each, then their fix once. */
function driftLines(findings: readonly DriftFindingDto[], indent: string): string[] {
  const fixes = [...new Set(findings.map((d) => d.fix))];
  return [...findings.map((d) => `${indent}ERROR ${one(d.message)}`), ...fixes.map((f) => `${indent}  fix: ${one(f)}`)];
}

export function formatProfiles(list: ProfileSummaryDto[]): string {
  if (list.length === 0) return 'No profiles yet. Create one with: mtls-tray init --url https://coder.example.com --self-signed';
  return list
    .map((p) => [`${p.active ? '*' : ' '} ${p.id.padEnd(20)} ${p.level.padEnd(8)} ${(p.daysLeft === null ? '-' : describeTimeLeft(p.daysLeft, { short: true })).padStart(7)}  ${one(p.url)}  (${one(p.name)})`, ...(p.reenrolment ? reenrolmentLines(p.reenrolment, '      ') : [])].join('\n'))
    .join('\n');
}

/** "re-enrolment pending since …", with what to send where. */
function reenrolmentLines(r: NonNullable<ProfileSummaryDto['reenrolment']>, indent: string): string[] {
  return [`${indent}Re-enrolment pending since ${r.since} (${r.newKey ? 'new key' : 'current key'}); the current certificate keeps serving.`, `${indent}  Next: ${r.next}`];
}

export function formatSettingsResults(results: SettingsFileResultDto[], dryRun: boolean): string {
  if (results.length === 0) return 'No editor settings to change (no editor found; name one with --editor or --settings-file).';
  const out: string[] = [];
  for (const r of results) {
    if (r.error) {
      out.push(`${r.editor.padEnd(14)} ${r.path}: NOT CHANGED: ${r.error.message}${r.error.fix ? `\n  fix: ${r.error.fix}` : ''}`);
      continue;
    }
    const what = !r.changed ? 'unchanged' : dryRun ? `would change ${r.keys.join(', ')}` : `changed ${r.keys.join(', ')}`;
    out.push(`${r.editor.padEnd(14)} ${r.path}: ${what}`);
    if (dryRun && r.diff) out.push(r.diff.trimEnd());
    for (const n of r.notices) out.push(`  note: ${n}`);
  }
  return out.join('\n');
}

/** After init or import: the new profile, what happened to the editors, and any notes. */
export function formatCreated(res: InitResultDto): string {
  const lines = [`Profile ${res.profile.name} (${res.profile.id}) created for ${res.profile.url}${res.profile.pending ? '; waiting for the CA-issued certificate' : ''}.`];
  if (res.profile.active) lines.push(`It is now the active profile${res.replaced ? `, replacing ${res.replaced.name} (${res.replaced.id}); switch back with: mtls-tray switch ${res.replaced.id}` : ''}.`);
  else if (!res.profile.pending) lines.push('It is not the active profile; use it with: mtls-tray switch ' + res.profile.id);
  for (const w of res.warnings ?? []) lines.push(`${SEVERITY_MARK[w.severity] ?? w.severity} ${w.code}: ${w.message}`, `        fix: ${w.fix}`);
  if (res.settings.length) lines.push(formatSettingsResults(res.settings, false));
  for (const n of res.notices) lines.push(`note: ${n}`);
  return lines.join('\n');
}

export function formatSettingsValues(files: SettingsValues): string {
  return files.map((r) => `${r.editor} ${r.path}${r.exists ? '' : ' (no file yet)'}\n${Object.entries(r.values).map(([k, val]) => `  ${k} = ${JSON.stringify(val)}`).join('\n') || '  (no coder.* settings)'}`).join('\n');
}
