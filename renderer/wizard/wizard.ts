/**
 * The first-run wizard's controller: draws the current step, runs each step's checks on Next
 * (local rules first, then the main process: deployment check, profile review, create), puts
 * every error next to its field (jumping back to the step that owns it), and keeps everything
 * typed in one state object so Back and Next lose nothing.
 */
import type { AppContext } from '../app-context';
import { errorText } from '../api';
import { h, mount } from '../dom';
import { importSource } from '../import-draft';
import { asyncButton } from '../ui/components';
import { checksSummary } from '../ui/checks-view';
import { selectableEditors } from '../ui/editors-picker';
import { settingsDiffList } from '../ui/settings-diff';
import { normaliseUrl } from '../validate';
import { fieldForError } from './error-field';
import type { StepEnv } from './step-parts';
import { doneStep } from './done-step';
import { applyStep, deploymentStep, editorsStep, headersStep, identityStep, keysStep, reviewImportStep } from './steps';
import {
  buildWizardRequest,
  deploymentKey,
  hostNotCovered,
  initialState,
  recheckOnCaChange,
  STEP_TITLES,
  stepsFor,
  validateStep,
  type FieldErrors,
  type StepId,
} from './wizard-state';

export function renderWizard(ctx: AppContext, opts: { firstRun: boolean }): HTMLElement {
  const s = initialState();
  let step: StepId = 'deployment';
  const errors: FieldErrors = {};
  let busy = false;

  const heading = h('h1', { tabindex: -1 }, opts.firstRun ? 'Set up your client certificate' : 'New profile');
  const progress = h('ol', { class: 'progress', 'aria-label': 'Steps' });
  const body = h('div', { class: 'wizard-body' });
  const root = h(
    'div',
    { class: 'view wizard', 'data-testid': 'wizard' },
    h('div', { class: 'view-head' }, heading),
    opts.firstRun ? h('p', { class: 'intro' }, 'mtls-tray gives your editor a client certificate for your Coder deployment and keeps it working. A few questions, then it sets everything up.') : null,
    progress,
    body,
  );

  const previewBox = h('div', { class: 'settings-preview', 'aria-live': 'polite', 'data-testid': 'settings-preview' });
  let previewSeq = 0;

  const env: StepEnv = {
    ctx,
    s,
    errors,
    redraw: (focus) => draw(focus),
    goTo: (target) => {
      clearErrors();
      step = target;
      draw('heading');
    },
    recheckDeployment: () => void recheckDeployment(),
  };

  function clearErrors() {
    for (const k of Object.keys(errors)) delete errors[k as keyof FieldErrors];
  }

  function stepBody(): HTMLElement {
    switch (step) {
      case 'deployment':
        return deploymentStep(env);
      case 'identity':
        return identityStep(env);
      case 'review-import':
        return reviewImportStep(env);
      case 'keys':
        return keysStep(env);
      case 'headers':
        return headersStep(env);
      case 'editors':
        return editorsStep(env, previewBox, () => void refreshPreview());
      case 'apply':
        return applyStep(env);
      case 'done':
        return doneStep(env, asyncButton('Test again', runConnectionTest, { class: 'btn', 'data-action': 'retest' }), { done: () => void afterFix(), retest: runConnectionTest });
    }
  }

  function nextLabel(): string {
    switch (step) {
      case 'deployment': {
        const shown = s.deployment && s.deploymentKey === deploymentKey(s);
        if (s.source === 'teammate' && s.url.trim() === '') return 'Next';
        if (!shown) return 'Check and continue';
        // A check is on screen for exactly these inputs: Next moves on without checking again.
        return !s.deployment!.ok || hostNotCovered(s.deployment) ? 'Continue anyway' : 'Continue';
      }
      case 'apply':
        return 'Create profile';
      case 'done':
        return 'Finish';
      default:
        return 'Next';
    }
  }

  function draw(focus?: string) {
    root.dataset.step = step;
    const steps = stepsFor(s);
    const idx = steps.indexOf(step);
    progress.replaceChildren(
      ...steps.map((id, i) =>
        h(
          'li',
          { class: i < idx ? 'done' : i === idx ? 'current' : 'todo', 'aria-current': i === idx ? 'step' : undefined },
          h('span', { class: 'num', 'aria-hidden': 'true' }, i < idx ? '✓' : String(i + 1)),
          ' ',
          STEP_TITLES[id],
          i < idx ? h('span', { class: 'sr-only' }, ' (done)') : null,
        ),
      ),
    );
    const title = h('h2', { id: 'wz-step-title', tabindex: -1 }, `Step ${idx + 1} of ${steps.length}: ${STEP_TITLES[step]}`);
    const next = h('button', { type: 'submit', class: 'btn primary', 'data-action': 'wizard-next', disabled: busy }, nextLabel());
    if (busy) next.setAttribute('aria-busy', 'true');
    const canGoBack = idx > 0 && !s.result;
    const nav = h(
      'div',
      { class: 'actions wizard-nav' },
      canGoBack ? h('button', { type: 'button', class: 'btn', 'data-action': 'wizard-back', onclick: back }, 'Back') : null,
      !opts.firstRun && !s.result ? h('button', { type: 'button', class: 'btn', 'data-action': 'wizard-cancel', onclick: () => ctx.navigate({ view: 'profiles' }) }, 'Cancel') : null,
      next,
    );
    const form = h('form', { class: 'step', novalidate: true, 'aria-labelledby': 'wz-step-title', 'data-step': step }, title, stepBody(), nav);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void onNext();
    });
    mount(body, form);
    if (focus === 'heading') title.focus();
    else if (focus === 'error') focusFirstError();
    else if (focus) body.querySelector<HTMLElement>(focus)?.focus();
  }

  function focusFirstError() {
    const invalid = body.querySelector<HTMLElement>('[aria-invalid="true"], .field.invalid button, .field-error:not([hidden])');
    if (invalid?.classList.contains('field-error')) {
      // A group error (radio group, list): focus the first control of its group.
      const group = invalid.closest('[data-field]') ?? invalid.parentElement;
      group?.querySelector<HTMLElement>('input, select, textarea, button')?.focus();
      if (!group) body.querySelector<HTMLElement>('#wz-step-title')?.focus();
    } else if (invalid) invalid.focus();
    else body.querySelector<HTMLElement>('#wz-step-title')?.focus();
  }

  function back() {
    const steps = stepsFor(s);
    const idx = steps.indexOf(step);
    if (idx <= 0) return;
    clearErrors();
    step = steps[idx - 1]!;
    draw('heading');
  }

  function setBusy(on: boolean) {
    busy = on;
    const b = body.querySelector<HTMLButtonElement>('[data-action="wizard-next"]');
    if (!b) return;
    b.disabled = on;
    if (on) b.setAttribute('aria-busy', 'true');
    else b.removeAttribute('aria-busy');
  }

  async function advance() {
    const steps = stepsFor(s);
    const target = steps[steps.indexOf(step) + 1];
    if (!target) return;
    if (target === 'editors' && !s.detectedEditors) {
      s.detectedEditors = await ctx.api.call('editors:detect');
      // Editors found on this computer start ticked.
      s.editors = selectableEditors(s.detectedEditors).map((e) => e.id);
    }
    step = target;
    setBusy(false);
    draw('heading');
    if (step === 'editors') void refreshPreview();
  }

  function placeError(err: unknown) {
    const e = errorText(err);
    const { step: owner, field } = fieldForError(e, s.source);
    errors[field] = e.fix ? `${e.message} — ${e.fix}` : e.message;
    if (stepsFor(s).includes(owner)) step = owner;
    else errors.general = errors[field];
    ctx.announce(`Problem: ${e.message}`);
  }

  async function onNext() {
    if (busy) return;
    clearErrors();
    Object.assign(errors, validateStep(step, s));
    if (Object.keys(errors).length) {
      draw('error');
      return;
    }
    setBusy(true);
    try {
      switch (step) {
        case 'deployment':
          return await nextFromDeployment();
        case 'identity':
          if (s.source === 'teammate') {
            try {
              s.teammate.preview = await ctx.api.call('profile:importPreview', importSource(s.teammate));
            } catch (err) {
              const e = errorText(err);
              const msg = e.fix ? `${e.message} — ${e.fix}` : e.message;
              if (s.teammate.mode === 'link') errors.teammateLink = msg;
              else errors.teammateSource = msg;
              setBusy(false);
              draw('error');
              return;
            }
          }
          return await advance();
        case 'apply':
          return await create();
        case 'done':
          ctx.navigate(s.result && !s.result.profile.active ? { view: 'status', profileId: s.result.profile.id } : { view: 'status' });
          return;
        default:
          return await advance();
      }
    } catch (err) {
      // Anything unplanned (detection failed, the app did not answer) shows on this step.
      setBusy(false);
      placeError(err);
      draw('error');
    } finally {
      setBusy(false);
    }
  }

  async function nextFromDeployment() {
    if (s.source === 'teammate' && s.url.trim() === '') return advance();
    const key = deploymentKey(s);
    // Second press after the problems were shown: the user chose to continue anyway.
    if (s.deployment && s.deploymentKey === key) return advance();
    const alt = s.altHost.trim();
    try {
      // With a CA bundle picked, the server is checked against it, as the extension will.
      s.deployment = await ctx.api.call('wizard:checkDeployment', normaliseUrl(s.url), alt || undefined, s.caBundleFile?.token);
    } catch (err) {
      setBusy(false);
      placeError(err);
      draw('error');
      return;
    }
    s.deploymentKey = key;
    ctx.announce(`Deployment checked: ${checksSummary(s.deployment)}`);
    if (s.deployment.ok && !hostNotCovered(s.deployment)) return advance();
    setBusy(false);
    draw('#deploy-check-h');
    body.querySelector<HTMLElement>('#deploy-check-h')?.setAttribute('tabindex', '-1');
    body.querySelector<HTMLElement>('#deploy-check-h')?.focus();
  }

  /**
   * The CA bundle changed after a check was shown: check again with it, in place (no advance:
   * the user is still on this step and decides). Next waits meanwhile; a later change wins.
   */
  let recheckSeq = 0;
  async function recheckDeployment() {
    if (!recheckOnCaChange(s)) return;
    const seq = ++recheckSeq;
    const key = deploymentKey(s);
    const alt = s.altHost.trim();
    s.deploymentRechecking = true;
    setBusy(true);
    let report;
    try {
      report = await ctx.api.call('wizard:checkDeployment', normaliseUrl(s.url), alt || undefined, s.caBundleFile?.token);
    } catch (err) {
      if (seq !== recheckSeq) return;
      s.deploymentRechecking = false;
      setBusy(false);
      if (step !== 'deployment') return;
      placeError(err);
      draw('error');
      return;
    }
    if (seq !== recheckSeq) return;
    s.deploymentRechecking = false;
    s.deployment = report;
    s.deploymentKey = key;
    setBusy(false);
    ctx.announce(`Deployment checked again: ${checksSummary(report)}`);
    if (step === 'deployment') draw(focusedSelector());
  }

  /** The focused control, found again after a redraw replaced it (by id or data-action). */
  function focusedSelector(): string | undefined {
    const el = document.activeElement;
    if (!(el instanceof HTMLElement) || !body.contains(el)) return undefined;
    if (el.id) return `#${CSS.escape(el.id)}`;
    const action = el.getAttribute('data-action');
    return action ? `[data-action="${CSS.escape(action)}"]` : undefined;
  }

  async function create() {
    try {
      if (s.source === 'teammate') {
        const o: { passphrase?: string; editors?: typeof s.editors; noSettings?: boolean; proxyConsent?: boolean } = {};
        if (s.teammate.preview?.needsPassphrase) o.passphrase = s.teammate.passphrase;
        if (s.editors.length) {
          o.editors = s.editors;
          o.proxyConsent = s.proxyConsent;
        } else o.noSettings = true;
        s.result = await ctx.api.call('profile:import', importSource(s.teammate), o);
      } else {
        s.result = await ctx.api.call('wizard:create', buildWizardRequest(s));
      }
    } catch (err) {
      setBusy(false);
      placeError(err);
      draw('error');
      return;
    }
    ctx.announce(`Profile ${s.result.profile.name} created`);
    step = 'done';
    setBusy(false);
    draw('heading');
    void runConnectionTest();
  }

  async function runConnectionTest() {
    if (!s.result) return;
    s.connection = null;
    try {
      s.connection = await ctx.api.call('doctor:run', s.result.profile.id);
      ctx.announce(`Connection test: ${checksSummary(s.connection)}`);
    } catch (err) {
      const e = errorText(err);
      s.connection = { url: normaliseUrl(s.url), checkedAt: new Date().toISOString(), ok: false, checks: [{ id: 'doctor', title: 'Connection test', status: 'fail', detail: e.message, ...(e.fix ? { fix: e.fix } : {}) }] };
    }
    if (step === 'done') {
      const focusedRetest = document.activeElement?.getAttribute('data-action') === 'retest';
      draw(focusedRetest ? '[data-action="retest"]' : undefined);
    }
  }

  /**
   * A fix button of the last step changed the profile (the CA's certificate imported, a CA
   * bundle chosen): show the profile as it is now and test again. The wizard stays: its
   * state is not redrawn away.
   */
  async function afterFix() {
    const r = s.result;
    if (!r) return;
    const fresh = (await ctx.api.call('profiles:list')).find((p) => p.id === r.profile.id);
    if (fresh) s.result = { ...r, profile: fresh };
    if (step === 'done') draw(focusedSelector());
    await runConnectionTest();
  }

  async function refreshPreview() {
    const seq = ++previewSeq;
    if (s.source === 'teammate') {
      mount(previewBox, h('p', { class: 'hint' }, 'The exact changes follow the imported profile; they are listed after the import.'));
      return;
    }
    if (!s.editors.length) {
      mount(previewBox, settingsDiffList([], 'preview'));
      return;
    }
    mount(previewBox, h('p', { class: 'muted' }, 'Computing the changes…'));
    const alt = s.altHost.trim();
    try {
      const res = await ctx.api.call('wizard:previewSettings', { editors: s.editors, ...(alt ? { altHost: alt } : {}), hasCaBundle: s.caBundleFile !== null, hasHeaders: s.headers.some((r) => r.name.trim() !== ''), proxyConsent: s.proxyConsent });
      if (seq !== previewSeq) return;
      mount(previewBox, settingsDiffList(res, 'preview'));
    } catch (err) {
      if (seq !== previewSeq) return;
      const e = errorText(err);
      mount(previewBox, h('p', { class: 'callout tone-warn', 'data-testid': 'preview-unavailable' }, `The exact changes cannot be shown yet (${e.message}). They are listed right after the profile is created.`));
    }
  }

  draw();
  return root;
}
