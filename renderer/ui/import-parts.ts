/**
 * The two screens of bringing in a teammate's profile, shared by the import view and the
 * wizard: choosing the source (file or link) and the review that lists everything the profile
 * will set before anything is applied (with the passphrase when it carries an identity).
 */
import type { AppContext } from '../app-context';
import { h, uid } from '../dom';
import type { ImportDraft } from '../import-draft';
import { asyncButton, field, groupError } from './components';

export interface SourceErrors {
  file?: string | undefined;
  link?: string | undefined;
  source?: string | undefined;
}

export function importSourceFields(ctx: AppContext, draft: ImportDraft, errors: SourceErrors, redraw: () => void): HTMLElement {
  const radio = (mode: ImportDraft['mode'], label: string) => {
    const id = uid(`import-${mode}`);
    return h(
      'div',
      { class: 'choice' },
      h('input', {
        type: 'radio',
        name: 'import-mode',
        id,
        value: mode,
        checked: draft.mode === mode,
        onchange: () => {
          draft.mode = mode;
          draft.preview = null;
          redraw();
          document.getElementById(id)?.focus();
        },
      }),
      h('label', { for: id }, label),
    );
  };
  let detail: HTMLElement;
  if (draft.mode === 'file') {
    const chosen = h('span', { class: 'picked', 'data-testid': 'import-file-name' }, draft.file ? draft.file.name : 'No file chosen');
    detail = h(
      'div',
      { class: 'field', 'data-field': 'teammateFile' },
      h('span', { class: 'label' }, 'Profile file'),
      h(
        'div',
        { class: 'pick-row' },
        asyncButton(
          draft.file ? 'Choose another file…' : 'Choose file…',
          async () => {
            const f = await ctx.api.call('dialog:openFile', 'profile');
            if (!f) return;
            draft.file = f;
            draft.preview = null;
            redraw();
          },
          { class: 'btn', 'data-action': 'pick-profile' },
        ),
        ' ',
        chosen,
      ),
      groupError('teammateFile', errors.file),
    );
  } else {
    const area = h('textarea', { rows: 3, spellcheck: 'false', placeholder: 'mtls-tray://import?…', 'data-testid': 'import-link' });
    area.value = draft.link;
    area.addEventListener('input', () => {
      draft.link = area.value;
      draft.preview = null;
    });
    detail = field({ label: 'Link', field: 'teammateLink', error: errors.link }, area).wrap;
  }
  return h(
    'div',
    { class: 'import-source' },
    h('fieldset', null, h('legend', null, 'Where is the profile?'), radio('file', 'In a file my teammate sent'), radio('link', 'In a link (mtls-tray://…)')),
    detail,
    groupError('teammateSource', errors.source),
  );
}

/** Everything the import will set, as the main process reviewed it; nothing is applied yet. */
export function importReviewList(draft: ImportDraft, passphraseError?: string): HTMLElement {
  const p = draft.preview;
  if (!p) return h('p', null, 'Nothing to review yet.');
  let pass: HTMLElement | null = null;
  if (p.needsPassphrase) {
    const input = h('input', { type: 'password', autocomplete: 'off', 'data-testid': 'import-passphrase' });
    input.value = draft.passphrase;
    input.addEventListener('input', () => (draft.passphrase = input.value));
    pass = field(
      { label: 'Passphrase for the included identity', field: 'teammatePassphrase', hint: 'Your teammate chose it when exporting; ask them for it (not in the same chat as the file).', error: passphraseError },
      input,
    ).wrap;
  }
  return h(
    'div',
    { class: 'import-review', 'data-testid': 'import-review' },
    h('p', null, 'Importing this profile will set up the following. ', h('strong', null, 'Nothing has been changed yet.')),
    reviewFacts(p),
    pass,
  );
}

/**
 * The service's review lines ("Label:   value", the same the CLI prints) as one list of facts:
 * name and deployment once, in the order the CLI shows them.
 */
function reviewFacts(p: { name: string; url: string; review: string[] }): HTMLElement {
  const ids: Record<string, string> = { 'Profile name': 'import-name', Deployment: 'import-url' };
  return h(
    'dl',
    { class: 'facts', 'data-testid': 'import-facts' },
    p.review.flatMap((line) => {
      const at = line.indexOf(':');
      const label = at > 0 ? line.slice(0, at) : '';
      const value = at > 0 ? line.slice(at + 1).trim() : line;
      return [h('dt', null, label), h('dd', ids[label] ? { 'data-testid': ids[label] } : null, value)];
    }),
  );
}
