/**
 * The fix buttons and what they do: one runner for every action of the table in
 * warning-actions.ts, used by the status view (warnings, "Test connection") and the wizard's
 * last step. A failure of an action that something here can fix (an issuer command that exits
 * 1, a certificate the CA got wrong) is shown beside it with its own buttons, not as a dead end.
 */
import { DRIFT_FILES_SOURCE } from '../../main/base/vocabulary';
import type { EditorId, ProfileSummaryDto } from '../../main/ipc/contract';
import { ApiError } from '../api';
import type { AppContext } from '../app-context';
import { h, withCode } from '../dom';
import { errorPlan, type FixPlan } from '../fix-wording';
import { asyncButton, field } from '../ui/components';
import { confirmDialog, openModal } from '../ui/modal';
import { openSettingsDialog } from '../ui/settings-dialog';
import { checkSans, sanLines } from '../validate';
import { FIX_LABELS, type Capabilities, type FixAction } from '../warning-actions';
import { openEditDialog } from './edit-dialog';

export interface FixTarget {
  profile: ProfileSummaryDto;
  caps: Capabilities;
  /** Redraws whoever shows the profile after an action changed it (the status view: ctx.refresh). */
  done(): void;
  /** "Test again": runs the connection test of the view showing it. */
  retest?: () => Promise<void>;
  /** What "Copy the details for your admin" copies. */
  details?: string;
  /** The editors a CSR profile's import sets up (the wizard's choice); absent: every installed one. */
  importSettings?: { editors: EditorId[]; proxyConsent: boolean } | { noSettings: true };
}

export interface FixParts {
  how: HTMLElement;
  buttons: HTMLElement | null;
  /** The last failure of one of these buttons, with what fixes it. */
  failure: HTMLElement | null;
  terminal: HTMLElement | null;
}

interface Failure {
  code: string;
  message: string;
}

/**
 * The last failure per profile and place (`key`). A failed action still tells the window that
 * the state may have changed, and the view is drawn again: the failure is drawn with it, until
 * the same button is pressed again or an action on the profile succeeds.
 */
const failures = new Map<string, Failure>();
const failureKey = (profileId: string, key: string) => `${profileId}\u0000${key}`;

/** The failure panel of the buttons at `key`, drawn again after a redraw; null when none failed. */
export function failureFor(ctx: AppContext, target: FixTarget, key: string): HTMLElement | null {
  const f = failures.get(failureKey(target.profile.id, key));
  const plan = f ? errorPlan(f.code, target.caps, target.profile) : null;
  return f && plan ? failurePanel(ctx, f, plan, target, key) : null;
}

/** "How to fix", the buttons (main one first) and the secondary "From a terminal" line. */
export function fixParts(ctx: AppContext, plan: FixPlan, target: FixTarget, key: string): FixParts {
  // "Test again" and "Copy the details" are no fix of their own: never the highlighted button.
  const buttons = plan.actions.map((a, i) => fixButton(ctx, a, target, { primary: i === 0 && a !== 'retest' && a !== 'copy-for-admin', key }));
  return {
    how: h('p', { class: 'fix' }, h('strong', null, 'How to fix: '), ...withCode(plan.text)),
    buttons: buttons.length ? h('div', { class: 'actions fix-actions' }, buttons) : null,
    failure: failureFor(ctx, target, key),
    terminal: plan.terminal ? h('p', { class: 'fix-terminal muted', 'data-testid': 'fix-terminal' }, 'From a terminal: ', h('code', null, plan.terminal)) : null,
  };
}

export function fixBlock(ctx: AppContext, plan: FixPlan, target: FixTarget, key: string): HTMLElement[] {
  const { how, buttons, failure, terminal } = fixParts(ctx, plan, target, key);
  return [how, buttons, failure, terminal].filter((x): x is HTMLElement => x !== null);
}


/** `key` prefixes data-action (unique per place, so focus finds the button again after a redraw); none: the bare action name. */
export function fixButton(ctx: AppContext, action: FixAction, target: FixTarget, opts: { primary?: boolean; key?: string; label?: string }): HTMLButtonElement {
  const key = opts.key ?? 'toolbar';
  const btn: HTMLButtonElement = asyncButton(
    opts.label ?? FIX_LABELS[action],
    async () => {
      const row = btn.closest('.actions') ?? btn;
      // A new attempt: the last failure's panel goes.
      failures.delete(failureKey(target.profile.id, key));
      if (row.nextElementSibling?.matches('[data-testid="fix-failure"]')) row.nextElementSibling.remove();
      try {
        await runFix(ctx, action, target);
        for (const k of [...failures.keys()]) if (k.startsWith(failureKey(target.profile.id, ''))) failures.delete(k);
      } catch (err) {
        const plan = err instanceof ApiError ? errorPlan(err.code, target.caps, target.profile) : null;
        if (!plan) throw err;
        const f = { code: (err as ApiError).code, message: (err as ApiError).message };
        failures.set(failureKey(target.profile.id, key), f);
        // This view may be drawn again meanwhile (the failure is a state change too); then the new one shows it.
        if (btn.isConnected) row.after(failurePanel(ctx, f, plan, target, key));
        ctx.announce(`Problem: ${f.message}`);
      }
    },
    { class: opts.primary ? 'btn primary' : 'btn', 'data-action': opts.key ? `${opts.key}-${action}` : action, 'data-fix': action },
  );
  return btn;
}

/** What failed (the service's message, e.g. the issuer command's exit code and stderr) and what fixes it. */
function failurePanel(ctx: AppContext, err: Failure, plan: FixPlan, target: FixTarget, key: string): HTMLElement {
  return h(
    'div',
    { class: 'failure callout tone-bad', role: 'alert', 'data-testid': 'fix-failure', 'data-code': err.code },
    h('p', null, h('span', { class: 'sym', 'aria-hidden': 'true' }, '✕ '), h('strong', null, 'That did not work: '), ...withCode(err.message)),
    ...fixBlock(ctx, plan, target, `${key}-failure`),
  );
}

/** Runs one action of the table for the profile. */
export async function runFix(ctx: AppContext, action: FixAction, target: FixTarget): Promise<void> {
  const p = target.profile;
  const id: [string] = [p.id];
  // Dialogs that redraw "the view" when they apply must redraw the one that opened them.
  const inView: AppContext = { ...ctx, refresh: () => target.done() };
  switch (action) {
    case 'renew': {
      const res = await ctx.api.call('profile:renew', ...id);
      ctx.announce(res.message);
      return target.done();
    }
    case 'rotate': {
      const ok = await confirmDialog(
        'Make a new key?',
        'Rotate creates a new private key and a new certificate. The editors pick them up on their next request. If a server trusts this exact certificate, give it the new one.',
        'Rotate',
      );
      if (!ok) return;
      const res = await ctx.api.call('profile:rotate', ...id);
      ctx.announce(res.message);
      return target.done();
    }
    case 'request':
    case 'request-new-key': {
      await ctx.api.call('csr:new', ...id, action === 'request-new-key' ? { newKey: true } : {});
      ctx.announce('Certificate request made: send it to your CA, then import the certificate it sends back.');
      return target.done();
    }
    case 'renew-with-names':
    case 'request-with-names':
      return namesDialog(ctx, target, action);
    case 'import-cert': {
      const file = await ctx.api.call('dialog:openFile', 'certificate');
      if (!file) return;
      const res = await ctx.api.call('csr:importCert', file.token, p.id, target.importSettings);
      ctx.announce(res.message);
      return target.done();
    }
    case 'ca-bundle':
    case 'alt-host':
    case 'headers':
      await openEditDialog(inView, p, action === 'ca-bundle' ? 'caBundle' : action === 'alt-host' ? 'altHost' : 'headers');
      return target.done();
    case 'fix-proxy':
    case 'settings-diff':
      return openSettingsDialog(inView, { proxyConsent: action === 'fix-proxy' });
    case 'switch': {
      const res = await ctx.api.call('profile:switch', p.id);
      const changed = res.settings.filter((s) => s.wrote).length;
      ctx.announce(`Switched to ${p.name}${changed ? `; ${changed} settings ${changed === 1 ? 'file' : 'files'} updated` : ''}`);
      return ctx.navigate({ view: 'status' });
    }
    case 'rollback': {
      const ok = await confirmDialog('Roll back?', 'The generation before this one becomes the one in use. The editors pick it up on their next request; no setting changes.', 'Roll back');
      if (!ok) return;
      const res = await ctx.api.call('profile:rollback', ...id);
      ctx.announce(res.message);
      return target.done();
    }
    case 'issuer-setup': {
      const box = document.querySelector<HTMLDetailsElement>('[data-testid="issuer-setup"]');
      if (!box) return ctx.navigate(p.active ? { view: 'status' } : { view: 'status', profileId: p.id });
      box.open = true;
      box.scrollIntoView({ block: 'center' });
      box.querySelector<HTMLElement>('input')?.focus();
      return;
    }
    case 'restore-files': {
      // The drift section's Restore for the files (a re-publish of the current generation).
      const res = await ctx.api.call('drift:restore', DRIFT_FILES_SOURCE);
      if (!res.ok) throw new ApiError('DRIFT_RESTORE_FAILED', res.message);
      ctx.announce(res.message);
      return target.done();
    }
    case 'retest':
      return target.retest?.();
    case 'copy-for-admin':
      await ctx.api.call('clipboard:writeText', target.details ?? `${p.url}`);
      ctx.announce('Copied the details to the clipboard');
      return;
  }
}

/**
 * A certificate needs names and the profile has none (a CN-only certificate from a CA, or an
 * old self-signed one): ask for them, store them in the profile (`profile:edit`, used from the
 * next renewal or request), then renew or make the request.
 */
async function namesDialog(ctx: AppContext, target: FixTarget, action: 'renew-with-names' | 'request-with-names'): Promise<void> {
  const p = target.profile;
  const renew = action === 'renew-with-names' || target.caps.canRenew;
  const m = openModal('Names for the new certificate', { testId: 'names-dialog' });
  const area = h('textarea', { rows: 3, spellcheck: 'false', placeholder: 'email:you@example.com' });
  area.value = p.sans.join('\n');
  const f = field(
    {
      label: 'Names (SANs), one per line',
      field: 'sans',
      hint: h('span', null, 'What the certificate says it is, for example ', h('code', null, 'email:you@example.com'), ' or ', h('code', null, 'DNS:my-laptop'), '. Servers written in Go (Coder among them) need at least one.'),
    },
    area,
  );
  // The error described what was there: it goes as soon as the user changes it.
  area.addEventListener('input', () => f.setError(null));
  m.body.append(
    h('p', null, renew ? 'mtls-tray keeps these names in the profile and renews the certificate with them.' : 'mtls-tray keeps these names in the profile and makes a certificate request (CSR) with them for your current key. Your CA decides what it finally signs.'),
    f.wrap,
  );
  const cancel = h('button', { type: 'button', class: 'btn', onclick: () => m.close() }, 'Cancel');
  const go = asyncButton(
    renew ? 'Renew with these names' : 'Make the request',
    async () => {
      const problem = checkSans(area.value) ?? (sanLines(area.value).length ? null : 'Give at least one name.');
      f.setError(problem);
      if (problem) return area.focus();
      await ctx.api.call('profile:edit', p.id, { sans: sanLines(area.value) });
      if (renew) ctx.announce((await ctx.api.call('profile:renew', p.id)).message);
      else {
        await ctx.api.call('csr:new', p.id, {});
        ctx.announce('Certificate request made: send it to your CA, then import the certificate it sends back.');
      }
      m.close();
      target.done();
    },
    { class: 'btn primary', 'data-action': 'names-go' },
  );
  m.actions.append(cancel, go);
  area.focus();
  await m.closed;
}
