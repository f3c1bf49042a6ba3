/**
 * Where things are: the stable files the editors read, and each editor's settings.json with
 * whether it points at them (and its http.proxySupport, which decides whether the client
 * certificate is sent at all).
 */
import type { StatusDto } from '../../main/ipc/contract';
import type { AppContext } from '../app-context';
import { h } from '../dom';
import { badge, defList, section } from '../ui/components';
import { copyButton } from '../ui/copy-button';

function pathRow(ctx: AppContext, label: string, path: string | null, none: string): [string, HTMLElement] {
  if (!path) return [label, h('span', { class: 'muted' }, none)];
  return [label, h('span', { class: 'path-row' }, h('code', { class: 'path' }, path), copyButton(ctx, path, `Copy path`))];
}

export function filesSection(ctx: AppContext, status: StatusDto): HTMLElement {
  const f = status.files;
  return section(
    'Files',
    'files-heading',
    h(
      'p',
      { class: 'hint' },
      status.profile.pending
        ? 'These files appear when the certificate is imported. Their paths never change after that.'
        : 'These paths never change: renewing, rotating and rolling back replace what is behind them in one step.',
    ),
    h(
      'div',
      { 'data-testid': 'files' },
      defList([
        pathRow(ctx, 'Certificate', f.cert, ''),
        pathRow(ctx, 'Private key', f.key, ''),
        pathRow(ctx, 'CA bundle for the server', f.ca, "none: your system's trusted CAs check the server"),
        pathRow(ctx, 'Headers', f.headers, ''),
        pathRow(ctx, 'Header command', f.headerCommand, ''),
        pathRow(ctx, 'Refresh command', f.refreshCommand, ''),
      ]),
    ),
  );
}

export function editorsSection(status: StatusDto, actions: HTMLElement[]): HTMLElement {
  const shown = status.editors.filter((e) => e.installed || e.configured);
  const table = shown.length
    ? h(
        'table',
        { class: 'editors', 'data-testid': 'editors' },
        h('caption', { class: 'sr-only' }, 'Editors and their settings files'),
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Editor'), h('th', { scope: 'col' }, 'Settings file'), h('th', { scope: 'col' }, 'Uses this profile'), h('th', { scope: 'col' }, 'http.proxySupport'))),
        h(
          'tbody',
          null,
          shown.map((e) =>
            h(
              'tr',
              { 'data-editor': e.id },
              h('th', { scope: 'row' }, e.name),
              h('td', null, h('code', { class: 'path' }, e.settingsPath)),
              h(
                'td',
                null,
                e.error
                  ? h('span', { 'data-testid': 'settings-read-error' }, badge({ label: e.error.message, symbol: '!', tone: 'warn' }), e.error.fix ? h('p', { class: 'fix' }, e.error.fix) : null)
                  : e.configured ? badge({ label: 'Configured', symbol: '✓', tone: 'ok' })
                  // Issue 17: say what the drift section above says, not a generic "Not configured".
                  : e.drift.length ? badge({ label: 'Changed outside mtls-tray', symbol: '!', tone: 'warn' })
                  : e.keptTheirs ? badge({ label: 'Not managed (kept theirs)', symbol: '–', tone: 'info' })
                  // Waiting for the certificate, an editor not set up yet is the plan, not a problem.
                  : status.profile.pending ? badge({ label: 'Set up at the import', symbol: '…', tone: 'info' })
                  : badge({ label: 'Not configured', symbol: '!', tone: 'warn' }),
              ),
              h(
                'td',
                null,
                e.proxySupport === 'on' || e.proxySupport === 'off'
                  ? badge({ label: e.proxySupport, symbol: '✓', tone: 'ok' })
                  : status.profile.pending
                  ? badge({ label: `${e.proxySupport ?? 'not set'} (until the import)`, symbol: '…', tone: 'info' })
                  : badge({ label: e.proxySupport === null ? 'not set (acts as "override": certificate not sent)' : `${e.proxySupport} (certificate not sent)`, symbol: '!', tone: 'warn' }),
              ),
            ),
          ),
        ),
      )
    : h('p', null, 'No VS Code-family editor was found on this computer.');
  const values = Object.entries(status.settingsValues);
  return section(
    'Editors',
    'editors-heading',
    table,
    values.length
      ? h(
          'details',
          { class: 'settings-values' },
          h('summary', null, 'Setting values this profile uses'),
          defList(values.map(([k, v]) => [k, v === null ? h('span', { class: 'muted' }, 'left unset') : h('code', null, v)])),
        )
      : null,
    h('div', { class: 'actions' }, actions),
  );
}
