/**
 * What a window at a small size or a large zoom must not do: scroll the page sideways, push a
 * control or text past the right edge, or cut text off inside a box that does not scroll. Long
 * paths and settings diffs may only overflow inside a box the user can scroll (overflow-x auto
 * or scroll). Runs in the page; returns one line per problem, naming the element.
 */
import type { Page } from '@playwright/test';

export async function layoutProblems(page: Page): Promise<string[]> {
  return (await page.evaluate(`(() => {
    const out = [];
    const root = document.documentElement;
    const vw = root.clientWidth;
    const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.dataset.testid ? '[data-testid=' + el.dataset.testid + ']' : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') + ' "' + (el.textContent || '').trim().slice(0, 40) + '"';
    const scrolls = (cs) => cs.overflowX === 'auto' || cs.overflowX === 'scroll';
    const inScrollBox = (el) => {
      for (let p = el.parentElement; p && p !== root && p !== document.body; p = p.parentElement) if (scrolls(getComputedStyle(p))) return true;
      return false;
    };
    const hidden = (el, cs) => cs.display === 'none' || cs.visibility === 'hidden' || el.closest('[hidden], .sr-only, dialog:not([open])');
    if (root.scrollWidth > vw + 1) out.push('the page scrolls sideways: ' + root.scrollWidth + 'px content in ' + vw + 'px');
    // A modal dialog lives in the top layer: it must fit the viewport on its own.
    for (const el of document.querySelectorAll('body *')) {
      const cs = getComputedStyle(el);
      if (hidden(el, cs)) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (r.right > vw + 1 && !inScrollBox(el)) out.push('past the right edge (' + Math.round(r.right) + ' > ' + vw + '): ' + name(el));
      // (Form fields scroll their own text under the caret: not cut off.)
      const clips = cs.overflowX === 'hidden' || cs.overflowX === 'clip';
      const overflows = el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1 && !el.matches('input, textarea, select');
      if (clips && overflows) out.push('text cut off (' + el.scrollWidth + ' > ' + el.clientWidth + '): ' + name(el));
      // Content spilling out of a box that does not scroll (a long unbreakable line): it overlaps
      // what is beside it or leaves the window even when the box itself fits.
      else if (overflows && !scrolls(cs) && !clips && !inScrollBox(el)) out.push('runs out of its box (' + el.scrollWidth + ' > ' + el.clientWidth + '): ' + name(el));
    }
    // Report each element once, outermost first: an overflowing box makes its children overflow too.
    return [...new Set(out)].slice(0, 20);
  })()`)) as string[];
}

/** The sizes every state is checked at: the default window, the smallest supported one, and that one at 200 % zoom (half the CSS pixels). */
export const SIZES = [
  { name: '920x680', width: 920, height: 680 },
  { name: '800x600', width: 800, height: 600 },
  { name: '800x600 at 200%', width: 400, height: 300 },
] as const;
