/**
 * The IPC schema: every channel between the window and the main process, in one map. Each
 * entry holds the valibot schema of its arguments (checked in main before anything runs, see
 * validate-args.ts) and the type of its result (produced by main, so only typed). The channel
 * list, the argument types of contract.ts and the validators all come from this map, so a
 * channel cannot drift on one side only.
 *
 * The preload bundles this file for the channel list; the renderer sees it only through
 * contract.ts's types (a type-only import keeps valibot out of its bundle).
 */
import * as v from 'valibot';
import type {
  CsrNewResultDto,
  DoctorReportDto,
  DriftActionResultDto,
  DriftReportDto,
  EditorStateDto,
  EditResultDto,
  HistoryDto,
  ImportPreviewDto,
  InitResultDto,
  OperationResultDto,
  ProfileSummaryDto,
  SettingsFileResultDto,
  StatusDto,
  TrustSnippetDto,
} from '../services/app-service';
import { TRUST_DISTROS, TRUST_FORMATS } from '../base/vocabulary';
import {
  displayName,
  editRequest,
  editors,
  FILE_PURPOSES,
  fileToken,
  host,
  importSource,
  int,
  obj,
  passphrase,
  profileId,
  str,
  url,
  wizardRequest,
} from './arg-schemas';

declare const RESULT: unique symbol;
/** A result's type, carried by the map without a runtime check (main makes results, not the page). */
export interface Returns<T> {
  readonly [RESULT]?: T;
}
const returns = <T>(): Returns<T> => ({});

/** A file the user chose in a main-process dialog; main keeps the path, the renderer the token. */
export interface PickedFile {
  token: string;
  name: string;
}

/** Positional arguments: a call may leave out trailing optional ones, never add any. */
const args = v.strictTuple;
const optId = v.optional(profileId);
/** A drift source: a settings.json path as the drift report named it, or "files". */
const driftSource = str(4096, { min: 1, singleLine: true });
type Saved = { saved: boolean; path: string | null };

export const IPC = {
  'profiles:list': { args: args([]), result: returns<ProfileSummaryDto[]>() },
  'status:get': { args: args([optId]), result: returns<StatusDto | null>() },
  'profile:renew': { args: args([optId]), result: returns<OperationResultDto>() },
  'profile:rotate': { args: args([optId]), result: returns<OperationResultDto>() },
  'profile:rollback': { args: args([optId]), result: returns<OperationResultDto>() },
  'profile:switch': { args: args([profileId]), result: returns<{ profileId: string; settings: SettingsFileResultDto[] }>() },
  'profile:rename': { args: args([profileId, displayName]), result: returns<ProfileSummaryDto>() },
  'profile:delete': { args: args([profileId]), result: returns<null>() },
  /**
   * `mtls-tray edit` from the window (DESIGN §2.1): what changes, the new generation if any, and
   * the settings diff per editor. With `dryRun` nothing is written (the preview the window shows
   * before the user confirms).
   */
  'profile:edit': { args: args([optId, editRequest]), result: returns<EditResultDto>() },
  /** The profile's generations, newest first (`mtls-tray history`). */
  'profile:history': { args: args([optId]), result: returns<HistoryDto>() },
  /** Arguments: profile (null: the active one), passphrase to embed the identity with (null: none). */
  'profile:export': { args: args([v.nullable(profileId), v.nullable(str(1024, { min: 1 }))]), result: returns<Saved>() },
  'profile:exportLink': { args: args([optId]), result: returns<string>() },
  'profile:importPreview': { args: args([importSource]), result: returns<ImportPreviewDto>() },
  'profile:import': {
    args: args([importSource, obj({ passphrase: v.optional(passphrase), editors: v.optional(editors), noSettings: v.optional(v.boolean()), proxyConsent: v.optional(v.boolean()) })]),
    result: returns<InitResultDto>(),
  },
  'csr:get': { args: args([optId]), result: returns<string>() },
  'csr:save': { args: args([optId]), result: returns<Saved>() },
  // The third argument: the editors to set up when this completes a CSR profile (the wizard's choice); absent, every installed one.
  'csr:importCert': { args: args([fileToken, optId, v.optional(obj({ editors: v.optional(editors), proxyConsent: v.optional(v.boolean()), noSettings: v.optional(v.boolean()) }))]), result: returns<OperationResultDto>() },
  /** Re-enrolment of a CA-issued profile (issue 12): a CSR for its current key, or a new pending key. */
  'csr:new': { args: args([optId, obj({ newKey: v.optional(v.boolean()) })]), result: returns<CsrNewResultDto>() },
  /** Its issuer command: set (a string), removed (null), or re-timed. Runs on this machine; never exported. */
  'issuer:set': {
    args: args([optId, obj({ command: v.optional(v.nullable(str(4096, { min: 1, singleLine: true }))), timeoutSeconds: v.optional(int(1, 3600)) })]),
    result: returns<{ profileId: string; issuerCommand: { command: string; timeoutSeconds: number } | null; message: string }>(),
  },
  /** A local-CA profile's CA certificate (public), for the deployment admin's client-CA list. */
  'ca:cert': { args: args([optId]), result: returns<string>() },
  /** The same, saved where the user chooses in a native save dialog. */
  'ca:saveCert': { args: args([optId]), result: returns<Saved>() },
  'wizard:checkDeployment': { args: args([url, v.optional(host), v.optional(fileToken)]), result: returns<DoctorReportDto>() },
  'wizard:previewSettings': {
    args: args([obj({ editors, altHost: v.optional(host), hasCaBundle: v.boolean(), hasHeaders: v.optional(v.boolean()), proxyConsent: v.boolean() })]),
    result: returns<SettingsFileResultDto[]>(),
  },
  'wizard:create': { args: args([wizardRequest]), result: returns<InitResultDto>() },
  'editors:detect': { args: args([]), result: returns<EditorStateDto[]>() },
  'settings:apply': {
    args: args([obj({ editors: v.optional(editors), dryRun: v.optional(v.boolean()), proxyConsent: v.optional(v.boolean()) })]),
    result: returns<SettingsFileResultDto[]>(),
  },
  'doctor:run': { args: args([optId]), result: returns<DoctorReportDto>() },
  'dialog:openFile': { args: args([v.picklist(FILE_PURPOSES)]), result: returns<PickedFile | null>() },
  'clipboard:writeText': { args: args([str(65536)]), result: returns<null>() },
  /**
   * "Remind me tomorrow" from the window, on every platform (the notification's own action
   * exists on macOS only): no warning notification for this profile for `hours`, one hour to
   * one week (longer silences a warning the user would forget they silenced). Result: until when.
   */
  'notifications:snooze': { args: args([profileId, int(1, 168)]), result: returns<{ until: string }>() },
  /** Issue 17: the lines that make a workspace trust the profile's CA bundle (public), or the message that it has none. */
  'trust:snippet': { args: args([optId, obj({ format: v.picklist(TRUST_FORMATS), distro: v.optional(v.picklist(TRUST_DISTROS)) })]), result: returns<TrustSnippetDto>() },
  /**
   * Issue 17, drift: what changed outside mtls-tray; Restore (an editor's settings.json path, or
   * "files") and Keep theirs (an editor's path). The service acts only on sources it manages.
   */
  'drift:get': { args: args([]), result: returns<DriftReportDto>() },
  'drift:restore': { args: args([driftSource]), result: returns<DriftActionResultDto>() },
  'drift:keepTheirs': { args: args([driftSource]), result: returns<DriftActionResultDto>() },
} as const;

export type IpcChannel = keyof typeof IPC;

/** Every channel, for the preload's allow-list and the handler registry. */
export const IPC_CHANNELS: readonly IpcChannel[] = Object.freeze(Object.keys(IPC) as IpcChannel[]);
