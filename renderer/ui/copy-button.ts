/**
 * Copy through the main process (`clipboard:writeText`): the sandboxed window has no reliable
 * clipboard access of its own, and the result is announced, not just flashed.
 */
import type { AppContext } from '../app-context';
import { asyncButton } from './components';

export function copyButton(ctx: AppContext, text: string, label = 'Copy'): HTMLButtonElement {
  const btn = asyncButton(
    label,
    async () => {
      await ctx.api.call('clipboard:writeText', text);
      ctx.announce('Copied to the clipboard');
      btn.classList.add('copied');
      setTimeout(() => btn.classList.remove('copied'), 1500);
    },
    { class: 'btn small' },
  );
  return btn;
}
