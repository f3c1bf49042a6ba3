/**
 * What an edit changes (the preview) or changed (after Apply), in the window's words: the new
 * generation (same key and certificate) for a CA bundle or headers, what waits for the next
 * renewal, and the editors' settings with the remote-reload notice first, since that is what
 * an open remote window will do.
 */
import type { EditResultDto, ProfileSummaryDto, SettingsFileResultDto } from '../../main/ipc/contract';
import { h } from '../dom';
import { CHANGED_LABELS, type EditDraft } from '../edit-draft';
import { settingsDiffList } from '../ui/settings-diff';

export const caIssued = (p: ProfileSummaryDto) => p.source === 'csr' || p.source === 'imported';

/** What the edit changes (or changed), in the window's words: generations, settings, next renewal. */
export function editSummary(profile: ProfileSummaryDto, res: EditResultDto, draft: EditDraft): HTMLElement[] {
  const will = res.dryRun;
  const out: HTMLElement[] = [];
  out.push(h('h3', null, will ? 'What Apply would change' : 'Saved'));
  out.push(h('p', { 'data-testid': 'edit-changed' }, `${will ? 'Changes' : 'Changed'}: ${res.changed.map((c) => CHANGED_LABELS[c] ?? c).join(', ') || 'nothing'}.`));
  const parts: string[] = [];
  if (res.changed.includes('caBundle')) parts.push(draft.caBundle.kind === 'remove' ? 'the CA bundle removed' : 'the new CA bundle');
  if (res.changed.includes('headers')) parts.push('the new headers');
  if (res.newGeneration) {
    out.push(
      h(
        'p',
        { 'data-testid': 'edit-generation' },
        will
          ? `A new generation with the same key and the same certificate, and ${parts.join(' and ')}. The editors pick it up on their next request.`
          : `Generation ${res.generation} is in use: the same key and certificate, with ${parts.join(' and ')}. The editors pick it up on their next request.`,
      ),
    );
  }
  if (res.fromNextRenewal.length) {
    const what = res.fromNextRenewal.filter((f) => !f.startsWith('keyAlgorithm')).map((f) => CHANGED_LABELS[f] ?? f);
    const key = res.fromNextRenewal.some((f) => f.startsWith('keyAlgorithm'));
    const ca = caIssued(profile);
    const sentences: string[] = [];
    if (what.length) sentences.push(`${capital(what.join(' and '))} ${what.length > 1 ? 'apply' : 'applies'} from ${ca ? 'the next certificate request' : 'the next renewal'}${ca ? '' : ' (Renew)'}.`);
    if (key) sentences.push(ca ? 'The key algorithm applies when you request a certificate for a new key.' : 'The key algorithm applies from the next key rotation (Rotate key).');
    sentences.push('The certificate in use does not change now.');
    out.push(h('p', { class: 'callout tone-info', 'data-testid': 'from-next-renewal' }, sentences.join(' ')));
  }
  if (!profile.active && res.changed.some((c) => c === 'altHost' || c === 'caBundle' || c === 'headers')) {
    out.push(h('p', { class: 'muted', 'data-testid': 'edit-not-active' }, 'The editors use another profile: they get these settings when you switch to this one.'));
  }
  return out;
}

/** "message. How to fix: fix." without doubled full stops. */
export function withFix(message: string, fix: string | undefined): string {
  const stop = (t: string) => (/[.!?]$/.test(t.trim()) ? t.trim() : `${t.trim()}.`);
  return fix ? `${stop(message)} How to fix: ${stop(fix)}` : stop(message);
}

function capital(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1) : s;
}

/** The settings diff per editor, with the reload notice first: it is what an open remote window will do. */
export function editSettingsPart(settings: SettingsFileResultDto[], mode: 'preview' | 'applied', profile: ProfileSummaryDto): HTMLElement {
  const touched = settings.filter((s) => s.changed);
  const reload = [...new Set(touched.flatMap((s) => s.reloadKeys))];
  const wrote = settings.filter((s) => s.wrote).length;
  const failed = settings.filter((s) => s.error);
  const box = h('div', { class: 'edit-settings' }, h('h3', null, 'Editor settings'));
  if (touched.length === 0 && failed.length === 0) {
    box.append(h('p', { 'data-testid': 'edit-no-settings' }, profile.active || settings.length ? 'No editor setting changes: nothing is written to settings.json.' : 'No editor setting changes now.'));
    return box;
  }
  if (reload.length) {
    box.append(
      h(
        'p',
        { class: 'callout tone-warn', role: mode === 'applied' ? 'status' : null, 'data-testid': 'reload-notice' },
        h('strong', null, mode === 'applied' ? 'Open remote windows will ask once to reload. ' : 'Open remote windows will ask once to reload after Apply. '),
        `${reload.join(', ')} ${mode === 'applied' ? 'changed' : 'changes'}, and the Coder extension reloads a remote window for ${reload.length === 1 ? 'it' : 'them'}: reload when asked. Local editor windows are not affected.`,
      ),
    );
  } else {
    box.append(h('p', { 'data-testid': 'no-reload' }, mode === 'applied' ? `Written: ${wrote} ${wrote === 1 ? 'file' : 'files'}, one write each. No editor window needs a reload.` : 'No editor window will need a reload for these changes.'));
  }
  for (const f of failed) box.append(h('p', { class: 'action-error', role: 'alert' }, `${f.path}: ${withFix(f.error!.message, f.error!.fix)}`));
  box.append(settingsDiffList(settings, mode));
  return box;
}
