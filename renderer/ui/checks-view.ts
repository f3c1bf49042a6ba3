/**
 * A doctor report (deployment check or connection test) as a list: each check's verdict in
 * words and symbol, what was found, and what to do: the buttons that fix it where the caller
 * has them (`fixFor`), else the doctor's own fix. A profile waiting for its certificate gets
 * the checks that need it listed apart, as "after the certificate is imported", not as failures.
 */
import type { DoctorCheckDto, DoctorReportDto } from '../../main/ipc/contract';
import { h } from '../dom';
import { checkInfo } from '../format';
import { badge } from './components';

/** The fix of one check: elements to show under it, or null for the doctor's own text. */
export type CheckFix = (check: DoctorCheckDto) => HTMLElement[] | null;

export function checksList(report: DoctorReportDto, testId = 'checks', fixFor?: CheckFix): HTMLElement {
  const ran = report.checks.filter((c) => !c.afterImport);
  const later = report.checks.filter((c) => c.afterImport);
  const list = h(
    'ul',
    { class: 'checks', 'data-testid': testId },
    ran.map((c) => {
      const fix = c.status === 'pass' || c.status === 'skip' ? null : fixFor?.(c) ?? null;
      return h(
        'li',
        { class: `check tone-${checkInfo(c.status).tone}`, 'data-check': c.id, 'data-status': c.status },
        badge(checkInfo(c.status)),
        ' ',
        h('strong', null, c.title),
        c.detail ? h('span', { class: 'detail' }, ` — ${c.detail}`) : null,
        fix ?? (c.fix && c.status !== 'pass' ? h('p', { class: 'fix' }, h('strong', null, 'How to fix: '), c.fix) : null),
      );
    }),
  );
  if (!later.length) return list;
  return h(
    'div',
    { class: 'checks-wrap' },
    list,
    h('p', { class: 'after-import-head' }, h('strong', null, 'After the certificate is imported'), ' these run too:'),
    h(
      'ul',
      { class: 'checks after-import', 'data-testid': `${testId}-after-import` },
      later.map((c) => h('li', { class: 'check tone-info', 'data-check': c.id, 'data-status': 'after-import' }, badge({ label: 'After import', symbol: '…', tone: 'info' }), ' ', c.title)),
    ),
  );
}

export function checksSummary(report: DoctorReportDto): string {
  const failed = report.checks.filter((c) => c.status === 'fail').length;
  const warned = report.checks.filter((c) => c.status === 'warn').length;
  const later = report.checks.filter((c) => c.afterImport).length;
  if (failed) return `${failed} ${failed === 1 ? 'check' : 'checks'} failed`;
  if (report.pendingCertificate) {
    return `Waiting for the certificate: the deployment checks passed${warned ? `, ${warned} with a warning` : ''}; ${later} more run after the certificate is imported`;
  }
  if (warned) return `All checks passed, ${warned} with a warning`;
  return 'All checks passed';
}

/** What "Copy the details for your admin" copies: the deployment and the checks that did not pass. */
export function reportDetails(profileName: string, report: DoctorReportDto): string {
  const lines = [`mtls-tray connection test for ${report.url} (profile ${profileName}, ${report.checkedAt})`];
  for (const c of report.checks) {
    if (c.status !== 'fail' && c.status !== 'warn') continue;
    lines.push(`- ${c.status.toUpperCase()} ${c.title}: ${c.detail}`);
    if (c.fix) lines.push(`  fix: ${c.fix}`);
  }
  return lines.join('\n');
}
