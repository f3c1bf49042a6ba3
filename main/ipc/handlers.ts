/**
 * The main-process side of every IPC channel, as plain functions: channel -> handler(ctx, args).
 * Each handler validates its arguments against the schema map (schema.ts, validate-args.ts) before anything else, turns picked-file
 * tokens into file contents (file-tokens.ts), calls the AppService, and answers with an
 * IpcResponse: errors cross as `{code, message, fix, field}` data because Electron's own error
 * serialisation drops everything but the message. No electron import: main/app/ipc-main.ts
 * registers these with ipcMain after checking the sender, and tests call them directly.
 *
 * Private keys: results are the service's DTOs, which never hold key bytes; files the user
 * picks (a key to import) are read here and handed to the service, never sent back; exports
 * go straight to a file chosen in a native save dialog.
 */
import { diskFaultToUserError } from '../base/fs-errors';
import { isUserError, UserError } from '../base/errors';
import type { AppService, EditRequest, IdentityInput, InitRequest } from '../services/app-service';
import type { IpcArgs, IpcChannel, IpcError, IpcResponse, IpcResultOf, WizardRequest } from './contract';
import { IPC_CHANNELS } from './contract';
import type { FilePurpose, FileTokenStore } from './file-tokens';
import { validateArgs } from './validate-args';

/** What a save dialog is for: it picks the file type filter and the default extension. */
export type SaveKind = 'profile' | 'csr' | 'ca-cert';

export interface HandlerContext {
  /** The BrowserWindow the call came from (already checked to be ours). */
  windowId: number;
}

export interface IpcHandlerDeps {
  service: AppService;
  files: FileTokenStore;
  /** A native open dialog, parented to the window; the chosen path, or null when cancelled. */
  chooseOpenFile(windowId: number, purpose: FilePurpose): Promise<string | null>;
  /** A native save dialog; the chosen path, or null when cancelled. */
  chooseSaveFile(windowId: number, opts: { defaultName: string; kind: SaveKind }): Promise<string | null>;
  /** Writes a file the user chose to save (temp + rename), with `mode`. */
  writeFile(path: string, text: string, mode: number): Promise<void>;
  clipboardWriteText(text: string): void;
  /**
   * Asks the user, in a native dialog the page cannot draw or click, whether this command may run
   * on this machine to renew the profile. The renderer is untrusted: without this a compromised
   * page could store a command that the scheduler later runs (DESIGN §2.1: the user sets it).
   */
  confirmIssuerCommand(windowId: number, req: { profileId: string | undefined; command: string }): Promise<boolean>;
  /** After anything that may change profiles or credentials: the tray and windows refresh. */
  onStateChanged(): void;
  /**
   * Silences a profile's warning notifications until `untilMs` (the scheduler's snooze, kept in
   * the preferences). Optional so that front ends without a scheduler (benchmarks) need not
   * fake one; without it `notifications:snooze` answers SNOOZE_UNAVAILABLE.
   */
  snooze?(profileId: string, untilMs: number): void;
  /** The clock for snoozes; default Date.now. */
  now?(): number;
  /** Unexpected (non-user) errors, with their stack, for the log. */
  logError?(channel: IpcChannel, err: unknown): void;
}

export type IpcHandler<C extends IpcChannel> = (ctx: HandlerContext, rawArgs: readonly unknown[]) => Promise<IpcResponse<IpcResultOf<C>>>;
export type IpcHandlerMap = { [C in IpcChannel]: IpcHandler<C> };

type Impl<C extends IpcChannel> = (ctx: HandlerContext, args: IpcArgs<C>) => Promise<IpcResultOf<C>>;

/** Channels after which the tray and the window must re-read state. */
export const MUTATING_CHANNELS: ReadonlySet<IpcChannel> = new Set<IpcChannel>([
  'profile:renew', 'profile:rotate', 'profile:rollback', 'profile:switch', 'profile:rename', 'profile:delete', 'profile:edit',
  'profile:import', 'csr:importCert', 'wizard:create', 'settings:apply', 'csr:new', 'issuer:set',
  'drift:restore', 'drift:keepTheirs',
]);

/** A mutating channel called with `{ dryRun: true }` (an edit's or a settings write's preview) writes nothing. */
function changesState(channel: IpcChannel, args: readonly unknown[]): boolean {
  if (!MUTATING_CHANNELS.has(channel)) return false;
  return !args.some((a) => typeof a === 'object' && a !== null && (a as { dryRun?: unknown }).dryRun === true);
}

export function toIpcError(thrown: unknown): IpcError {
  const err = diskFaultToUserError(thrown) ?? thrown;
  if (isUserError(err)) {
    const out: IpcError = { code: err.code, message: err.message };
    if (err.fix !== undefined) out.fix = err.fix;
    if (err.field !== undefined) out.field = err.field;
    return out;
  }
  // Not the user's doing: say so plainly; the stack goes to the log, not to the page.
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message: `unexpected error: ${message}`, fix: 'this is a bug in mtls-tray; please report it' };
}

export function createIpcHandlers(deps: IpcHandlerDeps): IpcHandlerMap {
  const { service, files } = deps;

  async function activeId(profileId: string | null | undefined): Promise<string> {
    if (profileId) return profileId;
    const active = (await service.listProfiles()).find((p) => p.active);
    if (!active) throw new UserError('NO_PROFILE', 'there is no active profile yet', 'create a profile first');
    return active.id;
  }

  async function sourceText(ctx: HandlerContext, source: { file: string } | { link: string }): Promise<string> {
    return 'file' in source ? files.readText(ctx.windowId, source.file) : source.link;
  }

  async function identityInput(ctx: HandlerContext, choice: WizardRequest['identity']): Promise<IdentityInput> {
    switch (choice.kind) {
      case 'self-signed':
      case 'csr':
      case 'local-ca':
        return { kind: choice.kind };
      case 'import-pem': {
        const certPem = await files.readText(ctx.windowId, choice.certFile);
        const keyPem = await files.readText(ctx.windowId, choice.keyFile);
        const out: IdentityInput = { kind: 'import-pem', certPem, keyPem };
        if (choice.chainFile !== undefined) out.chainPem = await files.readText(ctx.windowId, choice.chainFile);
        if (choice.passphrase !== undefined) out.passphrase = choice.passphrase;
        return out;
      }
      case 'import-p12':
        return { kind: 'import-p12', p12: new Uint8Array(await files.read(ctx.windowId, choice.file)), passphrase: choice.passphrase };
    }
  }

  async function initRequest(ctx: HandlerContext, req: WizardRequest): Promise<InitRequest> {
    const out: InitRequest = { url: req.url, identity: await identityInput(ctx, req.identity) };
    if (req.name !== undefined) out.name = req.name;
    if (req.sans !== undefined) out.sans = req.sans;
    if (req.keyAlgorithm !== undefined) out.keyAlgorithm = req.keyAlgorithm;
    if (req.days !== undefined) out.days = req.days;
    if (req.caBundleFile !== undefined) out.caBundlePem = await files.readText(ctx.windowId, req.caBundleFile);
    if (req.altHost !== undefined) out.altHost = req.altHost;
    if (req.headers !== undefined) out.headers = req.headers;
    if (req.editors !== undefined) out.editors = req.editors;
    if (req.noSettings !== undefined) out.noSettings = req.noSettings;
    if (req.proxyConsent !== undefined) out.proxyConsent = req.proxyConsent;
    return out;
  }

  const impl: { [C in IpcChannel]: Impl<C> } = {
    'profiles:list': () => service.listProfiles(),
    'status:get': (_c, [id]) => service.status(id),
    'profile:renew': (_c, [id]) => service.renew(id),
    'profile:rotate': (_c, [id]) => service.rotate(id),
    'profile:rollback': (_c, [id]) => service.rollback(id),
    'profile:switch': (_c, [id]) => service.switchProfile(id),
    'profile:rename': (_c, [id, name]) => service.renameProfile(id, name),
    'profile:edit': async (ctx, [id, req]) => {
      const { caBundleFile, ...rest } = req;
      const out: EditRequest = { ...rest, ...(id !== undefined ? { profileId: id } : {}) };
      if (caBundleFile !== undefined) out.caBundlePem = caBundleFile === null ? null : await files.readText(ctx.windowId, caBundleFile);
      return service.editProfile(out);
    },
    'profile:history': (_c, [id]) => service.history(id),
    'profile:delete': async (_c, [id]) => {
      await service.deleteProfile(id);
      return null;
    },
    'profile:export': async (ctx, [id, passphrase]) => {
      const profileId = await activeId(id);
      const path = await deps.chooseSaveFile(ctx.windowId, { defaultName: `${profileId}.mtlsprofile`, kind: 'profile' });
      if (path === null) return { saved: false, path: null };
      const text = await service.exportProfile(profileId, passphrase === null ? {} : { withIdentityPassphrase: passphrase });
      // With the (encrypted) identity inside, the file is as private as a key file.
      await deps.writeFile(path, text, passphrase === null ? 0o644 : 0o600);
      return { saved: true, path };
    },
    'profile:exportLink': (_c, [id]) => service.exportLink(id),
    'profile:importPreview': async (ctx, [source]) => service.previewImport(await sourceText(ctx, source)),
    'profile:import': async (ctx, [source, opts]) => service.importProfile(await sourceText(ctx, source), opts),
    'csr:get': (_c, [id]) => service.pendingCsr(id),
    'csr:save': async (ctx, [id]) => {
      const profileId = await activeId(id);
      const csr = await service.pendingCsr(profileId);
      const path = await deps.chooseSaveFile(ctx.windowId, { defaultName: `${profileId}.csr`, kind: 'csr' });
      if (path === null) return { saved: false, path: null };
      await deps.writeFile(path, csr, 0o644);
      return { saved: true, path };
    },
    'ca:cert': (_c, [id]) => service.caCert(id),
    'ca:saveCert': async (ctx, [id]) => {
      const profileId = await activeId(id);
      // Fetched before the dialog: a profile without a local CA fails here, with no dialog shown.
      const pem = await service.caCert(profileId);
      const path = await deps.chooseSaveFile(ctx.windowId, { defaultName: `${profileId}-ca.crt`, kind: 'ca-cert' });
      if (path === null) return { saved: false, path: null };
      await deps.writeFile(path, pem, 0o644);
      return { saved: true, path };
    },
    'notifications:snooze': async (_c, [id, hours]) => {
      if (!deps.snooze) throw new UserError('SNOOZE_UNAVAILABLE', 'reminders cannot be paused in this program', 'use the tray app');
      // Only a profile that exists: the snooze is stored in the preferences under its id.
      if (!(await service.listProfiles()).some((p) => p.id === id)) throw new UserError('NO_SUCH_PROFILE', `there is no profile "${id}"`, 'reload the window');
      const untilMs = (deps.now ?? Date.now)() + hours * 3_600_000;
      deps.snooze(id, untilMs);
      return { until: new Date(untilMs).toISOString() };
    },
    'csr:importCert': async (ctx, [token, id, settings]) => service.csrImportCert(await files.readText(ctx.windowId, token), id, settings ?? {}),
    'csr:new': (_c, [id, opts]) => service.csrNew(id, opts.newKey ? { newKey: true } : {}),
    'issuer:set': async (ctx, [id, opts]) => {
      if (typeof opts.command === 'string' && !(await deps.confirmIssuerCommand(ctx.windowId, { profileId: id, command: opts.command }))) {
        throw new UserError('NOT_CONFIRMED', 'The issuer command was not saved: it was not confirmed.', 'Set it again and confirm it in the dialog, or from a terminal: `mtls-tray edit --issuer-command CMD`.');
      }
      return service.setIssuerCommand(id, { ...(opts.command !== undefined ? { command: opts.command } : {}), ...(opts.timeoutSeconds !== undefined ? { timeoutSeconds: opts.timeoutSeconds } : {}) });
    },
    'wizard:checkDeployment': async (ctx, [url, altHost, caToken]) => service.checkDeployment(url, altHost, caToken ? await files.readText(ctx.windowId, caToken) : undefined),
    'wizard:previewSettings': (_c, [req]) => service.previewSettings(req),
    'wizard:create': async (ctx, [req]) => service.init(await initRequest(ctx, req)),
    'editors:detect': () => service.detectEditors(),
    'settings:apply': (_c, [opts]) => service.applySettings(opts),
    'doctor:run': (_c, [id]) => service.doctor(id),
    'drift:get': () => service.driftReport(),
    'drift:restore': (_c, [source]) => service.restoreDrift(source),
    'drift:keepTheirs': (_c, [source]) => service.keepTheirs(source),
    'dialog:openFile': async (ctx, [purpose]) => {
      const path = await deps.chooseOpenFile(ctx.windowId, purpose);
      return path === null ? null : files.issue(ctx.windowId, path, purpose);
    },
    'trust:snippet': (_c, [id, req]) => service.trustSnippet(id, req),
    'clipboard:writeText': async (_c, [text]) => {
      // The window never holds a key, so one arriving here means something is wrong: refuse it.
      if (/PRIVATE KEY-----/.test(text)) throw new UserError('CLIPBOARD_REFUSED', 'refusing to copy a private key to the clipboard');
      deps.clipboardWriteText(text);
      return null;
    },
  };

  function wrap<C extends IpcChannel>(channel: C): IpcHandler<C> {
    const run = impl[channel] as Impl<C>;
    return async (ctx, rawArgs) => {
      let args: IpcArgs<C>;
      try {
        args = validateArgs(channel, rawArgs);
      } catch (err) {
        return { ok: false, error: toIpcError(err) };
      }
      try {
        const value = await run(ctx, args);
        if (changesState(channel, args)) deps.onStateChanged();
        return { ok: true, value };
      } catch (err) {
        if (!isUserError(err)) deps.logError?.(channel, err);
        // A failed mutation may still have changed something (e.g. settings written, then a later step failed).
        if (changesState(channel, args)) deps.onStateChanged();
        return { ok: false, error: toIpcError(err) };
      }
    };
  }

  const map = {} as Record<IpcChannel, IpcHandler<IpcChannel>>;
  for (const channel of IPC_CHANNELS) map[channel] = wrap(channel) as IpcHandler<IpcChannel>;
  return map as IpcHandlerMap;
}
