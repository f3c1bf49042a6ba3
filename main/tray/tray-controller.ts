/**
 * Renders TrayState into the Electron tray: the icon for the state, the tooltip, and a context
 * menu built from the pure model (main/tray/tray-menu.ts). Every render builds a fresh Menu and
 * sets it again (Linux AppIndicator only picks up a menu that is set anew); a state that renders
 * to exactly what is showing is skipped, so an idle refresh does not close a menu the user has
 * open. Tray, Menu and nativeImage are injected (the composition root passes Electron's; tests use
 * fakes), and described here structurally, so nothing outside main/app names electron.
 */
import { buildTrayMenu, type TrayAction, type TrayMenuItem } from './tray-menu';
import { trayIconFile, trayIconState, trayTooltip, type TrayIconState } from './tray-icon';
import type { TrayState } from './tray-state';

/** The part of Electron's MenuItemConstructorOptions we fill in. */
export interface MenuTemplateItem {
  id?: string;
  type?: 'separator' | 'checkbox' | 'radio';
  label?: string;
  enabled?: boolean;
  checked?: boolean;
  click?: () => void;
  submenu?: MenuTemplateItem[];
}

/** The part of Electron's Tray we drive; `Image` and `Menu` are nativeImage and Menu there. */
export interface TrayLike<Image = unknown, Menu = unknown> {
  setImage(image: Image): void;
  setToolTip(toolTip: string): void;
  setContextMenu(menu: Menu | null): void;
}

export interface TrayController {
  render(state: TrayState): void;
  /** What is showing, for tests and the smoke test. */
  showing(): { icon: TrayIconState; tooltip: string; items: TrayMenuItem[] } | null;
}

/** `&` marks a mnemonic in menu labels on Windows and Linux; user text must show as typed. */
export function escapeLabel(label: string, platform: NodeJS.Platform): string {
  return platform === 'darwin' ? label : label.replace(/&/g, '&&');
}

export function toElectronTemplate(items: readonly TrayMenuItem[], platform: NodeJS.Platform, run: (a: TrayAction) => void): MenuTemplateItem[] {
  return items.map((item): MenuTemplateItem => {
    switch (item.kind) {
      case 'separator':
        return { type: 'separator' };
      case 'label':
        return { id: item.id, label: escapeLabel(item.label, platform), enabled: false };
      case 'action':
        return { id: item.id, label: escapeLabel(item.label, platform), enabled: item.enabled, click: () => run(item.action) };
      case 'checkbox':
      case 'radio':
        return { id: item.id, type: item.kind, label: escapeLabel(item.label, platform), enabled: item.enabled, checked: item.checked, click: () => run(item.action) };
      case 'submenu':
        return { id: item.id, label: escapeLabel(item.label, platform), enabled: item.enabled, submenu: toElectronTemplate(item.items, platform, run) };
    }
  });
}

export function createTrayController<Image, Menu>(deps: {
  tray: TrayLike<Image, Menu>;
  buildMenu(template: MenuTemplateItem[]): Menu;
  /** The icon file (from trayIconFile) as an image; macOS template images are recognised by their name. */
  loadIcon(file: string): Image;
  platform: NodeJS.Platform;
  run(action: TrayAction): void;
}): TrayController {
  let shown: { icon: TrayIconState; tooltip: string; items: TrayMenuItem[]; key: string } | null = null;
  const images = new Map<TrayIconState, Image>();
  return {
    render(state) {
      const icon = trayIconState(state);
      const tooltip = trayTooltip(state);
      const items = buildTrayMenu(state);
      const key = JSON.stringify([icon, tooltip, items]);
      if (shown !== null && shown.key === key) return;
      if (shown === null || shown.icon !== icon) {
        let img = images.get(icon);
        if (img === undefined) {
          img = deps.loadIcon(trayIconFile(icon, deps.platform));
          images.set(icon, img);
        }
        deps.tray.setImage(img);
      }
      deps.tray.setToolTip(tooltip);
      deps.tray.setContextMenu(deps.buildMenu(toElectronTemplate(items, deps.platform, deps.run)));
      shown = { icon, tooltip, items, key };
    },
    showing: () => (shown === null ? null : { icon: shown.icon, tooltip: shown.tooltip, items: shown.items }),
  };
}
