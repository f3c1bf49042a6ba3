/**
 * The wizard's last step, "Test and summary".
 */
import { h, withCode } from '../dom';
import { checkPlan } from '../fix-wording';
import { checksList, checksSummary } from '../ui/checks-view';
import { settingsDiffList } from '../ui/settings-diff';
import { pendingSteps } from '../views/csr-section';
import { fixBlock, type FixTarget } from '../views/fix-actions';
import { capabilitiesOf } from '../warning-actions';
import type { StepEnv } from './step-parts';

/**
 * The last step: what was made, and the connection test with a button for every failed check.
 * A profile waiting for its CA is a normal state here: what to send, where, and the import;
 * the checks that need the certificate are listed as coming after the import, not as failures.
 */
export function doneStep(env: StepEnv, retest: HTMLElement, after: Pick<FixTarget, 'done' | 'retest'>): HTMLElement {
  const { s } = env;
  const r = s.result;
  if (!r) return h('p', null, 'No profile was created.');
  const p = r.profile;
  // The import sets up the editors chosen on the editors step, with the proxy consent given there.
  const importSettings = s.editors.length ? { editors: s.editors, proxyConsent: s.proxyConsent } : { noSettings: true as const };
  const target: FixTarget = { profile: p, caps: capabilitiesOf(p), importSettings, ...after };
  // Notices that name commands are for a terminal: a secondary line, not the next step.
  const commands = r.notices.filter((n) => /`mtls-tray /.test(n));
  const plain = r.notices.filter((n) => !commands.includes(n));
  const imported = Boolean(r.csrPem) && !p.pending;
  return h(
    'div',
    { 'data-testid': 'wizard-done' },
    h('p', { class: 'callout tone-ok' }, h('span', { 'aria-hidden': 'true' }, '✓ '), `Profile ${p.name} created for ${p.url}.`, imported ? ' Its certificate from your CA is imported.' : ''),
    plain.length ? h('ul', { class: 'notices' }, plain.map((n) => h('li', null, n))) : null,
    p.pending && r.csrPem ? h('section', { 'aria-label': 'Waiting for your CA' }, pendingSteps(env.ctx, r.csrPem, target)) : null,
    // A CSR profile's notices are about the import, which the steps above (or its result) replace.
    r.csrPem ? null : commands.map((n) => h('p', { class: 'fix-terminal muted' }, 'From a terminal: ', ...withCode(n))),
    h('h3', null, 'Editor settings'),
    p.pending
      ? h('p', { 'data-testid': 'settings-after-import' }, s.editors.length ? 'Your editors are set up when the certificate is imported: nothing is written before it exists.' : 'No editor selected: no settings file will be changed.')
      : imported
        ? h('p', null, 'Set up by the import of the certificate; the connection test below checks each editor.')
        : settingsDiffList(r.settings, 'applied'),
    h('h3', null, 'Connection test'),
    s.connection
      ? h(
          'div',
          { 'data-testid': 'connection' },
          h('p', { class: s.connection.pendingCertificate ? 'connection-summary pending' : 'connection-summary', 'data-testid': 'connection-summary' }, checksSummary(s.connection)),
          checksList(s.connection, 'connection-checks', (c) => {
            const plan = checkPlan(c, target.caps, p);
            return plan ? fixBlock(env.ctx, plan, target, `check-${c.id}`) : null;
          }),
        )
      : h('p', { class: 'muted' }, 'Testing the connection…'),
    retest,
  );
}

