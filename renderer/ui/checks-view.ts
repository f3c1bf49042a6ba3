/**
 * A doctor report (deployment check or connection test) as a list: each check's verdict in
 * words and symbol, what was found, and what to do.
 */
import type { DoctorReportDto } from '../../main/ipc/contract';
import { h } from '../dom';
import { checkInfo } from '../format';
import { badge } from './components';

export function checksList(report: DoctorReportDto, testId = 'checks'): HTMLElement {
  return h(
    'ul',
    { class: 'checks', 'data-testid': testId },
    report.checks.map((c) =>
      h(
        'li',
        { class: `check tone-${checkInfo(c.status).tone}`, 'data-check': c.id, 'data-status': c.status },
        badge(checkInfo(c.status)),
        ' ',
        h('strong', null, c.title),
        c.detail ? h('span', { class: 'detail' }, ` — ${c.detail}`) : null,
        c.fix && c.status !== 'pass' ? h('p', { class: 'fix' }, h('strong', null, 'How to fix: '), c.fix) : null,
      ),
    ),
  );
}

export function checksSummary(report: DoctorReportDto): string {
  const failed = report.checks.filter((c) => c.status === 'fail').length;
  const warned = report.checks.filter((c) => c.status === 'warn').length;
  if (failed) return `${failed} ${failed === 1 ? 'check' : 'checks'} failed`;
  if (warned) return `All checks passed, ${warned} with a warning`;
  return 'All checks passed';
}
