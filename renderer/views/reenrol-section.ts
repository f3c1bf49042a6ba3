/**
 * A CA-issued profile (issue 12): it renews in place by re-enrolment. "Request a new
 * certificate…" makes a request (CSR) for the current key, shown to copy and save; "Import
 * issued certificate…" publishes what the CA sends back as the next generation (no setting
 * changes); "Set up automatic renewal…" stores an issuer command on this machine, with a plain
 * warning that it runs here. The command itself never comes back to the window.
 */
import type { ProfileSummaryDto } from '../../main/ipc/contract';
import type { AppContext } from '../app-context';
import { h } from '../dom';
import { formatDateTime } from '../format';
import { asyncButton, field, section } from '../ui/components';
import { csrBlock } from './csr-section';

export async function reenrolSection(ctx: AppContext, p: ProfileSummaryDto, target: [string]): Promise<HTMLElement | null> {
  if (p.pending || p.issuerCommand === undefined) return null;
  const r = p.reenrolment;
  const pending = r
    ? h(
        'div',
        { 'data-testid': 'reenrol-pending' },
        h('p', null, h('strong', null, `Re-enrolment pending since ${formatDateTime(r.since)}`), ` (${r.newKey ? 'for a new key: importing its certificate rotates the key' : 'for the current key'}). The current certificate keeps working meanwhile.`),
        csrBlock(ctx, await ctx.api.call('csr:get', ...target), target),
      )
    : h('p', null, 'This certificate comes from your CA. To renew it, request a new certificate: mtls-tray makes a certificate request (CSR) for your current key. Send it to your CA, then import the certificate it sends back. Editor settings do not change.');

  const command = h('input', { type: 'text', spellcheck: 'false', autocomplete: 'off', placeholder: 'curl -fsS --data-binary @- https://ca.example.com/sign' });
  const cmd = field(
    { label: 'Issuer command', field: 'issuerCommand', hint: 'Gets the request (PEM) on its input, and MTLS_TRAY_PROFILE, MTLS_TRAY_URL and MTLS_TRAY_CSR_FILE in its environment; prints the issued certificate (PEM).' },
    command,
  );
  const timeout = h('input', { type: 'number', min: '1', max: '3600', value: '120', inputmode: 'numeric' });
  const tmo = field({ label: 'Time limit (seconds)', field: 'issuerTimeout' }, timeout);
  const setIssuer = async (value: string | null) => {
    const seconds = Number(timeout.value);
    const res = await ctx.api.call('issuer:set', ...target, value === null ? { command: null } : { command: value, timeoutSeconds: seconds });
    ctx.announce(res.message);
    ctx.refresh();
  };
  const automatic = h(
    'details',
    { class: 'issuer', 'data-testid': 'issuer-setup', open: p.issuerCommand ? false : undefined },
    h('summary', null, 'Set up automatic renewal…'),
    h('p', { 'data-testid': 'issuer-state' }, p.issuerCommand ? 'Automatic renewal is on: this profile renews through the issuer command set on this computer.' : 'Automatic renewal is off: nothing renews this certificate until you import a new one.'),
    h(
      'p',
      { class: 'note warning-note', role: 'note', 'data-testid': 'issuer-warning' },
      h('strong', null, 'This command runs on this computer, as you, '),
      'whenever the certificate is due (from the tray, the renewal schedule and the editor\'s refresh hook). Enter only a command you trust. It is stored on this computer only: it is never exported, and a shared profile or link cannot set one.',
    ),
    cmd.wrap,
    tmo.wrap,
    h(
      'div',
      { class: 'actions' },
      asyncButton(
        'Save issuer command',
        async () => {
          const value = command.value.trim();
          cmd.setError(value ? null : 'Enter the command that asks your CA for the certificate.');
          if (!value) return;
          await setIssuer(value);
        },
        { class: 'btn primary', 'data-action': 'issuer-save' },
      ),
      p.issuerCommand ? asyncButton('Turn off automatic renewal', () => setIssuer(null), { class: 'btn', 'data-action': 'issuer-remove' }) : null,
    ),
  );

  return section(
    'Renewal by your CA',
    'reenrol-heading',
    pending,
    h(
      'div',
      { class: 'actions' },
      asyncButton(
        r ? 'Make a new request' : 'Request a new certificate…',
        async () => {
          const res = await ctx.api.call('csr:new', ...target, {});
          ctx.announce(res.message);
          ctx.refresh();
        },
        { class: 'btn', 'data-action': 'request-csr' },
      ),
      asyncButton(
        'Import issued certificate…',
        async () => {
          const file = await ctx.api.call('dialog:openFile', 'certificate');
          if (!file) return;
          const res = await ctx.api.call('csr:importCert', file.token, ...target);
          ctx.announce(res.message);
          ctx.refresh();
        },
        { class: r ? 'btn primary' : 'btn', 'data-action': 'import-reenrolled' },
      ),
    ),
    automatic,
  );
}
