/**
 * The IPC contract: every channel between the window and the main process, with its
 * argument and result types. main/ (handlers), preload/ (the bridge) and renderer/ (the UI)
 * all import this one file, so a channel cannot drift on one side only. Type-only plus a
 * list of channel names; it imports nothing from electron.
 *
 * The renderer is untrusted: main validates every argument against these shapes
 * (main/ipc/validate-args.ts) and checks the sender. No result ever holds private-key bytes.
 * Files the user picks are opened by main (a native dialog) and referred to by an opaque
 * token, so file contents never cross either.
 */
import type {
  DoctorReportDto,
  EditorId,
  EditorStateDto,
  ImportPreviewDto,
  InitResultDto,
  KeyAlgorithm,
  OperationResultDto,
  ProfileSummaryDto,
  SettingsFileResultDto,
  StatusDto,
} from '../services/app-service';

export type * from '../services/app-service';

/** A file the user chose in a main-process dialog; main keeps the path, the renderer the token. */
export interface PickedFile {
  token: string;
  name: string;
}

export type IdentityChoice =
  | { kind: 'self-signed' }
  | { kind: 'csr' }
  | { kind: 'local-ca' }
  | { kind: 'import-pem'; certFile: string; keyFile: string; chainFile?: string; passphrase?: string }
  | { kind: 'import-p12'; file: string; passphrase: string };

/** The wizard's request: like the service's InitRequest, with picked-file tokens instead of contents. */
export interface WizardRequest {
  url: string;
  name?: string;
  identity: IdentityChoice;
  sans?: string[];
  keyAlgorithm?: KeyAlgorithm;
  days?: number;
  /** Token of a picked CA bundle file. */
  caBundleFile?: string;
  altHost?: string;
  headers?: Array<{ name: string; value: string }>;
  editors?: EditorId[];
  noSettings?: boolean;
  proxyConsent?: boolean;
}

export interface IpcContract {
  'profiles:list': { args: []; result: ProfileSummaryDto[] };
  'status:get': { args: [profileId?: string]; result: StatusDto | null };
  'profile:renew': { args: [profileId?: string]; result: OperationResultDto };
  'profile:rotate': { args: [profileId?: string]; result: OperationResultDto };
  'profile:rollback': { args: [profileId?: string]; result: OperationResultDto };
  'profile:switch': { args: [profileId: string]; result: { profileId: string; settings: SettingsFileResultDto[] } };
  'profile:rename': { args: [profileId: string, name: string]; result: ProfileSummaryDto };
  'profile:delete': { args: [profileId: string]; result: null };
  'profile:export': { args: [profileId: string | null, withIdentityPassphrase: string | null]; result: { saved: boolean; path: string | null } };
  'profile:exportLink': { args: [profileId?: string]; result: string };
  'profile:importPreview': { args: [source: { file: string } | { link: string }]; result: ImportPreviewDto };
  'profile:import': { args: [source: { file: string } | { link: string }, opts: { passphrase?: string; editors?: EditorId[]; noSettings?: boolean; proxyConsent?: boolean }]; result: InitResultDto };
  'csr:get': { args: [profileId?: string]; result: string };
  'csr:save': { args: [profileId?: string]; result: { saved: boolean; path: string | null } };
  'csr:importCert': { args: [certFile: string, profileId?: string]; result: OperationResultDto };
  /** A local-CA profile's CA certificate (public), for the deployment admin's client-CA list. */
  'ca:cert': { args: [profileId?: string]; result: string };
  /** The same, saved where the user chooses in a native save dialog. */
  'ca:saveCert': { args: [profileId?: string]; result: { saved: boolean; path: string | null } };
  'wizard:checkDeployment': { args: [url: string, altHost?: string, caBundleFile?: string]; result: DoctorReportDto };
  'wizard:previewSettings': { args: [req: { editors: EditorId[]; altHost?: string; hasCaBundle: boolean; proxyConsent: boolean }]; result: SettingsFileResultDto[] };
  'wizard:create': { args: [req: WizardRequest]; result: InitResultDto };
  'editors:detect': { args: []; result: EditorStateDto[] };
  'settings:apply': { args: [opts: { editors?: EditorId[]; dryRun?: boolean; proxyConsent?: boolean }]; result: SettingsFileResultDto[] };
  'doctor:run': { args: [profileId?: string]; result: DoctorReportDto };
  'dialog:openFile': { args: [purpose: 'certificate' | 'key' | 'chain' | 'pkcs12' | 'ca-bundle' | 'profile']; result: PickedFile | null };
  'clipboard:writeText': { args: [text: string]; result: null };
  /**
   * "Remind me tomorrow" from the window, on every platform (the notification's own action
   * exists on macOS only): no warning notification for this profile for `hours`. Result: until when.
   */
  'notifications:snooze': { args: [profileId: string, hours: number]; result: { until: string } };
}

export type IpcChannel = keyof IpcContract;
export type IpcArgs<C extends IpcChannel> = IpcContract[C]['args'];
export type IpcResultOf<C extends IpcChannel> = IpcContract[C]['result'];

/** Errors cross as data: Electron's own error serialisation drops code and fix. */
export interface IpcError {
  code: string;
  message: string;
  fix?: string;
}
export type IpcResponse<T> = { ok: true; value: T } | { ok: false; error: IpcError };

/** Every channel, for the preload's allow-list and the handler registry's completeness test. */
export const IPC_CHANNELS = [
  'profiles:list', 'status:get', 'profile:renew', 'profile:rotate', 'profile:rollback', 'profile:switch',
  'profile:rename', 'profile:delete', 'profile:export', 'profile:exportLink', 'profile:importPreview',
  'profile:import', 'csr:get', 'csr:save', 'csr:importCert', 'wizard:checkDeployment', 'wizard:previewSettings',
  'wizard:create', 'editors:detect', 'settings:apply', 'doctor:run', 'dialog:openFile', 'clipboard:writeText',
  'ca:cert', 'ca:saveCert', 'notifications:snooze',
] as const satisfies readonly IpcChannel[];

/** Main -> renderer events (state changed, e.g. after a renewal by the scheduler or the CLI). */
export const IPC_EVENT_STATE_CHANGED = 'event:state-changed';

/**
 * Main -> renderer: show a view because something outside the window asked for it: a
 * `mtls-tray://` link or a `.mtlsprofile` file opened with the app (the file arrives as a
 * picked-file token), or the tray's "Open…". Added by the Electron app (issue 6); additive.
 */
export const IPC_EVENT_NAVIGATE = 'event:navigate';
export type NavigateRequest =
  | { view: 'import'; source: { link: string } | { file: string }; name?: string }
  | { view: 'home' };

/** What the preload exposes as `window.mtlsTray`; the renderer depends on this type only. */
export interface MtlsTrayApi {
  invoke<C extends IpcChannel>(channel: C, ...args: IpcArgs<C>): Promise<IpcResponse<IpcResultOf<C>>>;
  onStateChanged(listener: () => void): () => void;
  /** Optional so fakes of this API need not have it; the preload always provides it. */
  onNavigate?(listener: (req: NavigateRequest) => void): () => void;
}
