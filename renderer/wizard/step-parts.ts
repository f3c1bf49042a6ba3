/**
 * Inputs bound to the wizard's state: each writes what is typed straight into the state, so
 * Back and Next (which redraw the step) show it again, and each carries its error next to it.
 */
import type { PickedFile } from '../../main/ipc/contract';
import type { AppContext } from '../app-context';
import { h, type Child } from '../dom';
import { asyncButton, field, groupError } from '../ui/components';
import type { FieldErrors, FieldId, StepId, WizardState } from './wizard-state';

export interface StepEnv {
  ctx: AppContext;
  s: WizardState;
  errors: FieldErrors;
  /** Draws the current step again, then focuses the element matching `focus`. */
  redraw(focus?: string): void;
  goTo(step: StepId): void;
  /** Runs the deployment check again in place (after the CA bundle changed), when one was shown. */
  recheckDeployment(): void;
}

export interface TextOpts {
  hint?: Child;
  type?: 'text' | 'password' | 'number' | 'url';
  placeholder?: string;
  autocomplete?: string;
  inputmode?: string;
  onInput?: (value: string) => void;
}

export function textField(env: StepEnv, id: FieldId, label: string, value: string, set: (v: string) => void, opts: TextOpts = {}): HTMLElement {
  const input = h('input', {
    type: opts.type ?? 'text',
    id: `wz-${id}`,
    name: id,
    placeholder: opts.placeholder,
    autocomplete: opts.autocomplete ?? 'off',
    inputmode: opts.inputmode,
    spellcheck: 'false',
  });
  input.value = value;
  const f = field({ label, field: id, hint: opts.hint, error: env.errors[id] }, input);
  input.addEventListener('input', () => {
    set(input.value);
    opts.onInput?.(input.value);
    // The error no longer describes what is there; drop it until the next check.
    if (env.errors[id]) {
      delete env.errors[id];
      f.setError(null);
    }
  });
  return f.wrap;
}

export function textArea(env: StepEnv, id: FieldId, label: string, value: string, set: (v: string) => void, opts: { hint?: Child; rows?: number; placeholder?: string } = {}): HTMLElement {
  const area = h('textarea', { id: `wz-${id}`, name: id, rows: opts.rows ?? 4, spellcheck: 'false', placeholder: opts.placeholder });
  area.value = value;
  const f = field({ label, field: id, hint: opts.hint, error: env.errors[id] }, area);
  area.addEventListener('input', () => {
    set(area.value);
    if (env.errors[id]) {
      delete env.errors[id];
      f.setError(null);
    }
  });
  return f.wrap;
}

type Purpose = 'certificate' | 'key' | 'chain' | 'pkcs12' | 'ca-bundle' | 'profile';

/**
 * A file chosen in the main process's native dialog: the page only ever holds its name and an
 * opaque token, never a path or the contents.
 */
export function filePicker(
  env: StepEnv,
  id: FieldId,
  label: string,
  purpose: Purpose,
  value: PickedFile | null,
  set: (f: PickedFile | null) => void,
  opts: { optional?: boolean; hint?: Child } = {},
): HTMLElement {
  const labelId = `wz-${id}-label`;
  const nameId = `wz-${id}-name`;
  // "Certificate file" reads "choose certificate file"; acronyms (CA, PKCS#12) keep their case.
  const noun = /^[A-Z][a-z]/.test(label) ? label[0]!.toLowerCase() + label.slice(1) : label;
  const choose = asyncButton(
    value ? `Choose another ${noun}…` : `Choose ${noun}…`,
    async () => {
      const picked = await env.ctx.api.call('dialog:openFile', purpose);
      if (!picked) return;
      set(picked);
      delete env.errors[id];
      env.redraw(`[data-action="pick-${id}"]`);
    },
    { class: 'btn', 'data-action': `pick-${id}` },
  );
  choose.setAttribute('aria-describedby', `${nameId} wz-${id}-error`);
  return h(
    'div',
    { class: `field picker${env.errors[id] ? ' invalid' : ''}`, 'data-field': id, role: 'group', 'aria-labelledby': labelId },
    h('span', { class: 'label', id: labelId }, label, opts.optional ? h('span', { class: 'muted' }, ' (optional)') : null),
    opts.hint ? h('p', { class: 'hint' }, opts.hint) : null,
    h(
      'div',
      { class: 'pick-row' },
      choose,
      ' ',
      h('span', { class: 'picked', id: nameId, 'data-testid': `picked-${id}` }, value ? value.name : 'No file chosen'),
      value && opts.optional
        ? h('button', { type: 'button', class: 'btn small', 'data-action': `clear-${id}`, onclick: () => { set(null); env.redraw(`[data-action="pick-${id}"]`); } }, 'Remove')
        : null,
    ),
    withId(groupError(id, env.errors[id]), `wz-${id}-error`),
  );
}

function withId(el: HTMLElement, id: string): HTMLElement {
  el.id = id;
  return el;
}
