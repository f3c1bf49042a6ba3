/**
 * A profile waiting for its CA: a normal state, not a failure. It says what to send (the
 * certificate request, to copy or save), where (whoever issues certificates for the
 * deployment: the CA or its admin), and offers the import of what comes back; the editors
 * are set up and the connection is tested after that.
 */
import type { ProfileSummaryDto } from '../../main/ipc/contract';
import type { AppContext } from '../app-context';
import { h } from '../dom';
import { terminalFor } from '../fix-wording';
import { hostOf } from '../validate';
import { asyncButton, section } from '../ui/components';
import { copyButton } from '../ui/copy-button';
import { fixButton, type FixTarget } from './fix-actions';

/** `intro`: the sentence above the request; null where the caller says where it goes already. */
export function csrBlock(ctx: AppContext, csrPem: string, profileArg: [] | [string], intro: string | null = 'Send this certificate request (CSR) to whoever runs your CA. It holds your public key and names, never your private key.'): HTMLElement {
  const saved = h('p', { class: 'muted', 'aria-live': 'polite' });
  const copy = copyButton(ctx, csrPem, 'Copy request');
  // Side by side with "Save request as a file…": the same size, not a small one beside a big one.
  copy.className = 'btn';
  return h(
    'div',
    { class: 'csr', 'data-testid': 'csr' },
    intro ? h('p', null, intro) : null,
    h('pre', { class: 'pem', tabindex: 0, 'aria-label': 'Certificate request' }, csrPem),
    h(
      'div',
      { class: 'actions' },
      copy,
      asyncButton(
        'Save request as a file…',
        async () => {
          const res = await ctx.api.call('csr:save', ...profileArg);
          saved.textContent = res.saved && res.path ? `Saved to ${res.path}` : 'Not saved.';
        },
        { class: 'btn' },
      ),
    ),
    saved,
  );
}

/**
 * The two steps of a pending profile, for the status view and the wizard's last step:
 * send the request (what, where), import the answer. `target.done` runs after the import.
 */
export function pendingSteps(ctx: AppContext, csrPem: string, target: FixTarget): HTMLElement {
  const p: ProfileSummaryDto = target.profile;
  return h(
    'div',
    { class: 'pending-steps', 'data-testid': 'csr-pending' },
    h('p', { class: 'callout tone-info', 'data-testid': 'pending-state' }, h('span', { 'aria-hidden': 'true' }, '… '), h('strong', null, 'Waiting for your CA. '), `Nothing is wrong: ${p.name} gets its certificate from your CA. Two steps finish it.`),
    h('h3', null, '1. Send the request to your CA'),
    h('p', { 'data-testid': 'send-where' }, `Send it to whoever issues client certificates for ${hostOf(p.url)}: your company's CA, or the admin who runs it (often the IT or platform team). The request holds your public key and names, never your private key: copy it into their request form or e-mail, or save it as a file and attach it.`),
    csrBlock(ctx, csrPem, [p.id], null),
    h('h3', null, '2. Import the certificate it sends back'),
    h('p', null, 'The CA answers with a certificate file (.crt, .pem or .cer). Import it here: mtls-tray checks that it matches your key, sets up your editors and tests the connection.'),
    h('div', { class: 'actions' }, fixButton(ctx, 'import-cert', target, { primary: true, key: 'pending' })),
    h('p', { class: 'fix-terminal muted', 'data-testid': 'fix-terminal' }, 'From a terminal: ', h('code', null, terminalFor(['import-cert'], { id: p.id, active: false }) ?? '')),
  );
}

export async function pendingCsrSection(ctx: AppContext, target: FixTarget): Promise<HTMLElement> {
  const csr = await ctx.api.call('csr:get', target.profile.id);
  return section('Waiting for your CA', 'csr-heading', pendingSteps(ctx, csr, target));
}
