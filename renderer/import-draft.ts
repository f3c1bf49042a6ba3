/**
 * A teammate's profile on its way in: where it comes from (a picked file or a pasted link),
 * the review the main process made of it, and the passphrase if it carries an identity.
 * Shared by the import view and the wizard's "import a teammate's profile" path. Pure.
 */
import type { ImportPreviewDto, PickedFile } from '../main/ipc/contract';

export interface ImportDraft {
  mode: 'file' | 'link';
  file: PickedFile | null;
  link: string;
  preview: ImportPreviewDto | null;
  passphrase: string;
}

export function emptyImportDraft(): ImportDraft {
  return { mode: 'file', file: null, link: '', preview: null, passphrase: '' };
}

export const LINK_START = 'mtls-tray://import?';

export function checkImportSource(d: ImportDraft): { file?: string; link?: string } {
  if (d.mode === 'file') return d.file ? {} : { file: 'Choose the profile file your teammate sent (.mtlsprofile)' };
  const link = d.link.trim();
  if (link === '') return { link: 'Paste the link your teammate sent; it starts with mtls-tray://import?' };
  if (!link.startsWith(LINK_START)) return { link: `This is not an mtls-tray link: it must start with ${LINK_START}` };
  return {};
}

/** What `profile:importPreview` / `profile:import` take. */
export function importSource(d: ImportDraft): { file: string } | { link: string } {
  return d.mode === 'file' ? { file: d.file?.token ?? '' } : { link: d.link.trim() };
}

export function checkImportPassphrase(d: ImportDraft): string | null {
  return d.preview?.needsPassphrase && d.passphrase === '' ? 'This profile carries an identity; enter the passphrase your teammate gave you' : null;
}
