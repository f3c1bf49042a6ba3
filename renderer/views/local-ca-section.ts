/**
 * A local-CA profile's CA certificate, for the deployment admin: the server (or its TLS
 * gateway) must list this CA among the ones it accepts client certificates from, once; every
 * renewal after that is signed by the same CA and needs nobody. Copy and Save go through the
 * main process (`ca:cert`, `ca:saveCert`); the certificate is public, the CA's key never leaves
 * the data directory.
 */
import type { ProfileSummaryDto } from '../../main/ipc/contract';
import { errorText } from '../api';
import type { AppContext } from '../app-context';
import { h } from '../dom';
import { asyncButton, section } from '../ui/components';
import { copyButton } from '../ui/copy-button';

export async function localCaSection(ctx: AppContext, p: ProfileSummaryDto): Promise<HTMLElement | null> {
  if (p.source !== 'local-ca' || p.pending) return null;
  const explain = h(
    'p',
    { class: 'hint' },
    "Give this certificate to your Coder admin once, for the server's list of client CAs (for nginx: ssl_client_certificate). It is public: it holds no key.",
  );
  let pem: string;
  try {
    pem = await ctx.api.call('ca:cert', p.id);
  } catch (err) {
    // A broken CA must not hide the rest of the status view: say what is wrong here.
    const e = errorText(err);
    return section('Your local CA', 'local-ca-heading', explain, h('p', { class: 'callout tone-warn', 'data-testid': 'local-ca-error' }, e.fix ? `${e.message} — ${e.fix}` : e.message));
  }
  const saved = h('p', { class: 'muted', 'aria-live': 'polite', 'data-testid': 'local-ca-saved' });
  return section(
    'Your local CA',
    'local-ca-heading',
    h(
      'div',
      { 'data-testid': 'local-ca' },
      explain,
      h(
        'div',
        { class: 'actions' },
        copyButton(ctx, pem, 'Copy CA certificate'),
        asyncButton(
          'Save CA certificate…',
          async () => {
            const res = await ctx.api.call('ca:saveCert', p.id);
            saved.textContent = res.saved && res.path ? `Saved to ${res.path}` : 'Not saved.';
          },
          { class: 'btn', 'data-action': 'save-ca-cert' },
        ),
      ),
      saved,
    ),
  );
}
