/**
 * Which editors to configure: the ones found on this computer, ticked by default, plus the
 * consent for `http.proxySupport: "on"` with the reason in one sentence. Used by the wizard
 * and the import view.
 */
import type { EditorId, EditorStateDto } from '../../main/ipc/contract';
import { h, uid } from '../dom';
import { groupError } from './components';

export interface EditorsChoice {
  editors: EditorId[];
  proxyConsent: boolean;
}

export function selectableEditors(detected: readonly EditorStateDto[]): Array<EditorStateDto & { id: EditorId }> {
  return detected.filter((e): e is EditorStateDto & { id: EditorId } => e.id !== 'custom' && e.installed);
}

export function editorsPicker(detected: readonly EditorStateDto[], choice: EditorsChoice, onChange: (c: EditorsChoice) => void, error?: string): HTMLElement {
  const list = selectableEditors(detected);
  const boxes = list.map((e) => {
    const id = uid(`editor-${e.id}`);
    const input = h('input', {
      type: 'checkbox',
      id,
      value: e.id,
      'data-editor': e.id,
      checked: choice.editors.includes(e.id),
      onchange: (ev: Event) => {
        const on = (ev.target as HTMLInputElement).checked;
        const editors = on ? [...new Set([...choice.editors, e.id])] : choice.editors.filter((x) => x !== e.id);
        choice = { ...choice, editors };
        onChange(choice);
      },
    });
    return h(
      'div',
      { class: 'choice' },
      input,
      h('label', { for: id }, h('strong', null, e.name), h('span', { class: 'hint' }, ` — ${e.settingsPath}`)),
    );
  });
  const proxyId = uid('proxy-consent');
  const proxy = h(
    'div',
    { class: 'choice' },
    h('input', {
      type: 'checkbox',
      id: proxyId,
      'data-testid': 'proxy-consent',
      checked: choice.proxyConsent,
      onchange: (ev: Event) => {
        choice = { ...choice, proxyConsent: (ev.target as HTMLInputElement).checked };
        onChange(choice);
      },
    }),
    h(
      'label',
      { for: proxyId },
      'Also set ',
      h('code', null, 'http.proxySupport'),
      ' to ',
      h('code', null, '"on"'),
      h('span', { class: 'hint' }, ' — with the default ("override") VS Code does not send your client certificate. Only changed where it is unset or "override".'),
    ),
  );
  return h(
    'fieldset',
    { class: 'editors-picker', 'data-field': 'editors' },
    h('legend', null, 'Editors to set up'),
    list.length ? boxes : h('p', null, 'No VS Code-family editor was found on this computer; you can set them up later from the status view.'),
    list.length ? proxy : null,
    groupError('editors', error),
  );
}
