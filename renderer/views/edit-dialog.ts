/**
 * Editing a profile in the window: everything `mtls-tray edit` can do (name, CA bundle, alt host,
 * headers, SANs, validity, key algorithm), previewed with the exact settings diff (the
 * `profile:edit` channel with dryRun) before it is applied, and the remote-reload notice after.
 * `focus` opens it at one field: the fix buttons of the status view use it ("Choose CA
 * bundle…", "Set alt host…", "Edit headers…").
 */
import type { ProfileSummaryDto } from '../../main/ipc/contract';
import type { AppContext } from '../app-context';

/** The part of the edit a fix button opens the dialog at. */
export type EditFocus = 'name' | 'caBundle' | 'altHost' | 'headers' | 'sans' | 'days' | 'keyAlgorithm';

/** Resolves when the dialog closes (applied or cancelled). */
export async function openEditDialog(ctx: AppContext, profile: ProfileSummaryDto, focus?: EditFocus): Promise<void> {
  void ctx;
  void profile;
  void focus;
  throw new Error('openEditDialog: not built yet (issue 15, edit in the window)');
}
