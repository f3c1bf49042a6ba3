/**
 * The per-profile buttons the status view and the profiles view share: "Edit profile…",
 * "History…" and "Delete…". Delete asks first (the safe answer has focus) and says what goes:
 * the profile's kept certificates and private keys; editor settings stay as they are, since
 * they point at the active profile, which cannot be deleted.
 */
import type { ProfileSummaryDto } from '../../main/ipc/contract';
import type { AppContext } from '../app-context';
import { h } from '../dom';
import { asyncButton } from '../ui/components';
import { confirmDialog } from '../ui/modal';
import { openEditDialog } from './edit-dialog';
import { openHistoryDialog } from './history-section';

export function editProfileButton(ctx: AppContext, p: ProfileSummaryDto, opts: { id?: string } = {}): HTMLButtonElement {
  return h('button', { type: 'button', class: 'btn', 'data-action': opts.id ?? `edit-${p.id}`, onclick: () => void openEditDialog(ctx, p) }, 'Edit profile…');
}

export function historyButton(ctx: AppContext, p: ProfileSummaryDto): HTMLButtonElement {
  return h('button', { type: 'button', class: 'btn', 'data-action': `history-${p.id}`, onclick: () => void openHistoryDialog(ctx, p) }, 'History…');
}

/**
 * Delete, confirmed. The active profile's button is disabled with the reason beside it (the
 * caller shows it). `after`: what the window shows once the profile is gone.
 */
export function deleteProfileButton(ctx: AppContext, p: ProfileSummaryDto, after: 'refresh' | 'status', label = 'Delete'): HTMLButtonElement {
  return asyncButton(
    label,
    async () => {
      const hist = await ctx.api.call('profile:history', p.id).catch(() => null);
      const kept = hist?.generations.length ?? 0;
      const ok = await confirmDialog(
        `Delete ${p.name}?`,
        h(
          'div',
          { 'data-testid': 'delete-details' },
          h('p', null, `This removes the profile for ${p.url} from this computer: ${kept === 0 ? 'its settings' : `its ${kept} kept ${kept === 1 ? 'certificate' : 'certificates'} with ${kept === 1 ? 'its private key' : 'their private keys'}`}, its headers and CA bundle.`),
          p.source === 'csr' || p.source === 'imported' ? h('p', null, 'Its certificate came from your CA: to use this deployment again you would request a new one.') : null,
          h('p', null, 'Editor settings do not change: the editors use the active profile.'),
          h('p', null, h('strong', null, 'This cannot be undone.')),
        ),
        'Delete profile',
        { danger: true },
      );
      if (!ok) return;
      await ctx.api.call('profile:delete', p.id);
      ctx.announce(`Deleted ${p.name}`);
      if (after === 'status') ctx.navigate({ view: 'status' });
      else ctx.refresh();
    },
    { class: 'btn danger', 'data-action': `delete-${p.id}`, disabled: p.active, title: p.active ? 'The active profile cannot be deleted: switch to another one first' : undefined },
  );
}

/** The status view's toolbar additions: edit, and delete for a profile the editors do not use. */
export function statusProfileButtons(ctx: AppContext, p: ProfileSummaryDto): HTMLElement[] {
  return [editProfileButton(ctx, p, { id: 'edit-profile' }), ...(p.active ? [] : [deleteProfileButton(ctx, p, 'status', 'Delete profile…')])];
}
