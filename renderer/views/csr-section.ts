/**
 * A profile waiting for its CA: the certificate request to copy or save for the CA, and the
 * step that completes the profile with the certificate the CA sends back.
 */
import type { AppContext } from '../app-context';
import { h } from '../dom';
import { asyncButton, section } from '../ui/components';
import { copyButton } from '../ui/copy-button';

export function csrBlock(ctx: AppContext, csrPem: string, profileArg: [] | [string]): HTMLElement {
  const saved = h('p', { class: 'muted', 'aria-live': 'polite' });
  return h(
    'div',
    { class: 'csr', 'data-testid': 'csr' },
    h('p', null, 'Send this certificate request (CSR) to whoever runs your CA. It holds your public key and names, never your private key.'),
    h('pre', { class: 'pem', tabindex: 0, 'aria-label': 'Certificate request' }, csrPem),
    h(
      'div',
      { class: 'actions' },
      copyButton(ctx, csrPem, 'Copy request'),
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

export async function pendingCsrSection(ctx: AppContext, profileArg: [] | [string]): Promise<HTMLElement> {
  const csr = await ctx.api.call('csr:get', ...profileArg);
  return section(
    'Waiting for your CA',
    'csr-heading',
    csrBlock(ctx, csr, profileArg),
    h('p', null, 'When the CA sends the certificate back, import it here:'),
    asyncButton(
      'Import the issued certificate…',
      async () => {
        const file = await ctx.api.call('dialog:openFile', 'certificate');
        if (!file) return;
        const res = await ctx.api.call('csr:importCert', file.token, ...profileArg);
        ctx.announce(res.message);
        ctx.refresh();
      },
      { class: 'btn primary', 'data-action': 'import-issued' },
    ),
  );
}
