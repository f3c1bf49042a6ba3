/**
 * The IPC contract: the types of every channel between the window and the main process, the
 * channel list and the main -> renderer events. main/ (handlers), preload/ (the bridge) and
 * renderer/ (the UI) all import this one file. Channels, argument types and argument checks
 * all come from one schema map (schema.ts); this file derives the types from it. It imports
 * nothing from electron, and the renderer imports it type-only (the channel list is a value
 * built with valibot, which the window's bundle must not carry).
 *
 * The renderer is untrusted: main validates every argument against the schema
 * (main/ipc/validate-args.ts) and checks the sender. No result ever holds private-key bytes.
 * Files the user picks are opened by main (a native dialog) and referred to by an opaque
 * token, so file contents never cross either.
 */
import type * as v from 'valibot';
import type { IPC, IpcChannel, Returns } from './schema';

export type * from '../services/app-service';
export type { IpcChannel, PickedFile } from './schema';
export { IPC_CHANNELS } from './schema';

/** Trailing arguments that may be undefined may be left out: `[id?: string]`, not `[string | undefined]`. */
type OptionalTail<T extends readonly unknown[]> = T extends readonly [...infer Head, infer Last]
  ? undefined extends Last
    ? [...OptionalTail<Head>, Last?]
    : T
  : T;

/** The arguments of a channel, as the handler receives them after validation. */
export type IpcArgs<C extends IpcChannel> = OptionalTail<v.InferOutput<(typeof IPC)[C]['args']>>;
export type IpcResultOf<C extends IpcChannel> = (typeof IPC)[C]['result'] extends Returns<infer T> ? T : never;

/** The wizard's request: like the service's InitRequest, with picked-file tokens instead of contents. */
export type WizardRequest = IpcArgs<'wizard:create'>[0];
export type IdentityChoice = WizardRequest['identity'];
/** An edit from the window: like the service's EditRequest, with a picked-file token for the CA bundle. */
export type EditChoice = IpcArgs<'profile:edit'>[1];

/** Errors cross as data: Electron's own error serialisation drops code and fix. */
export interface IpcError {
  code: string;
  message: string;
  fix?: string;
  /** Which input the error is about (e.g. `url`, `altHost`), when it is about one. */
  field?: string;
}
export type IpcResponse<T> = { ok: true; value: T } | { ok: false; error: IpcError };

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
  | { view: 'home' }
  /** A profile's status at one section (the tray's re-enrolment items): 'reenrol' what to send the CA and the import button, 'issuer' the issuer-command form. */
  | { view: 'status'; profileId: string; section?: 'reenrol' | 'issuer' };

/** What the preload exposes as `window.mtlsTray`; the renderer depends on this type only. */
export interface MtlsTrayApi {
  invoke<C extends IpcChannel>(channel: C, ...args: IpcArgs<C>): Promise<IpcResponse<IpcResultOf<C>>>;
  onStateChanged(listener: () => void): () => void;
  /** Optional so fakes of this API need not have it; the preload always provides it. */
  onNavigate?(listener: (req: NavigateRequest) => void): () => void;
}
