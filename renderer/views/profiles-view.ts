/**
 * Profiles: switch, edit, rename, history, share, delete (confirmed; the active one cannot be
 * deleted), and a way to add or import another.
 */
import type { ProfileSummaryDto } from '../../main/ipc/contract';
import type { AppContext } from '../app-context';
import { h } from '../dom';
import { daysLeftText, levelInfo, SOURCE_LABELS } from '../format';
import { asyncButton, badge, field } from '../ui/components';
import { checkProfileName } from '../validate';
import { openExportDialog } from './export-dialog';
import { deleteProfileButton, editProfileButton, historyButton } from './profile-actions';

export async function renderProfilesView(ctx: AppContext): Promise<HTMLElement> {
  const profiles = await ctx.api.call('profiles:list');
  return h(
    'div',
    { class: 'view profiles-view', 'data-testid': 'profiles-view' },
    h('div', { class: 'view-head' }, h('h1', { tabindex: -1 }, 'Profiles')),
    h('p', null, 'A profile is one Coder deployment and the certificate you use for it. The editors use the active one.'),
    h('ul', { class: 'profile-list' }, profiles.map((p) => profileCard(ctx, p))),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', class: 'btn', 'data-action': 'new-profile', onclick: () => ctx.navigate({ view: 'wizard', firstRun: false }) }, 'New profile'),
      h('button', { type: 'button', class: 'btn', 'data-action': 'import-profile', onclick: () => ctx.navigate({ view: 'import' }) }, 'Import a profile'),
    ),
  );
}

function profileCard(ctx: AppContext, p: ProfileSummaryDto): HTMLElement {
  const nameHeading = h('h2', null, p.name);
  const card = h(
    'li',
    { class: `card profile-card${p.active ? ' active' : ''}`, 'data-profile': p.id },
    h('div', { class: 'card-head' }, nameHeading, badge(levelInfo(p.level)), p.active ? h('span', { class: 'pill' }, '● Active') : null),
    h('p', { class: 'muted' }, `${p.url} · ${SOURCE_LABELS[p.source] ?? p.source} · ${daysLeftText(p.daysLeft)}`),
  );
  const renameArea = h('div', { class: 'rename-area' });
  const deleteNote = p.active ? h('p', { class: 'hint' }, 'The active profile cannot be deleted: switch to another one first.') : null;
  const actions = h(
    'div',
    { class: 'actions' },
    h('button', { type: 'button', class: 'btn', 'data-action': `status-${p.id}`, onclick: () => ctx.navigate(p.active ? { view: 'status' } : { view: 'status', profileId: p.id }) }, 'Status'),
    p.active
      ? null
      : asyncButton(
          'Switch to this profile',
          async () => {
            const res = await ctx.api.call('profile:switch', p.id);
            const changed = res.settings.filter((s) => s.wrote).length;
            ctx.announce(`Switched to ${p.name}${changed ? `; ${changed} settings ${changed === 1 ? 'file' : 'files'} updated` : ''}`);
            ctx.refresh();
          },
          { class: 'btn primary', 'data-action': `switch-${p.id}` },
        ),
    editProfileButton(ctx, p),
    h('button', { type: 'button', class: 'btn', 'data-action': `rename-${p.id}`, onclick: () => startRename() }, 'Rename'),
    p.pending ? null : historyButton(ctx, p),
    h('button', { type: 'button', class: 'btn', 'data-action': `export-${p.id}`, onclick: () => openExportDialog(ctx, p) }, 'Share…'),
    deleteProfileButton(ctx, p, 'refresh'),
  );
  card.append(actions, deleteNote ?? '', renameArea);

  function startRename() {
    const input = h('input', { type: 'text', value: p.name, maxlength: 80, autocomplete: 'off' });
    const f = field({ label: `New name for ${p.name}`, field: 'rename' }, input);
    const form = h('form', { class: 'rename-form', novalidate: true }, f.wrap);
    const save = asyncButton(
      'Save name',
      async () => {
        const msg = checkProfileName(input.value);
        f.setError(msg);
        if (msg) {
          input.focus();
          return;
        }
        try {
          await ctx.api.call('profile:rename', p.id, input.value.trim());
        } catch (err) {
          f.setError(err instanceof Error ? err.message : String(err));
          input.focus();
          return;
        }
        ctx.announce(`Renamed to ${input.value.trim()}`);
        ctx.refresh();
      },
      { class: 'btn primary', type: 'submit', 'data-action': 'save-rename' },
    );
    const cancel = h('button', { type: 'button', class: 'btn', onclick: () => { renameArea.replaceChildren(); card.querySelector<HTMLElement>(`[data-action="rename-${p.id}"]`)?.focus(); } }, 'Cancel');
    form.append(h('div', { class: 'actions' }, save, cancel));
    renameArea.replaceChildren(form);
    input.focus();
    input.select();
  }
  return card;
}
