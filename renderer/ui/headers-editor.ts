/**
 * Request headers as rows of name and value, with "Add a header", a Remove per row and, per
 * value, a list that inserts a certificate placeholder at the cursor (`{{cert.spki.sha256}}`
 * and the others main fills in when it writes each generation's headers file). The rows are
 * the caller's array, changed in place; `onChange` runs after every change. Keyboard: each
 * control is a Tab stop in reading order; removing a row moves focus to its neighbour.
 */
import { HEADER_PLACEHOLDERS } from '../../main/base/vocabulary';
import { h } from '../dom';
import { groupError } from './components';

export interface HeaderRow {
  name: string;
  value: string;
}

export interface HeadersEditor {
  el: HTMLElement;
  setError(message: string | null | undefined): void;
  /** The first header's name, or "Add a header" when there is none. */
  focus(): void;
}

export function headersEditor(rows: HeaderRow[], opts: { idPrefix: string; onChange(): void }): HeadersEditor {
  const { idPrefix } = opts;
  const labelId = `${idPrefix}-label`;
  const errorId = `${idPrefix}-error`;
  const list = h('div', { class: 'header-rows' });
  const err = groupError('headers', undefined);
  err.id = errorId;
  const add = h('button', { type: 'button', class: 'btn', 'data-action': 'add-header', onclick: () => {
    rows.push({ name: '', value: '' });
    changed(`#${idPrefix}-name-${rows.length - 1}`);
  } }, 'Add a header');
  const el = h(
    'div',
    { class: 'field headers-editor', 'data-field': 'headers', role: 'group', 'aria-labelledby': labelId, 'aria-describedby': `${idPrefix}-hint ${errorId}` },
    h('span', { class: 'label', id: labelId }, 'Headers'),
    h(
      'p',
      { class: 'hint', id: `${idPrefix}-hint` },
      'Sent with every request to Coder, for a gateway that wants them. A value may hold ',
      h('code', null, '{{cert.spki.sha256}}'),
      " (your key's fingerprint: it stays the same when the certificate is renewed) or another placeholder from the list beside it.",
    ),
    list,
    err,
    add,
  );

  function changed(focusSelector?: string) {
    draw();
    opts.onChange();
    if (focusSelector) el.querySelector<HTMLElement>(focusSelector)?.focus();
  }

  function row(r: HeaderRow, i: number): HTMLElement {
    const n = i + 1;
    const nameIn = h('input', { type: 'text', id: `${idPrefix}-name-${i}`, autocomplete: 'off', spellcheck: 'false', placeholder: 'X-Team' });
    nameIn.value = r.name;
    nameIn.addEventListener('input', () => {
      r.name = nameIn.value;
      opts.onChange();
    });
    const valueIn = h('input', { type: 'text', id: `${idPrefix}-value-${i}`, autocomplete: 'off', spellcheck: 'false', placeholder: 'platform' });
    valueIn.value = r.value;
    valueIn.addEventListener('input', () => {
      r.value = valueIn.value;
      opts.onChange();
    });
    const insert = h(
      'select',
      { id: `${idPrefix}-insert-${i}`, 'data-action': `insert-placeholder-${i}` },
      h('option', { value: '' }, 'Insert placeholder…'),
      HEADER_PLACEHOLDERS.map((p) => h('option', { value: p }, `{{${p}}}`)),
    );
    insert.addEventListener('change', () => {
      if (!insert.value) return;
      const token = `{{${insert.value}}}`;
      const at = valueIn.selectionStart ?? valueIn.value.length;
      const end = valueIn.selectionEnd ?? at;
      valueIn.value = valueIn.value.slice(0, at) + token + valueIn.value.slice(end);
      r.value = valueIn.value;
      insert.value = '';
      opts.onChange();
      valueIn.focus();
      valueIn.setSelectionRange(at + token.length, at + token.length);
    });
    return h(
      'div',
      { class: 'header-row edit-header-row', role: 'group', 'aria-label': `Header ${n}`, 'data-header': i },
      h('div', { class: 'field' }, h('label', { for: nameIn.id }, `Header ${n} name`), nameIn),
      h('div', { class: 'field' }, h('label', { for: valueIn.id }, `Header ${n} value`), valueIn),
      h('div', { class: 'field' }, h('label', { for: insert.id }, 'Placeholder'), insert),
      h(
        'button',
        {
          type: 'button',
          class: 'btn small',
          'data-action': `remove-header-${i}`,
          'aria-label': `Remove header ${n}${r.name ? ` (${r.name})` : ''}`,
          onclick: () => {
            rows.splice(i, 1);
            changed(rows.length ? `#${idPrefix}-name-${Math.min(i, rows.length - 1)}` : '[data-action="add-header"]');
          },
        },
        'Remove',
      ),
    );
  }

  function draw() {
    list.replaceChildren(...(rows.length ? rows.map(row) : [h('p', { class: 'muted', 'data-testid': 'no-headers' }, 'No headers: the editor starts no header command.')]));
  }
  draw();

  return {
    el,
    setError(message) {
      err.replaceChildren();
      err.hidden = !message;
      el.classList.toggle('invalid', Boolean(message));
      if (message) err.append(h('span', { class: 'sym', 'aria-hidden': 'true' }, '✕ '), message);
    },
    focus() {
      (el.querySelector<HTMLElement>(`#${idPrefix}-name-0`) ?? add).focus();
    },
  };
}
