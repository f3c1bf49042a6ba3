/**
 * Our two schemes: `app:` serves the UI from the bundle (renderer-protocol.ts), and
 * `mtls-tray:` links open the import review (launch-args.ts, setup-launches.ts).
 */
import { join } from 'node:path';
import type { AppContext, Runtime } from './app-context';
import { LINK_PROTOCOL } from './launch-args';
import { createUiRequestHandler, UI_SCHEME } from './renderer-protocol';

/** Before 'ready' (Electron refuses later): the UI's origin is standard and secure. */
export function setupUiScheme({ electron: { protocol } }: Runtime): void {
  protocol.registerSchemesAsPrivileged([{ scheme: UI_SCHEME, privileges: { standard: true, secure: true } }]);
}

export function setupLinkProtocol({ electron: { app } }: Runtime): void {
  // Registered in the packaged app only: a development build must not take the scheme over system-wide.
  if (app.isPackaged && !app.isDefaultProtocolClient(LINK_PROTOCOL)) app.setAsDefaultProtocolClient(LINK_PROTOCOL);
}

export function setupUiProtocol({ electron: { protocol }, dist }: AppContext): void {
  protocol.handle(UI_SCHEME, createUiRequestHandler(join(dist, 'renderer')));
}
