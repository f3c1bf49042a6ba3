/**
 * The certificate in plain words: who it is for, who issued it, the names it carries, its
 * fingerprint and key, and its validity as a bar with days left and the planned renewal.
 */
import type { StatusDto } from '../../main/ipc/contract';
import type { AppContext } from '../app-context';
import { h } from '../dom';
import { daysLeftText, describeSan, fingerprintLines, formatDate, keyLabel, lifetimeDays, validityBar, type LevelInfo } from '../format';
import { badge, defList, section } from '../ui/components';
import { copyButton } from '../ui/copy-button';

const TONE_INFO: Record<LevelInfo['tone'], LevelInfo> = {
  ok: { label: 'Valid', symbol: '✓', tone: 'ok' },
  warn: { label: 'Renewal due', symbol: '!', tone: 'warn' },
  bad: { label: 'Expired', symbol: '✕', tone: 'bad' },
  info: { label: 'Info', symbol: 'i', tone: 'info' },
};

function renewalText(status: StatusDto): string {
  const r = status.renewal;
  if (!r) return '';
  if (r.action === 'manual') return `Renewal is manual: ${r.reason}`;
  if (r.action === 'renew') return `Renewal is due now (${r.reason})`;
  if (r.action === 'retry') return `Renewal will be retried ${r.at ? `on ${formatDate(r.at)}` : 'soon'} (${r.reason})`;
  return `Renews automatically on ${formatDate(r.renewAt ?? r.at)}`;
}

export function validitySection(status: StatusDto): HTMLElement | null {
  const report = status.report;
  if (!report) return null;
  const bar = validityBar(report, status.renewal);
  const used = h('div', { class: `bar-used tone-${bar.tone}` });
  used.style.width = `${(bar.used * 100).toFixed(1)}%`; // CSSOM, allowed by the CSP
  const marker = bar.renewAt === null ? null : h('div', { class: 'bar-renew', title: 'planned renewal' });
  if (marker && bar.renewAt !== null) marker.style.left = `${(bar.renewAt * 100).toFixed(1)}%`;
  const total = lifetimeDays(report);
  const usedDays = Math.max(0, Math.min(total, Math.round(total * bar.used)));
  return h(
    'div',
    { class: 'validity', 'data-testid': 'validity' },
    h(
      'div',
      { class: 'validity-head' },
      badge(TONE_INFO[bar.tone], daysLeftText(report.daysLeft)),
    ),
    h(
      'div',
      {
        class: 'bar',
        role: 'img',
        'aria-label': `${usedDays} of ${total} days of validity used${bar.renewAt !== null ? `; the mark shows the planned renewal` : ''}`,
      },
      used,
      marker,
    ),
    h(
      'p',
      { class: 'validity-dates' },
      `Valid from ${formatDate(report.notBefore)} to ${formatDate(report.notAfter)}. `,
      h('span', { 'data-testid': 'renewal' }, renewalText(status)),
    ),
  );
}

export function certificateSection(ctx: AppContext, status: StatusDto): HTMLElement {
  const report = status.report;
  if (!report) {
    return section(
      'Certificate',
      'cert-heading',
      h('p', null, status.profile.pending ? 'No certificate yet: the request is waiting for your CA (see "Waiting for your CA" above).' : 'The certificate of this profile could not be read.'),
    );
  }
  const sans = report.sans.length
    ? h(
        'ul',
        { class: 'sans', 'data-testid': 'sans' },
        report.sans.map((s) => {
          const d = describeSan(s);
          return h('li', null, h('span', { class: 'san-kind' }, `${d.kind}: `), h('code', null, d.value));
        }),
      )
    : h('span', { class: 'muted', 'data-testid': 'sans' }, 'none — some servers (those written in Go) refuse such a certificate');
  return section(
    'Certificate',
    'cert-heading',
    validitySection(status),
    defList([
      ['Issued to', h('span', { 'data-testid': 'subject' }, report.subject || '(empty subject)')],
      ['Issued by', h('span', { 'data-testid': 'issuer' }, report.selfSigned ? `${report.issuer} (self-signed)` : report.issuer)],
      ['Names it proves (SANs)', sans],
      [
        'Fingerprint (SHA-256)',
        h(
          'span',
          { class: 'fp-wrap' },
          h('code', { class: 'fingerprint', 'data-testid': 'fingerprint' }, fingerprintLines(report.fingerprintSha256).map((l, i) => [i ? h('br') : null, l])),
          copyButton(ctx, report.fingerprintSha256, 'Copy fingerprint'),
        ),
      ],
      ['Key', h('span', { 'data-testid': 'key-algorithm' }, keyLabel(report.key))],
      ['Serial number', h('code', null, report.serial)],
      report.extKeyUsages.length ? ['Allowed uses', report.extKeyUsages.join(', ')] : null,
    ]),
  );
}
