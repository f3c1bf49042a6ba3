/**
 * The window's shell: a navigation bar, one view at a time, and a live region. It decides the
 * first view (the wizard when there is no profile yet), redraws data views when the main
 * process says the state changed (a renewal by the scheduler or the CLI), and moves focus to
 * the new view's heading on navigation so keyboard and screen-reader users follow along.
 */
import type { Api } from './api';
import type { AppContext, Route } from './app-context';
import { h, mount } from './dom';
import { showError } from './ui/components';
import { renderImportView } from './views/import-view';
import { renderProfilesView } from './views/profiles-view';
import { renderStatusView } from './views/status-view';
import { renderWizard } from './wizard/wizard';

type NavId = 'status' | 'profiles' | 'import' | 'wizard';

export function startApp(root: HTMLElement, api: Api): AppContext {
  const live = h('div', { class: 'sr-only', role: 'status', 'aria-live': 'polite', id: 'live' });
  const navButtons = new Map<NavId, HTMLButtonElement>();
  const navItem = (id: NavId, label: string, route: Route) => {
    const b = h('button', { type: 'button', class: 'nav-btn', 'data-nav': id, onclick: () => ctx.navigate(route) }, label);
    navButtons.set(id, b);
    return h('li', null, b);
  };
  const nav = h(
    'nav',
    { 'aria-label': 'Main' },
    h('ul', null, navItem('status', 'Status', { view: 'status' }), navItem('profiles', 'Profiles', { view: 'profiles' }), navItem('import', 'Import a profile', { view: 'import' }), navItem('wizard', 'New profile', { view: 'wizard', firstRun: false })),
  );
  const main = h('main', { id: 'main', tabindex: -1 });
  mount(
    root,
    h('a', { class: 'skip-link', href: '#main' }, 'Skip to content'),
    h('header', { class: 'topbar' }, h('span', { class: 'brand' }, 'mtls-tray'), nav),
    main,
    live,
  );

  let route: Route = { view: 'status' };
  let drawSeq = 0;
  let firstViewMarked = false;

  /** Views with their own in-progress input (wizard, import) must not be redrawn under the user. */
  const isStateful = (r: Route) => r.view === 'wizard' || r.view === 'import';

  async function draw(focusHeading: boolean): Promise<void> {
    const seq = ++drawSeq;
    const current = route;
    nav.hidden = current.view === 'wizard' && current.firstRun;
    for (const [id, b] of navButtons) {
      if (id === current.view) b.setAttribute('aria-current', 'page');
      else b.removeAttribute('aria-current');
    }
    // Remember what had focus, so a refresh puts the keyboard user back where they were.
    const active = document.activeElement as HTMLElement | null;
    const focusKey = active && main.contains(active) ? (active.dataset.action ? `[data-action="${active.dataset.action}"]` : active.id ? `#${CSS.escape(active.id)}` : null) : null;
    if (focusHeading) main.setAttribute('aria-busy', 'true');
    let view: HTMLElement;
    try {
      view = await renderRoute(current);
    } catch (err) {
      const box = h('div', { class: 'load-error', role: 'alert' });
      showError(box, err);
      view = h('div', { class: 'view' }, h('h1', { tabindex: -1 }, 'Something went wrong'), box, h('button', { type: 'button', class: 'btn', onclick: () => void draw(true) }, 'Try again'));
    }
    if (seq !== drawSeq) return; // a newer navigation won
    main.removeAttribute('aria-busy');
    mount(main, view);
    // For bench/renderer: when the first real view (not "Loading…") is on screen.
    if (!firstViewMarked) {
      firstViewMarked = true;
      performance.mark('mtls-tray:first-view');
    }
    if (focusHeading && current.view === 'status' && current.section) focusSection(view, current.section);
    else if (focusHeading) view.querySelector<HTMLElement>('h1')?.focus();
    else if (focusKey) {
      // The control may be gone (the warning it fixed disappeared): land on the heading, not on <body>.
      (main.querySelector<HTMLElement>(focusKey) ?? view.querySelector<HTMLElement>('h1'))?.focus();
    }
  }

  async function renderRoute(r: Route): Promise<HTMLElement> {
    switch (r.view) {
      case 'wizard':
        return renderWizard(ctx, { firstRun: r.firstRun });
      case 'profiles':
        return renderProfilesView(ctx);
      case 'import':
        return renderImportView(ctx, r.source ? { source: r.source, ...(r.name ? { name: r.name } : {}) } : undefined);
      default: {
        const view = await renderStatusView(ctx, r.profileId);
        if (view) return view;
        // No profile at all: the first-run wizard takes over.
        route = { view: 'wizard', firstRun: true };
        nav.hidden = true;
        return renderWizard(ctx, { firstRun: true });
      }
    }
  }

  const ctx: AppContext = {
    api,
    navigate(next) {
      route = next;
      void draw(true);
    },
    refresh() {
      void draw(false);
    },
    announce(message) {
      // Clearing first makes screen readers repeat a message identical to the last one.
      live.textContent = '';
      setTimeout(() => (live.textContent = message), 50);
    },
  };

  api.onNavigate((req) => {
    if (req.view === 'import') ctx.navigate({ view: 'import', source: req.source, ...(req.name ? { name: req.name } : {}) });
    else if (req.view === 'status') ctx.navigate({ view: 'status', profileId: req.profileId, ...(req.section ? { section: req.section } : {}) });
    else ctx.navigate({ view: 'status' });
  });

  api.onStateChanged(() => {
    // Not under the user's hands: a wizard, an import, an open dialog or a rename form in progress.
    if (!isStateful(route) && !document.querySelector('dialog[open]') && !main.querySelector('form')) ctx.refresh();
  });

  void draw(true);
  return ctx;
}

/**
 * The part of the status view the tray asked for: the re-enrolment section (or, for a profile
 * still waiting for its first certificate, its request), or the issuer-command form opened with
 * its input focused. Falls back to the view's heading when the profile has no such part.
 */
function focusSection(view: HTMLElement, section: 'reenrol' | 'issuer'): void {
  if (section === 'issuer') {
    const form = view.querySelector<HTMLDetailsElement>('details[data-testid="issuer-setup"]');
    if (form) {
      form.open = true;
      const input = form.querySelector<HTMLElement>('input');
      input?.scrollIntoView({ block: 'center' });
      input?.focus();
      return;
    }
  }
  const heading = view.querySelector<HTMLElement>('#reenrol-heading') ?? view.querySelector<HTMLElement>('#csr-heading');
  if (!heading) {
    view.querySelector<HTMLElement>('h1')?.focus();
    return;
  }
  heading.tabIndex = -1;
  heading.scrollIntoView({ block: 'start' });
  heading.focus();
}
