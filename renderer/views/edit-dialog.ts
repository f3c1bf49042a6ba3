/**
 * Editing a profile in the window: everything `mtls-tray edit` can do (name, CA bundle, alt host,
 * headers, SANs, validity, key algorithm), previewed with the exact settings diff (the
 * `profile:edit` channel with dryRun) before it is applied, and the remote-reload notice after.
 * `focus` opens it at one field: the fix buttons of the status view use it ("Choose CA
 * bundle…", "Set alt host…", "Edit headers…").
 *
 * Keyboard: the fields are Tab stops in reading order, then "Preview changes" and Cancel.
 * Enter in a one-line field previews; after a preview focus sits on "Apply changes", so a second
 * Enter applies; Escape closes at any time, and nothing is written before Apply. Any change
 * after a preview takes the Apply button away until the next preview.
 */
import type { EditableProfileDto, EditChoice, EditResultDto, ProfileSummaryDto } from '../../main/ipc/contract';
import { KEY_ALGORITHMS, type KeyAlgorithm } from '../../main/base/vocabulary';
import { errorText } from '../api';
import type { AppContext } from '../app-context';
import { h, uid } from '../dom';
import { CHANGED_LABELS, changesAnything, checkDraft, draftFrom, EDIT_FIELDS, editChoice, editFieldForError, type EditDraft, type EditErrors, type EditField } from '../edit-draft';
import { asyncButton, field, groupError, showError } from '../ui/components';
import { headersEditor } from '../ui/headers-editor';
import { openModal } from '../ui/modal';
import { caIssued, editSettingsPart, editSummary, withFix } from './edit-result';

/** The part of the edit a fix button opens the dialog at. */
export type EditFocus = 'name' | 'caBundle' | 'altHost' | 'headers' | 'sans' | 'days' | 'keyAlgorithm';

const KEY_LABELS: Record<KeyAlgorithm, string> = {
  'ecdsa-p256': 'ECDSA P-256 (recommended)',
  'ecdsa-p384': 'ECDSA P-384',
  'rsa-2048': 'RSA 2048-bit',
  'rsa-3072': 'RSA 3072-bit',
  'rsa-4096': 'RSA 4096-bit',
};

/** Resolves when the dialog closes (applied or cancelled). */
export async function openEditDialog(ctx: AppContext, profile: ProfileSummaryDto, focus?: EditFocus): Promise<void> {
  const m = openModal(`Edit ${profile.name}`, { wide: true, testId: 'edit-dialog' });
  m.dialog.classList.add('edit-dialog');
  m.dialog.dataset.profile = profile.id;
  const loading = h('p', { class: 'muted' }, 'Reading the profile…');
  m.body.append(loading);
  const cancel = h('button', { type: 'button', class: 'btn', 'data-action': 'cancel-edit', onclick: () => m.close() }, 'Cancel');
  m.actions.append(cancel);
  let values: EditableProfileDto;
  try {
    values = (await ctx.api.call('profile:edit', profile.id, { dryRun: true })).values;
  } catch (err) {
    const box = h('p', { class: 'action-error', role: 'alert' });
    showError(box, err);
    loading.replaceWith(box);
    cancel.textContent = 'Close';
    cancel.focus();
    return m.closed;
  }
  if (!m.dialog.open) return m.closed;
  const form = editForm(ctx, m, profile, values, cancel);
  form.focusField(focus ?? 'name');
  await m.closed;
  // Redrawn after the dialog is gone, not while it shows: the redraw then keeps focus on the button that opened it.
  if (form.wroteSomething()) ctx.refresh();
}

interface FieldSlot {
  setError(message: string | null | undefined): void;
  focus(): void;
}

function editForm(ctx: AppContext, m: ReturnType<typeof openModal>, profile: ProfileSummaryDto, values: EditableProfileDto, cancel: HTMLButtonElement) {
  const draft: EditDraft = draftFrom(values);
  const formId = uid('edit-form');
  const slots = {} as Record<EditField, FieldSlot>;
  /** The request the shown preview was made for: Apply sends exactly that, or nothing. */
  let previewed: EditChoice | null = null;
  let wrote = false;

  const input = (id: string, value: string, set: (v: string) => void, extra: Record<string, string> = {}) => {
    const el = h('input', { type: 'text', id: uid(`edit-${id}`), name: id, autocomplete: 'off', spellcheck: 'false', ...extra });
    el.value = value;
    el.addEventListener('input', () => {
      set(el.value);
      edited(id as EditField);
    });
    return el;
  };
  const textSlot = (name: EditField, f: { wrap: HTMLElement; control: HTMLElement; setError(m: string | null | undefined): void }) => {
    slots[name] = { setError: f.setError, focus: () => f.control.focus() };
    return f.wrap;
  };

  // Name
  const nameField = textSlot('name', field({ label: 'Name', field: 'name', hint: 'What the tray and this window call the profile.' }, input('name', draft.name, (v) => (draft.name = v), { maxlength: '80' })));

  // CA bundle: a file chosen in the native dialog (the window holds only its name and a token).
  const caArea = h('div', { class: 'pick-row' });
  const caError = groupError('caBundle', undefined);
  caError.id = uid('edit-ca-error');
  const caLabelId = uid('edit-ca-label');
  const caState = h('p', { class: 'ca-state', id: uid('edit-ca-state'), 'data-testid': 'ca-bundle-state' });
  const caWrap = h(
    'div',
    { class: 'field picker', 'data-field': 'caBundle', role: 'group', 'aria-labelledby': caLabelId, 'aria-describedby': `${caState.id} ${caError.id}` },
    h('span', { class: 'label', id: caLabelId }, 'CA bundle'),
    h('p', { class: 'hint' }, "The CA certificates that check the deployment's server certificate. Without one, your system's trusted CAs do."),
    caState,
    caArea,
    caError,
  );
  const drawCa = (focusAction?: string) => {
    const c = draft.caBundle;
    caState.textContent =
      c.kind === 'file' ? `New: ${c.file.name} (replaces ${values.hasCaBundle ? 'the current bundle' : 'the system CAs'} when you apply)`
      : c.kind === 'remove' ? 'Removed when you apply: your system\'s trusted CAs will check the server.'
      : values.hasCaBundle ? 'This profile has its own CA bundle.' : "None: your system's trusted CAs check the server.";
    const choose = asyncButton(
      c.kind === 'file' || values.hasCaBundle ? 'Choose another CA bundle…' : 'Choose CA bundle…',
      async () => {
        const picked = await ctx.api.call('dialog:openFile', 'ca-bundle');
        if (!picked) return;
        draft.caBundle = { kind: 'file', file: picked };
        setCaError(null);
        drawCa('pick-caBundle');
        edited('caBundle');
      },
      { class: 'btn', 'data-action': 'pick-caBundle' },
    );
    const remove = (c.kind === 'keep' && values.hasCaBundle) || (c.kind === 'file' && values.hasCaBundle)
      ? h('button', { type: 'button', class: 'btn', 'data-action': 'remove-caBundle', onclick: () => { draft.caBundle = { kind: 'remove' }; drawCa('undo-caBundle'); edited('caBundle'); } }, 'Remove CA bundle')
      : null;
    const undo = c.kind !== 'keep'
      ? h('button', { type: 'button', class: 'btn', 'data-action': 'undo-caBundle', onclick: () => { draft.caBundle = { kind: 'keep' }; drawCa('pick-caBundle'); edited('caBundle'); } }, c.kind === 'file' ? 'Keep the current one' : 'Keep the CA bundle')
      : null;
    caArea.replaceChildren(...[choose, remove, undo].filter((x): x is HTMLButtonElement => x !== null));
    if (focusAction) caArea.querySelector<HTMLElement>(`[data-action="${focusAction}"]`)?.focus();
  };
  const setCaError = (message: string | null | undefined) => {
    caError.replaceChildren();
    caError.hidden = !message;
    caWrap.classList.toggle('invalid', Boolean(message));
    if (message) caError.append(h('span', { class: 'sym', 'aria-hidden': 'true' }, '✕ '), message);
  };
  drawCa();
  slots.caBundle = { setError: setCaError, focus: () => caArea.querySelector<HTMLElement>('button')?.focus() };

  // Alt host
  const altField = textSlot(
    'altHost',
    field(
      { label: 'Alt host (optional)', field: 'altHost', hint: "The name on the server's certificate when it differs from the address's host (coder.tlsAltHost). Leave empty to remove it." },
      input('altHost', draft.altHost, (v) => (draft.altHost = v), { placeholder: 'coder.internal.example.com' }),
    ),
  );

  // Headers
  const headers = headersEditor(draft.headers, { idPrefix: uid('edit-header'), onChange: () => edited('headers') });
  slots.headers = { setError: headers.setError, focus: headers.focus };

  // SANs
  const sanArea = h('textarea', { id: uid('edit-sans'), name: 'sans', rows: 3, spellcheck: 'false', placeholder: 'email:{user}@example.com' });
  sanArea.value = draft.sans;
  sanArea.addEventListener('input', () => {
    draft.sans = sanArea.value;
    edited('sans');
  });
  const nextCert = caIssued(profile) ? 'the next certificate request' : 'the next renewal';
  const sanField = textSlot(
    'sans',
    field(
      { label: 'Names in the certificate (SANs)', field: 'sans', hint: h('span', null, 'One per line, like ', h('code', null, 'email:alice@example.com'), ' or ', h('code', null, 'DNS:laptop'), '. ', h('code', null, '{user}'), ' and ', h('code', null, '{hostname}'), ` stand for your login and computer name. Used from ${nextCert}.`) },
      sanArea,
    ),
  );

  // Validity
  const daysField = textSlot(
    'days',
    field(
      { label: 'Valid for (days)', field: 'days', hint: caIssued(profile) ? 'Your CA may choose another lifetime.' : 'Used from the next renewal; renewed automatically after two thirds of this time.' },
      input('days', draft.days, (v) => (draft.days = v), { inputmode: 'numeric' }),
    ),
  );

  // Key algorithm
  const keySelect = h('select', { id: uid('edit-key'), name: 'keyAlgorithm' }, KEY_ALGORITHMS.map((k) => h('option', { value: k, selected: k === draft.keyAlgorithm }, KEY_LABELS[k])));
  keySelect.addEventListener('change', () => {
    draft.keyAlgorithm = keySelect.value as KeyAlgorithm;
    edited('keyAlgorithm');
  });
  const keyField = textSlot(
    'keyAlgorithm',
    field({ label: 'Key algorithm', field: 'keyAlgorithm', hint: caIssued(profile) ? 'Used when you request a certificate for a new key.' : 'Used from the next key rotation (Rotate key); renewals keep the current key.' }, keySelect),
  );

  const general = h('p', { class: 'action-error', role: 'alert', hidden: true, 'data-testid': 'edit-error' });
  const preview = h('div', { class: 'edit-preview', 'aria-live': 'polite', 'data-testid': 'edit-preview' });
  const form = h(
    'form',
    { id: formId, class: 'edit-form', novalidate: true, onsubmit: (ev: Event) => { ev.preventDefault(); previewButton.click(); } },
    nameField,
    caWrap,
    altField,
    headers.el,
    h('fieldset', { class: 'renewal-fields' }, h('legend', null, `Used from ${nextCert}`), sanField, daysField, keyField),
  );
  m.body.replaceChildren(form, general, preview);

  const previewButton = asyncButton('Preview changes', () => runPreview(), { class: 'btn primary', type: 'submit', 'data-action': 'preview-edit', errorTarget: general });
  previewButton.setAttribute('form', formId);
  const applyButton = asyncButton('Apply changes', () => runApply(), { class: 'btn primary', 'data-action': 'apply-edit', errorTarget: general });
  applyButton.hidden = true;
  m.actions.replaceChildren(applyButton, previewButton, cancel);

  /** Anything typed after a preview makes it stale: no Apply until the next preview. */
  function edited(name: EditField) {
    slots[name].setError(null);
    if (previewed !== null) {
      previewed = null;
      preview.replaceChildren(h('p', { class: 'muted' }, 'Changed since the preview: preview again to see what Apply would do.'));
    }
    applyButton.hidden = true;
    previewButton.classList.add('primary');
    showError(general, null);
  }

  function showErrors(errors: EditErrors): boolean {
    let first: EditField | null = null;
    for (const f of EDIT_FIELDS) {
      slots[f].setError(errors[f]);
      if (errors[f] && first === null) first = f;
    }
    if (errors.general) {
      general.replaceChildren(errors.general);
      general.hidden = false;
    }
    if (first !== null) slots[first].focus();
    return first !== null || Boolean(errors.general);
  }

  /** Main's error at the field it is about (nothing was written); the whole-edit ones under the form. */
  function placeError(err: unknown, req: EditChoice) {
    const e = errorText(err);
    const where = editFieldForError(e, req);
    if (where === 'general') throw err;
    slots[where].setError(withFix(e.message, e.fix));
    slots[where].focus();
  }

  async function runPreview() {
    for (const f of EDIT_FIELDS) slots[f].setError(null);
    if (showErrors(checkDraft(draft))) return;
    const req = editChoice(values, draft, true);
    if (!changesAnything(req)) {
      previewed = null;
      applyButton.hidden = true;
      preview.replaceChildren(h('p', { 'data-testid': 'edit-nothing' }, 'Nothing to change: every field holds what the profile has now.'));
      return;
    }
    let res: EditResultDto;
    try {
      res = await ctx.api.call('profile:edit', profile.id, req);
    } catch (err) {
      preview.replaceChildren();
      placeError(err, req);
      return;
    }
    previewed = req;
    preview.replaceChildren(...editSummary(profile, res, draft), editSettingsPart(res.settings, 'preview', profile));
    applyButton.hidden = false;
    previewButton.classList.remove('primary');
    applyButton.focus();
  }

  async function runApply() {
    if (previewed === null) return;
    const { dryRun: _d, ...req } = previewed;
    let res: EditResultDto;
    try {
      res = await ctx.api.call('profile:edit', profile.id, req);
    } catch (err) {
      placeError(err, req);
      return;
    }
    wrote = true;
    ctx.announce(`Saved ${res.profile.name}: ${res.changed.map((c) => CHANGED_LABELS[c] ?? c).join(', ')}`);
    const close = h('button', { type: 'button', class: 'btn primary', 'data-action': 'close-edit', onclick: () => m.close() }, 'Close');
    const renew = res.fromNextRenewal.length && res.profile.canRenew && !res.profile.pending
      ? asyncButton('Renew now', async () => {
          const r = await ctx.api.call('profile:renew', res.profile.id);
          renewed.replaceChildren(r.message);
          renewed.hidden = false;
          renew?.remove();
          close.focus();
        }, { class: 'btn', 'data-action': 'renew-after-edit' })
      : null;
    const renewed = h('p', { class: 'muted', role: 'status', hidden: true, 'data-testid': 'renewed-after-edit' });
    m.body.replaceChildren(h('div', { class: 'edit-result', 'data-testid': 'edit-result' }, ...editSummary(profile, res, draft), renewed, editSettingsPart(res.settings, 'applied', profile)));
    m.actions.replaceChildren(...(renew ? [renew] : []), close);
    close.focus();
  }

  return {
    focusField(f: EditFocus) {
      slots[f].focus();
    },
    wroteSomething: () => wrote,
  };
}
