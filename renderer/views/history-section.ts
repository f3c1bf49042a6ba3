/**
 * Generation history: every certificate this profile has had (the kept ones), what made each
 * one, which one is in use, and a rollback to the one before it. Rolling back swaps the
 * `current` link, so no editor setting changes. Shown as a section of the status view and, from
 * the profiles view, as a dialog for any profile (`openHistoryDialog`).
 */
import type { GenerationDto, ProfileSummaryDto, StatusDto } from '../../main/ipc/contract';
import type { AppContext } from '../app-context';
import { h } from '../dom';
import { formatDate, formatDateTime } from '../format';
import { asyncButton, section, showError } from '../ui/components';
import { confirmDialog, openModal } from '../ui/modal';

/** What made a generation, in words (the store records create, import, renew, rotate, edit...). */
const OPERATIONS: Record<string, string> = {
  create: 'created',
  import: 'imported',
  renew: 'renewed',
  rotate: 'new key',
  edit: 'edited',
  'csr-complete': 'issued by your CA',
  reenrol: 'issued by your CA',
};

export function generationsTable(generations: readonly GenerationDto[]): HTMLElement {
  const gens = [...generations].sort((a, b) => b.number - a.number);
  if (!gens.length) return h('p', null, 'No generations yet.');
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'history', 'data-testid': 'history' },
      h('caption', { class: 'sr-only' }, 'Certificate generations, newest first'),
      h('thead', null, h('tr', null, ['Generation', 'Created', 'Made by', 'Serial', 'Fingerprint', 'Valid until', 'In use'].map((t) => h('th', { scope: 'col' }, t)))),
      h(
        'tbody',
        null,
        gens.map((g) =>
          h(
            'tr',
            { 'data-generation': g.number, class: g.current ? 'current' : '' },
            h('th', { scope: 'row' }, String(g.number)),
            h('td', null, formatDateTime(g.createdAt)),
            h('td', { 'data-testid': 'operation' }, g.operation ? (OPERATIONS[g.operation] ?? g.operation) : '—'),
            h('td', null, h('code', { title: g.serial }, g.serial.length > 20 ? `${g.serial.slice(0, 20)}…` : g.serial)),
            h('td', null, h('code', { title: g.fingerprintSha256 }, `${g.fingerprintSha256.slice(0, 23)}…`)),
            h('td', null, formatDate(g.notAfter)),
            h('td', null, g.current ? h('strong', null, '● in use') : ''),
          ),
        ),
      ),
    ),
  );
}

/** "Roll back to generation N" (confirmed), or a line saying why there is nothing to roll back to. */
function rollbackControl(ctx: AppContext, generations: readonly GenerationDto[], profileId: string, done: () => void): HTMLElement {
  const gens = [...generations].sort((a, b) => b.number - a.number);
  const current = gens.find((g) => g.current);
  const previous = current ? gens.find((g) => g.number < current.number) : undefined;
  if (!previous) {
    return h('p', { class: 'hint' }, gens.length > 1 ? 'The one in use is the oldest kept: there is nothing older to roll back to.' : 'Rollback becomes possible after the first renewal, rotation or edit.');
  }
  return h(
    'div',
    { class: 'actions' },
    asyncButton(
      `Roll back to generation ${previous.number}`,
      async () => {
        const ok = await confirmDialog(
          'Roll back?',
          `Generation ${previous.number} (serial ${previous.serial}, valid until ${formatDate(previous.notAfter)}) becomes the one in use. The editors pick it up on their next request; no setting changes.`,
          'Roll back',
        );
        if (!ok) return;
        const res = await ctx.api.call('profile:rollback', profileId);
        ctx.announce(res.message);
        done();
      },
      { class: 'btn', 'data-action': 'rollback' },
    ),
  );
}

export function historySection(ctx: AppContext, status: StatusDto, profileArg: [] | [string]): HTMLElement {
  const id = profileArg[0] ?? status.profile.id;
  return section('History', 'history-heading', generationsTable(status.generations), rollbackControl(ctx, status.generations, id, () => ctx.refresh()));
}

/** The history of any profile, from the profiles view: the same table and rollback, in a dialog. */
export async function openHistoryDialog(ctx: AppContext, profile: ProfileSummaryDto): Promise<void> {
  const m = openModal(`History of ${profile.name}`, { wide: true, testId: 'history-dialog' });
  let rolledBack = false;
  const close = h('button', { type: 'button', class: 'btn', 'data-action': 'close-history', onclick: () => m.close() }, 'Close');
  m.actions.append(close);
  const draw = async (focusRollback: boolean) => {
    try {
      const hist = await ctx.api.call('profile:history', profile.id);
      m.body.replaceChildren(
        h('p', null, hist.active ? 'The editors use this profile: a rollback takes effect on their next request.' : 'The editors use another profile; a rollback here changes what this profile uses when you switch to it.'),
        generationsTable(hist.generations),
        rollbackControl(ctx, hist.generations, profile.id, () => {
          rolledBack = true;
          void draw(true);
        }),
      );
      (focusRollback ? m.body.querySelector<HTMLElement>('[data-action="rollback"]') ?? close : close).focus();
    } catch (err) {
      const box = h('p', { class: 'action-error', role: 'alert' });
      showError(box, err);
      m.body.replaceChildren(box);
      close.focus();
    }
  };
  await draw(false);
  await m.closed;
  // The view behind is redrawn once the dialog is gone, so focus stays on the button that opened it.
  if (rolledBack) ctx.refresh();
}
