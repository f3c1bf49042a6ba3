/**
 * Modal dialogs on the native <dialog> element: showModal() makes the rest of the window inert,
 * Escape closes it, and focus returns to the control that opened it, so keyboard users never
 * lose their place.
 */
import { h, uid, type Child } from '../dom';

export interface ModalHandle {
  dialog: HTMLDialogElement;
  body: HTMLElement;
  actions: HTMLElement;
  close(): void;
  /** Resolves when the dialog closes, however it closed. */
  closed: Promise<void>;
}

export function openModal(title: string, opts: { wide?: boolean; testId?: string } = {}): ModalHandle {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const titleId = uid('dlg-title');
  const body = h('div', { class: 'dialog-body' });
  const actions = h('div', { class: 'actions' });
  const dialog = h(
    'dialog',
    { class: opts.wide ? 'modal wide' : 'modal', 'aria-labelledby': titleId, 'data-testid': opts.testId },
    h('h2', { id: titleId }, title),
    body,
    actions,
  );
  document.body.append(dialog);
  let resolveClosed: () => void = () => {};
  const closed = new Promise<void>((r) => (resolveClosed = r));
  // The view behind may have been redrawn meanwhile (e.g. after Apply): find the opener again by its action.
  const openerAction = opener?.dataset.action;
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (opener?.isConnected) opener.focus();
    else if (openerAction) document.querySelector<HTMLElement>(`[data-action="${CSS.escape(openerAction)}"]`)?.focus();
    resolveClosed();
  });
  dialog.showModal();
  return { dialog, body, actions, close: () => dialog.close(), closed };
}

/** Yes/no question; resolves true only when the user confirms. */
export async function confirmDialog(title: string, message: Child, confirmLabel: string, opts: { danger?: boolean } = {}): Promise<boolean> {
  const m = openModal(title, { testId: 'confirm-dialog' });
  let answer = false;
  m.body.append(h('div', null, message));
  const cancel = h('button', { type: 'button', class: 'btn', onclick: () => m.close() }, 'Cancel');
  const ok = h('button', { type: 'button', class: opts.danger ? 'btn danger' : 'btn primary', onclick: () => { answer = true; m.close(); } }, confirmLabel);
  m.actions.append(cancel, ok);
  // The safe choice has focus, so Enter on a destructive question does nothing harmful.
  (opts.danger ? cancel : ok).focus();
  await m.closed;
  return answer;
}
