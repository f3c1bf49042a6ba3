/**
 * The doctor's report for people: one line per check, its fix indented below, and a
 * closing verdict. Colour is the caller's choice (the CLI knows whether stdout is a TTY).
 */
import type { CheckStatus, DoctorReport } from './types';

const LABEL: Record<CheckStatus, string> = { pass: 'pass', warn: 'WARN', fail: 'FAIL', skip: 'skip' };
const COLOUR: Record<CheckStatus, string> = { pass: '\x1b[32m', warn: '\x1b[33m', fail: '\x1b[31m', skip: '\x1b[2m' };
const RESET = '\x1b[0m';

/** `pendingCertificate`: a CSR profile still waiting for its CA (the service ran only the deployment checks). */
export function formatDoctorReport(report: DoctorReport & { pendingCertificate?: boolean }, opts: { colour?: boolean } = {}): string {
  const paint = (status: CheckStatus, text: string) => (opts.colour ? `${COLOUR[status]}${text}${RESET}` : text);
  const lines = [`Connection doctor for ${report.url} (${report.checkedAt})`, ''];
  for (const c of report.checks) {
    lines.push(`  ${paint(c.status, `[${LABEL[c.status]}]`)} ${c.title}: ${c.detail}`);
    if (c.fix && (c.status === 'fail' || c.status === 'warn')) lines.push(`         fix: ${c.fix}`);
  }
  const failed = report.checks.filter((c) => c.status === 'fail').length;
  const warned = report.checks.filter((c) => c.status === 'warn').length;
  lines.push('');
  if (failed === 0 && warned === 0) {
    // Waiting for the CA is not "all passed": the client checks have not run yet.
    lines.push(report.pendingCertificate ? 'The deployment checks passed; the checks marked skip run once the certificate from your CA is imported.' : 'All checks passed.');
  }
  else {
    const parts = [];
    if (failed) parts.push(`${failed} failed`);
    if (warned) parts.push(`${warned} warning${warned === 1 ? '' : 's'}`);
    lines.push(`${parts.join(', ')}: see the fixes above.`);
  }
  return `${lines.join('\n')}\n`;
}
