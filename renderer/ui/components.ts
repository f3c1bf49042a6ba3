/**
 * Small building blocks every view uses: a labelled field with its error next to it, a status
 * badge that says its state in words (colour is only a second cue), an async button that shows
 * it is busy and reports failure where the user is looking, and a definition list.
 */
import { errorText } from '../api';
import { h, uid, type Child } from '../dom';
import type { LevelInfo } from '../format';

export interface FieldHandle<E extends HTMLElement> {
  wrap: HTMLElement;
  control: E;
  setError(message: string | null | undefined): void;
}

export interface FieldOptions {
  label: string;
  hint?: Child;
  /** Name used by tests and by error placement: `data-field`. */
  field: string;
  error?: string | undefined;
}

/** Wires label, hint and error to a control the caller made (input, select, textarea). */
export function field<E extends HTMLElement>(opts: FieldOptions, control: E): FieldHandle<E> {
  const id = control.id || uid(`f-${opts.field}`);
  control.id = id;
  const hintId = `${id}-hint`;
  const errId = `${id}-error`;
  const err = h('p', { class: 'field-error', id: errId, role: 'alert', hidden: true });
  const describedBy = [opts.hint ? hintId : null, errId].filter(Boolean).join(' ');
  control.setAttribute('aria-describedby', describedBy);
  const wrap = h(
    'div',
    { class: 'field', 'data-field': opts.field },
    h('label', { for: id }, opts.label),
    opts.hint ? h('p', { class: 'hint', id: hintId }, opts.hint) : null,
    control,
    err,
  );
  const setError = (message: string | null | undefined) => {
    if (message) {
      err.replaceChildren(h('span', { class: 'sym', 'aria-hidden': 'true' }, '✕ '), message);
      err.hidden = false;
      control.setAttribute('aria-invalid', 'true');
      wrap.classList.add('invalid');
    } else {
      err.replaceChildren();
      err.hidden = true;
      control.removeAttribute('aria-invalid');
      wrap.classList.remove('invalid');
    }
  };
  setError(opts.error);
  return { wrap, control, setError };
}

/** An error shown beside a group of controls that has no single input (a radio group, a list). */
export function groupError(fieldName: string, message: string | undefined): HTMLElement {
  const p = h('p', { class: 'field-error', role: 'alert', 'data-error-for': fieldName, hidden: !message });
  if (message) p.append(h('span', { class: 'sym', 'aria-hidden': 'true' }, '✕ '), message);
  return p;
}

export function badge(info: LevelInfo, text?: string): HTMLElement {
  return h(
    'span',
    { class: `badge tone-${info.tone}` },
    h('span', { class: 'sym', 'aria-hidden': 'true' }, info.symbol),
    ' ',
    text ?? info.label,
  );
}

export interface AsyncButtonOptions {
  class?: string;
  /** Where a failure is reported; defaults to a message right after the button. */
  errorTarget?: HTMLElement;
  title?: string;
  disabled?: boolean;
  type?: 'button' | 'submit';
  [data: `data-${string}`]: string;
}

/**
 * A button running an async action: disabled and marked busy while it runs (no double
 * submissions), the failure shown next to it with the service's fix.
 */
export function asyncButton(label: string, action: () => Promise<void>, opts: AsyncButtonOptions = {}): HTMLButtonElement {
  const { class: cls, errorTarget, title, disabled, type, ...data } = opts;
  const btn = h('button', { type: type ?? 'button', class: cls ?? 'btn', title, disabled: disabled ?? false, ...data });
  btn.append(label);
  let ownError: HTMLElement | null = null;
  btn.addEventListener('click', async (ev) => {
    ev.preventDefault();
    if (btn.getAttribute('aria-busy') === 'true') return;
    btn.setAttribute('aria-busy', 'true');
    btn.disabled = true;
    const target = errorTarget ?? (ownError ??= h('p', { class: 'action-error', role: 'alert' }));
    showError(target, null);
    try {
      await action();
    } catch (err) {
      if (!errorTarget && ownError && !ownError.isConnected) btn.after(ownError);
      showError(target, err);
    } finally {
      btn.removeAttribute('aria-busy');
      btn.disabled = false;
    }
  });
  return btn;
}

/** Writes an error (message + fix) into an element, or clears it. */
export function showError(target: HTMLElement, err: unknown): void {
  if (err === null || err === undefined) {
    target.replaceChildren();
    target.hidden = true;
    return;
  }
  const e = errorText(err);
  target.hidden = false;
  target.replaceChildren(h('span', { class: 'sym', 'aria-hidden': 'true' }, '✕ '), e.message);
  if (e.fix) target.append(h('span', { class: 'fix' }, ' ', h('strong', null, 'How to fix: '), e.fix));
  target.dataset.code = e.code;
}

export function defList(rows: Array<[string, Child] | null | false>): HTMLDListElement {
  return h(
    'dl',
    { class: 'facts' },
    rows.filter((r): r is [string, Child] => Boolean(r)).map(([k, v]) => [h('dt', null, k), h('dd', null, v)]),
  );
}

export function section(title: string, headingId: string, ...children: Child[]): HTMLElement {
  return h('section', { class: 'card', 'aria-labelledby': headingId }, h('h2', { id: headingId }, title), ...children);
}
