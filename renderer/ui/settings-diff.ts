/**
 * The exact change each editor's settings.json would get (or got), one block per file: its
 * path, whether anything changes, notices, and the unified diff. Added and removed lines keep
 * their + and - marks, so the diff reads without its colours.
 */
import type { SettingsFileResultDto } from '../../main/ipc/contract';
import { h } from '../dom';

const EDITOR_NAMES: Record<string, string> = {
  code: 'VS Code',
  'code-insiders': 'VS Code Insiders',
  vscodium: 'VSCodium',
  cursor: 'Cursor',
  windsurf: 'Windsurf',
  'code-server': 'code-server',
  custom: 'Settings file',
};

export function editorName(id: string): string {
  return EDITOR_NAMES[id] ?? id;
}

function diffLine(line: string): HTMLElement {
  let cls = 'ctx';
  if (line.startsWith('+++') || line.startsWith('---') || line.startsWith('Index:') || line.startsWith('===')) cls = 'meta';
  else if (line.startsWith('@@')) cls = 'hunk';
  else if (line.startsWith('+')) cls = 'add';
  else if (line.startsWith('-')) cls = 'del';
  else if (line.startsWith('\\')) cls = 'meta';
  return h('span', { class: `dl ${cls}` }, `${line}\n`);
}

export function diffBlock(diff: string): HTMLElement {
  const lines = diff.replace(/\n$/, '').split('\n');
  return h('pre', { class: 'diff', tabindex: 0, 'aria-label': 'Changes: lines starting with + are added, lines starting with - are removed' }, lines.map(diffLine));
}

export function settingsDiffList(results: readonly SettingsFileResultDto[], mode: 'preview' | 'applied'): HTMLElement {
  if (results.length === 0) return h('p', { class: 'muted' }, 'No editor selected: no settings file will be changed.');
  return h(
    'div',
    { class: 'diff-list' },
    results.map((r) =>
      h(
        'article',
        { class: 'diff-file', 'data-editor': r.editor, 'data-testid': 'settings-diff' },
        h(
          'h3',
          null,
          editorName(r.editor),
          ' ',
          h('span', { class: 'path' }, r.path),
        ),
        h(
          'p',
          { class: 'diff-state' },
          !r.changed
            ? 'Already up to date: this file will not be written.'
            : mode === 'applied'
              ? r.wrote ? `Written (${r.keys.length} ${r.keys.length === 1 ? 'key' : 'keys'}, one write).` : 'Not written.'
              : `Will change ${r.keys.join(', ')} in one write.`,
        ),
        r.changed && r.reloadKeys.length
          ? h('p', { class: 'reload-keys', 'data-testid': 'reload-keys' }, `Open remote windows will ask to reload once: ${r.reloadKeys.join(', ')} ${mode === 'applied' && r.wrote ? 'changed' : 'will change'}.`)
          : null,
        r.notices.length ? h('ul', { class: 'notices' }, r.notices.map((n) => h('li', null, n))) : null,
        r.changed && r.diff ? diffBlock(r.diff) : null,
      ),
    ),
  );
}
