/**
 * "Open settings diff" and "Fix proxy setting": a dry run first, shown as the exact diff per
 * settings.json, and only the user's "Apply" writes (one write per file). The proxy variant
 * differs only in asking for `http.proxySupport: "on"`, which the user sees in the diff.
 */
import type { AppContext } from '../app-context';
import { h } from '../dom';
import { asyncButton, showError } from './components';
import { openModal } from './modal';
import { settingsDiffList } from './settings-diff';

export async function openSettingsDialog(ctx: AppContext, opts: { proxyConsent: boolean }): Promise<void> {
  const m = openModal(opts.proxyConsent ? 'Fix the proxy setting' : 'Editor settings', { wide: true, testId: 'settings-dialog' });
  const status = h('p', { class: 'muted' }, 'Computing the changes…');
  m.body.append(status);
  const close = h('button', { type: 'button', class: 'btn', 'data-action': 'close-dialog', onclick: () => m.close() }, 'Close');
  m.actions.append(close);
  try {
    const preview = await ctx.api.call('settings:apply', { dryRun: true, proxyConsent: opts.proxyConsent });
    const changed = preview.filter((r) => r.changed);
    status.textContent = changed.length
      ? `${changed.length} ${changed.length === 1 ? 'file' : 'files'} would change. Nothing is written until you press Apply.`
      : 'Every settings file is already up to date.';
    if (opts.proxyConsent) {
      m.body.append(h('p', null, 'VS Code only sends your client certificate when http.proxySupport is "on" or "off". Apply sets it to "on" in the files below.'));
    }
    m.body.append(settingsDiffList(preview, 'preview'));
    if (changed.length) {
      const apply = asyncButton(
        'Apply these changes',
        async () => {
          const done = await ctx.api.call('settings:apply', { proxyConsent: opts.proxyConsent });
          const wrote = done.filter((r) => r.wrote).length;
          m.body.replaceChildren(h('p', null, `Done: ${wrote} ${wrote === 1 ? 'file' : 'files'} written.`), settingsDiffList(done, 'applied'));
          apply.remove();
          ctx.announce(`Settings applied to ${wrote} ${wrote === 1 ? 'file' : 'files'}`);
          close.focus();
          ctx.refresh();
        },
        { class: 'btn primary', 'data-action': 'apply-settings' },
      );
      m.actions.prepend(apply);
      apply.focus();
    } else {
      close.focus();
    }
  } catch (err) {
    status.textContent = '';
    const box = h('p', { class: 'action-error', role: 'alert' });
    showError(box, err);
    m.body.append(box);
  }
}
