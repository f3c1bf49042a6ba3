/**
 * Open and save dialogs with the filters each kind of file gets, attached to the window that
 * asked when it still exists (a sheet on macOS), free-standing otherwise.
 */
import type { MessageBoxOptions, OpenDialogOptions, SaveDialogOptions } from 'electron';
import { join } from 'node:path';
import type { FilePurpose } from '../ipc/file-tokens';
import type { SaveKind } from '../ipc/handlers';
import type { ElectronApi } from './app-context';

export interface FileDialogs {
  /** The chosen file, or null when cancelled. */
  chooseOpenFile(windowId: number | undefined, purpose: FilePurpose): Promise<string | null>;
  /** Where to save, proposed in Documents under `defaultName`; null when cancelled. */
  chooseSaveFile(windowId: number | undefined, req: { defaultName: string; kind: SaveKind }): Promise<string | null>;
  /** A native yes/no about a command that will run on this machine; true only for an explicit yes. */
  confirmIssuerCommand(windowId: number | undefined, req: { profileId: string | undefined; command: string }): Promise<boolean>;
}

export function createFileDialogs({ app, dialog, BrowserWindow }: Pick<ElectronApi, 'app' | 'dialog' | 'BrowserWindow'>): FileDialogs {
  // A message box the page cannot draw or click: the user sees the exact command.
  const parentOf = (windowId: number | undefined) => (windowId === undefined ? undefined : (BrowserWindow.fromId(windowId) ?? undefined));
  return {
    async chooseOpenFile(windowId, purpose) {
      const options: OpenDialogOptions = { properties: ['openFile', 'dontAddToRecent'], filters: openFilters(purpose) };
      const parent = parentOf(windowId);
      const r = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    async chooseSaveFile(windowId, { defaultName, kind }) {
      const options: SaveDialogOptions = {
        defaultPath: join(app.getPath('documents'), defaultName),
        filters: saveFilters(kind),
        properties: ['showOverwriteConfirmation', 'createDirectory'],
      };
      const parent = parentOf(windowId);
      const r = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
    async confirmIssuerCommand(windowId, { profileId, command }) {
      const options: MessageBoxOptions = {
        type: 'warning',
        title: 'Automatic renewal',
        message: `Let mtls-tray run this command on this computer to renew ${profileId ? `profile ${profileId}` : 'the profile'}?`,
        detail: `${command}\n\nIt runs with your permissions whenever the certificate is renewed. Allow it only if you wrote it or trust where it came from.`,
        buttons: ['Cancel', 'Allow this command'],
        defaultId: 0,
        cancelId: 0,
        noLink: true,
      };
      const parent = parentOf(windowId);
      const r = parent ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options);
      return r.response === 1;
    },
  };
}

function saveFilters(kind: SaveKind): SaveDialogOptions['filters'] {
  switch (kind) {
    case 'profile':
      return [{ name: 'mtls-tray profile', extensions: ['mtlsprofile'] }];
    case 'csr':
      return [{ name: 'Certificate request', extensions: ['csr', 'pem'] }];
    case 'ca-cert':
      return [{ name: 'CA certificate', extensions: ['crt', 'pem'] }];
  }
}

function openFilters(purpose: FilePurpose): OpenDialogOptions['filters'] {
  const pem = ['pem', 'crt', 'cer', 'key'];
  switch (purpose) {
    case 'pkcs12':
      return [{ name: 'PKCS#12', extensions: ['p12', 'pfx'] }, { name: 'All files', extensions: ['*'] }];
    case 'profile':
      return [{ name: 'mtls-tray profile', extensions: ['mtlsprofile', 'json'] }, { name: 'All files', extensions: ['*'] }];
    default:
      return [{ name: 'PEM', extensions: pem }, { name: 'All files', extensions: ['*'] }];
  }
}
