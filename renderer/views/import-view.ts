/**
 * Importing a teammate's profile: choose the file or paste the link, review everything it
 * will set (nothing is applied before "Import"), then see what was done.
 */
import type { EditorStateDto, InitResultDto } from '../../main/ipc/contract';
import type { AppContext } from '../app-context';
import { errorText } from '../api';
import { h, mount } from '../dom';
import { checkImportPassphrase, checkImportSource, emptyImportDraft, importSource } from '../import-draft';
import { asyncButton, showError } from '../ui/components';
import { editorsPicker, selectableEditors, type EditorsChoice } from '../ui/editors-picker';
import { importReviewList, importSourceFields } from '../ui/import-parts';
import { settingsDiffList } from '../ui/settings-diff';
import { csrBlock } from './csr-section';

export async function renderImportView(ctx: AppContext, initial?: { source: { link: string } | { file: string }; name?: string }): Promise<HTMLElement> {
  const draft = emptyImportDraft();
  if (initial && 'link' in initial.source) {
    draft.mode = 'link';
    draft.link = initial.source.link;
  } else if (initial && 'file' in initial.source) {
    draft.file = { token: initial.source.file, name: initial.name ?? 'the opened profile file' };
  }
  let screen: 'source' | 'review' | 'done' = 'source';
  let detected: EditorStateDto[] | null = null;
  let choice: EditorsChoice = { editors: [], proxyConsent: true };
  let result: InitResultDto | null = null;
  let errors: { file?: string; link?: string; source?: string; passphrase?: string; general?: unknown } = {};

  const body = h('div', { class: 'import-body' });
  const heading = h('h1', { tabindex: -1 }, 'Import a profile');
  const root = h('div', { class: 'view import-view', 'data-testid': 'import-view' }, h('div', { class: 'view-head' }, heading), body);

  const general = () => {
    const box = h('div', { class: 'action-error', role: 'alert', hidden: true, 'data-testid': 'import-error' });
    if (errors.general) showError(box, errors.general);
    return box;
  };

  function draw(focus?: string) {
    if (screen === 'source') {
      const form = h('form', { novalidate: true, class: 'step' });
      form.append(
        h('p', null, 'A teammate can share a profile for your Coder deployment as a file or a link. You will see everything it sets before anything changes.'),
        importSourceFields(ctx, draft, { file: errors.file, link: errors.link, source: errors.source }, () => draw()),
        general(),
        h('div', { class: 'actions' }, asyncButton('Review', review, { class: 'btn primary', type: 'submit', 'data-action': 'import-review' })),
      );
      mount(body, form);
    } else if (screen === 'review') {
      const form = h(
        'form',
        { novalidate: true, class: 'step' },
        h('h2', { tabindex: -1, id: 'import-review-heading' }, 'Review before importing'),
        importReviewList(draft, errors.passphrase),
        detected ? editorsPicker(detected, choice, (c) => (choice = c)) : null,
        general(),
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'button', class: 'btn', 'data-action': 'import-back', onclick: () => { screen = 'source'; errors = {}; draw(); } }, 'Back'),
          asyncButton('Import', doImport, { class: 'btn primary', type: 'submit', 'data-action': 'import-apply' }),
        ),
      );
      mount(body, form);
    } else if (result) {
      mount(body, importDone(ctx, result));
    }
    const target = focus ? body.querySelector<HTMLElement>(focus) : null;
    target?.focus();
  }

  async function review() {
    const e = checkImportSource(draft);
    errors = { ...(e.file ? { file: e.file } : {}), ...(e.link ? { link: e.link } : {}) };
    if (e.file || e.link) {
      draw(e.link ? 'textarea' : '[data-action="pick-profile"]');
      return;
    }
    try {
      draft.preview = await ctx.api.call('profile:importPreview', importSource(draft));
    } catch (err) {
      errors = draft.mode === 'link' ? { link: errorText(err).message } : { source: errorLine(err) };
      draw(draft.mode === 'link' ? 'textarea' : '[data-action="pick-profile"]');
      return;
    }
    if (!detected) {
      detected = await ctx.api.call('editors:detect');
      choice = { editors: selectableEditors(detected).map((e) => e.id), proxyConsent: true };
    }
    screen = 'review';
    draw('#import-review-heading');
  }

  async function doImport() {
    const passMsg = checkImportPassphrase(draft);
    errors = passMsg ? { passphrase: passMsg } : {};
    if (passMsg) {
      draw('[data-testid="import-passphrase"]');
      return;
    }
    const opts: { passphrase?: string; editors?: typeof choice.editors; noSettings?: boolean; proxyConsent?: boolean } = {};
    if (draft.preview?.needsPassphrase) opts.passphrase = draft.passphrase;
    if (choice.editors.length) {
      opts.editors = choice.editors;
      opts.proxyConsent = choice.proxyConsent;
    } else opts.noSettings = true;
    try {
      result = await ctx.api.call('profile:import', importSource(draft), opts);
    } catch (err) {
      if (/PASSPHRASE|DECRYPT/i.test(errorText(err).code)) {
        errors = { passphrase: errorLine(err) };
        draw('[data-testid="import-passphrase"]');
      } else {
        errors = { general: err };
        draw();
      }
      return;
    }
    screen = 'done';
    ctx.announce(`Imported ${result.profile.name}`);
    draw('h2');
  }

  draw();
  // Opened from outside (a link or file handed to the app): go straight to the review.
  if (initial) void review();
  return root;
}

function errorLine(err: unknown): string {
  const e = errorText(err);
  return e.fix ? `${e.message} ${e.fix}` : e.message;
}

export function importDone(ctx: AppContext, result: InitResultDto): HTMLElement {
  return h(
    'div',
    { class: 'step', 'data-testid': 'import-done' },
    h('h2', { tabindex: -1 }, `${result.profile.name} is set up`),
    result.notices.length ? h('ul', { class: 'notices' }, result.notices.map((n) => h('li', null, n))) : null,
    result.csrPem ? csrBlock(ctx, result.csrPem, [result.profile.id]) : null,
    h('h3', null, 'Editor settings'),
    settingsDiffList(result.settings, 'applied'),
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'btn primary', 'data-action': 'show-status', onclick: () => ctx.navigate(result.profile.active ? { view: 'status' } : { view: 'status', profileId: result.profile.id }) }, 'Show status')),
  );
}
