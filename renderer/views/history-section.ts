/**
 * Generation history: every certificate this profile has had (the kept ones), which one is in
 * use, and a rollback to the one before it. Rolling back swaps the `current` link, so no
 * editor setting changes.
 */
import type { StatusDto } from '../../main/ipc/contract';
import type { AppContext } from '../app-context';
import { h } from '../dom';
import { formatDate, formatDateTime } from '../format';
import { asyncButton, section } from '../ui/components';
import { confirmDialog } from '../ui/modal';

export function historySection(ctx: AppContext, status: StatusDto, profileArg: [] | [string]): HTMLElement {
  const gens = [...status.generations].sort((a, b) => b.number - a.number);
  const current = gens.find((g) => g.current);
  const previous = current ? gens.find((g) => g.number < current.number) : undefined;
  const rollback = previous
    ? asyncButton(
        `Roll back to generation ${previous.number}`,
        async () => {
          const ok = await confirmDialog(
            'Roll back?',
            `Generation ${previous.number} (serial ${previous.serial}, valid until ${formatDate(previous.notAfter)}) becomes the one in use. The editors pick it up on their next request; no setting changes.`,
            'Roll back',
          );
          if (!ok) return;
          const res = await ctx.api.call('profile:rollback', ...profileArg);
          ctx.announce(res.message);
          ctx.refresh();
        },
        { class: 'btn', 'data-action': 'rollback' },
      )
    : null;
  return section(
    'History',
    'history-heading',
    gens.length
      ? h(
          'table',
          { class: 'history', 'data-testid': 'history' },
          h('caption', { class: 'sr-only' }, 'Certificate generations, newest first'),
          h(
            'thead',
            null,
            h('tr', null, ['Generation', 'Created', 'Serial', 'Fingerprint', 'Valid until', 'In use'].map((t) => h('th', { scope: 'col' }, t))),
          ),
          h(
            'tbody',
            null,
            gens.map((g) =>
              h(
                'tr',
                { 'data-generation': g.number, class: g.current ? 'current' : '' },
                h('th', { scope: 'row' }, String(g.number)),
                h('td', null, formatDateTime(g.createdAt)),
                h('td', null, h('code', null, g.serial.length > 20 ? `${g.serial.slice(0, 20)}…` : g.serial)),
                h('td', null, h('code', { title: g.fingerprintSha256 }, `${g.fingerprintSha256.slice(0, 23)}…`)),
                h('td', null, formatDate(g.notAfter)),
                h('td', null, g.current ? h('strong', null, '● in use') : ''),
              ),
            ),
          ),
        )
      : h('p', null, 'No generations yet.'),
    rollback
      ? h('div', { class: 'actions' }, rollback)
      : h('p', { class: 'hint' }, gens.length > 1 ? 'The one in use is the oldest kept: there is nothing older to roll back to.' : 'Rollback becomes possible after the first renewal or rotation.'),
  );
}
