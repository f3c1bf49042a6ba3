/**
 * Sharing a profile with a teammate, as a file or an `mtls-tray://` link. The dialog says
 * plainly what travels and that the private key does not, unless the user ticks the box (file
 * only), and then asks for a passphrase twice: it is all that protects the key in the file.
 */
import type { ProfileSummaryDto } from '../../main/ipc/contract';
import type { AppContext } from '../app-context';
import { h, uid } from '../dom';
import { asyncButton, field } from '../ui/components';
import { copyButton } from '../ui/copy-button';
import { openModal } from '../ui/modal';
import { checkNewPassphrase, MIN_EXPORT_PASSPHRASE } from '../validate';

export function openExportDialog(ctx: AppContext, profile: ProfileSummaryDto): void {
  const m = openModal(`Share ${profile.name}`, { testId: 'export-dialog' });
  let kind: 'file' | 'link' = 'file';
  let withKey = false;

  const radio = (value: 'file' | 'link', label: string, hint: string) => {
    const id = uid('export-kind');
    const input = h('input', { type: 'radio', name: 'export-kind', id, value, checked: value === kind, onchange: () => { kind = value; update(); } });
    return h('div', { class: 'choice' }, input, h('label', { for: id }, h('strong', null, label), h('span', { class: 'hint' }, ` — ${hint}`)));
  };

  const statement = h('div', { class: 'statement', 'data-testid': 'export-statement' });
  const keyBox = h('input', { type: 'checkbox', id: uid('with-key'), onchange: (e: Event) => { withKey = (e.target as HTMLInputElement).checked; update(); } });
  const keyChoice = h(
    'div',
    { class: 'choice' },
    keyBox,
    h('label', { for: keyBox.id }, 'Also include my certificate and private key, encrypted with a passphrase'),
  );
  const pass = field({ label: 'Passphrase', field: 'exportPassphrase', hint: `At least ${MIN_EXPORT_PASSPHRASE} characters. Tell it to your teammate another way than the file (not in the same email or chat).` }, h('input', { type: 'password', autocomplete: 'new-password' }));
  const confirmPass = field({ label: 'Passphrase again', field: 'exportPassphraseConfirm' }, h('input', { type: 'password', autocomplete: 'new-password' }));
  // An error describes what was typed then; typing again clears it until the next try.
  pass.control.addEventListener('input', () => pass.setError(null));
  confirmPass.control.addEventListener('input', () => confirmPass.setError(null));
  const passBox = h('div', { class: 'passphrase-box' }, h('p', { class: 'warning-text' }, h('strong', null, 'Careful: '), 'anyone with this file and the passphrase can sign in as you.'), pass.wrap, confirmPass.wrap);
  const result = h('div', { class: 'export-result', 'aria-live': 'polite' });

  m.body.append(
    h('fieldset', null, h('legend', null, 'How do you want to share it?'), radio('file', 'Save as a file', 'a .mtlsprofile file to send'), radio('link', 'Copy a link', 'an mtls-tray:// link to paste in chat')),
    statement,
    keyChoice,
    passBox,
    result,
  );

  function update() {
    const includesKey = kind === 'file' && withKey;
    statement.replaceChildren(
      h('p', null, 'Shared: the deployment address, the names template, key type and lifetime, the headers, and the CA bundle for the server.'),
      h(
        'p',
        { class: includesKey ? 'key-included' : 'key-excluded' },
        h('span', { class: 'sym', 'aria-hidden': 'true' }, includesKey ? '! ' : '✓ '),
        h('strong', null, includesKey ? 'Your private key IS included' : 'Your private key is NOT included'),
        includesKey ? ' (encrypted with the passphrase below).' : kind === 'link' ? '. Links never carry a key; your teammate makes their own.' : '. Your teammate makes their own key.',
      ),
    );
    keyChoice.hidden = kind !== 'file';
    passBox.hidden = !includesKey;
    go.textContent = kind === 'file' ? 'Save file…' : 'Create link';
  }

  const go = asyncButton(
    'Save file…',
    async () => {
      pass.setError(null);
      confirmPass.setError(null);
      if (kind === 'link') {
        const link = await ctx.api.call('profile:exportLink', profile.id);
        const area = h('textarea', { readOnly: true, rows: 4, class: 'link-text', 'data-testid': 'export-link' });
        area.value = link;
        const f = field({ label: 'Link to send', field: 'exportLink' }, area);
        result.replaceChildren(f.wrap, copyButton(ctx, link, 'Copy link'));
        area.focus();
        area.select();
        return;
      }
      let passphrase: string | null = null;
      if (withKey) {
        const errs = checkNewPassphrase(pass.control.value, confirmPass.control.value);
        pass.setError(errs.pass);
        confirmPass.setError(errs.confirm);
        if (errs.pass || errs.confirm) {
          (errs.pass ? pass.control : confirmPass.control).focus();
          return;
        }
        passphrase = pass.control.value;
      }
      const res = await ctx.api.call('profile:export', profile.id, passphrase);
      result.replaceChildren(h('p', { 'data-testid': 'export-saved' }, res.saved && res.path ? `Saved to ${res.path}` : 'Not saved (cancelled).'));
      if (res.saved) ctx.announce('Profile exported');
    },
    { class: 'btn primary', 'data-action': 'export-go' },
  );
  m.actions.append(h('button', { type: 'button', class: 'btn', onclick: () => m.close() }, 'Close'), go);
  update();
}
