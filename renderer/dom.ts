/**
 * A few lines of DOM building instead of a view framework: `h('button', { onclick }, 'Renew')`.
 * Text always goes in as text nodes, never as HTML, so nothing a profile or a certificate
 * contains can become markup. Inline `style` attributes are refused because the window's CSP
 * (`style-src 'self'`) would drop them; set `el.style.x` from code instead (CSSOM is allowed).
 */

export type Child = Node | string | number | null | undefined | false | readonly Child[];

type Handler = (ev: Event) => void;
export type Props = Record<string, string | number | boolean | null | undefined | Handler>;

/** Properties set as DOM properties rather than attributes, so they reflect live state. */
const PROPERTIES = new Set(['value', 'checked', 'disabled', 'selected', 'hidden', 'readOnly', 'required', 'indeterminate']);

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props) {
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'style') throw new Error('inline style attributes are blocked by the CSP; use a class');
      if (typeof value === 'function') {
        if (!key.startsWith('on')) throw new Error(`handler prop ${key} must start with "on"`);
        el.addEventListener(key.slice(2), value);
      } else if (PROPERTIES.has(key)) {
        (el as unknown as Record<string, unknown>)[key] = value;
      } else if (key === 'class') {
        el.className = String(value);
      } else {
        el.setAttribute(key, value === true ? '' : String(value));
      }
    }
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(parent, c);
    else if (typeof c === 'string' || typeof c === 'number') parent.appendChild(document.createTextNode(String(c)));
    else parent.appendChild(c as Node);
  }
}

/** Replaces everything inside `parent`. */
export function mount(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

let idCounter = 0;
/** Unique element ids for label/aria wiring. */
export function uid(prefix: string): string {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

/** The service marks commands with backticks (Markdown style): show them as code, not as quotes. */
export function withCode(text: string): Array<string | HTMLElement> {
  return text.split('`').map((part, i) => (i % 2 === 1 ? h('code', null, part) : part));
}
