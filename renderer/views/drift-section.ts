/**
 * Issue 17, drift: what changed outside mtls-tray (an editor's coder.* keys, the files the
 * editors read) with Restore and Keep theirs, the same actions the notification offers where
 * the platform shows notification buttons (not Linux). A source whose restore was undone at
 * once (the restore-loop guard) shows why instead of Restore. Editors whose own values the user
 * kept are listed as not managed. Nothing to say: no section.
 */
import type { DriftReportDto, DriftSourceDto } from '../../main/ipc/contract';
import type { AppContext } from '../app-context';
import { h, withCode } from '../dom';
import { asyncButton, section } from '../ui/components';


function sourceItem(ctx: AppContext, s: DriftSourceDto): HTMLElement {
  // The fix names the window's buttons and the terminal command (in backticks): here, the command.
  const terminal = /`([^`]+)`/.exec(s.findings[0]?.fix ?? '')?.[1];
  const act = async (channel: 'drift:restore' | 'drift:keepTheirs') => {
    const res = await ctx.api.call(channel, s.source);
    ctx.announce(res.message);
    ctx.refresh();
  };
  return h(
    'li',
    { class: 'warning tone-error', 'data-drift-source': s.kind === 'files' ? 'files' : s.editor ?? 'custom' },
    h('strong', null, s.kind === 'files' ? 'Files the editors read' : s.name),
    h('ul', null, s.findings.map((f) => h('li', { class: 'drift-finding' }, f.message))),
    s.stopped
      ? h('p', { class: 'fix', 'data-testid': 'drift-stopped' }, ...withCode(s.stopped))
      : terminal ? h('p', { class: 'fix muted' }, 'From a terminal: ', h('code', null, terminal)) : null,
    h(
      'div',
      { class: 'actions' },
      s.stopped ? null : asyncButton('Restore', () => act('drift:restore'), { class: 'btn primary', 'data-action': 'drift-restore' }),
      s.canKeepTheirs ? asyncButton('Keep theirs', () => act('drift:keepTheirs'), { class: 'btn', 'data-action': 'drift-keep' }) : null,
    ),
  );
}

function keptItem(k: DriftReportDto['kept'][number]): HTMLElement {
  const how = k.editor === 'custom' ? `mtls-tray settings apply --settings-file ${k.settingsPath}` : `mtls-tray settings apply --editor ${k.editor}`;
  return h('li', { 'data-kept': k.editor }, h('strong', null, k.name), ': not managed (kept theirs). ', h('code', null, how), ' manages it again.');
}

function driftCard(ctx: AppContext, report: DriftReportDto): HTMLElement | null {
  if (report.sources.length === 0 && report.kept.length === 0) return null;
  return section(
    report.sources.length ? 'Changed outside mtls-tray' : 'Editors mtls-tray leaves alone',
    'drift-heading',
    h('div', { 'data-testid': 'drift' }, report.sources.length ? h('ul', { class: 'warnings' }, report.sources.map((s) => sourceItem(ctx, s))) : null, report.kept.length ? h('ul', { class: 'kept' }, report.kept.map(keptItem)) : null),
  );
}

/**
 * A slot that the drift card fills when the check answers: it reads every managed settings
 * file and hashes the published files, and the rest of the view need not wait for that (a
 * click on the view's buttons meanwhile must land on the view that stays).
 */
export async function driftSection(ctx: AppContext): Promise<HTMLElement> {
  const slot = h('div', { class: 'drift-slot' });
  void ctx.api.call('drift:get').then(
    (report) => {
      const card = driftCard(ctx, report);
      if (card) slot.append(card);
    },
    // Not worth a broken view: the tray's notices and `mtls-tray status` say the same.
    () => undefined,
  );
  return slot;
}
