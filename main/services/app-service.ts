/**
 * The one service the front ends drive: the CLI, the tray and the window all call these
 * methods, so the Electron layer stays thin and everything here runs on plain Node.
 * Data crossing this boundary is plain JSON (dates as ISO strings) and never holds a
 * private key: that is what lets the IPC layer forward these shapes to the renderer as-is.
 */

import type { CertificateReportFields } from '../base/certificate-report';
import type { EditorStateFields } from '../base/editor-state';
import type { EditorId, IdentitySource, KeyAlgorithm, TrustDistro, TrustFormat } from '../base/vocabulary';

// Issue 17's drift shapes live beside this file (drift-dtos.ts), part of the same contract.
import type { DriftActionResultDto, DriftFindingDto, DriftNoticeDto, DriftReportDto } from './drift-dtos';
export type { DriftActionResultDto, DriftFindingDto, DriftNoticeDto, DriftReportDto, DriftSourceDto } from './drift-dtos';

// The words of this contract, defined in the shared vocabulary.
export type { EditorId, IdentitySource, KeyAlgorithm, WarningCode, ErrorCode, TrustDistro, TrustFormat } from '../base/vocabulary';

export interface WarningDto {
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  fix: string;
}

/** The certificate report as JSON: SANs in openssl spelling (`DNS:host`), warnings as data. */
export type CertificateReportDto = CertificateReportFields<string, WarningDto>;

export interface ProfileSummaryDto {
  id: string;
  name: string;
  url: string;
  altHost: string | null;
  source: IdentitySource;
  pending: boolean;
  active: boolean;
  /** mtls-tray can renew it by itself (its own key and certificate, or an issuer command): the renewal classifier's answer. */
  canRenew: boolean;
  /** mtls-tray makes both key and certificate itself (self-signed, local CA), so a rotation works; a CA-issued identity rotates by re-enrolment with a new key. */
  canRotate: boolean;
  /** The names (SANs, openssl spelling) a renewal or a certificate request of this profile asks for; empty when it has none (a CN-only import): the window then asks for names before renewing or requesting. */
  sans: string[];
  /** null while a CSR profile waits for its certificate. */
  notAfter: string | null;
  daysLeft: number | null;
  level: 'ok' | 'expiring' | 'expired' | 'pending' | 'broken';
  /** A CA-issued profile: whether this machine has an issuer command for it (the command itself stays local). */
  issuerCommand?: boolean;
  /** A re-enrolment by hand waiting for the CA (`csr new`): since when, and what to send where. */
  reenrolment?: { since: string; newKey: boolean; csrFile: string; next: string };
}

export interface GenerationDto {
  number: number;
  current: boolean;
  createdAt: string;
  serial: string;
  fingerprintSha256: string;
  notAfter: string;
  notBefore?: string;
  /** What made it: create, import, renew, rotate, csr-complete, edit... */
  operation?: string;
}

/** One editor's settings as JSON (see base/editor-state.ts), and whether mtls-tray manages it. */
export type EditorStateDto = EditorStateFields & {
  /** mtls-tray wrote this file (init, settings apply) and keeps it in step (switch, edit, drift). */
  managed: boolean;
  /** The user chose "Keep theirs" then (ISO): not managed until `settings apply --editor ID`. */
  keptTheirs: string | null;
  /** Managed, and its coder.* keys no longer hold mtls-tray's values: one line per key. */
  drift: DriftFindingDto[];
};


/** A profile's renewal policy, as stored in profile.json. */
export interface RenewalPolicyDto {
  /** Renew automatically (scheduler and refresh hook) when the identity source allows it. */
  auto: boolean;
  /** Share of the lifetime after which it renews. */
  renewAt: number;
  /** Largest random advance of the renewal time, as a share of the lifetime. */
  jitter: number;
}

export interface RenewalDto {
  action: 'renew' | 'wait' | 'retry' | 'manual';
  at: string | null;
  /** The planned renewal time (jitter included). */
  renewAt: string | null;
  reason: string;
  /** The certificate's warning level now. */
  warning: 'ok' | 'lifetime-80' | 'days-7' | 'days-1' | 'expired' | 'not-yet-valid';
  /** The policy this plan comes from: the scheduler plans with it (adding its back-off), never a copy of its own. */
  policy: RenewalPolicyDto;
}

export interface StatusDto {
  profile: ProfileSummaryDto;
  report: CertificateReportDto | null;
  /** The profile's renewal plan now (planRenewal over its policy); null without a certificate. */
  renewal: RenewalDto | null;
  /** This profile's own files: `active/current/…` for the active profile, `profiles/<id>/current/…` for another. The scripts serve the active profile. */
  files: { cert: string; key: string; ca: string | null; headers: string; headerCommand: string; refreshCommand: string };
  /** When this profile is not the active one: the profile the editors use (its id and name). */
  editorsUse: { id: string; name: string } | null;
  settingsValues: Record<string, string | null>;
  editors: EditorStateDto[];
  /** Issue 17: every drifted key of the managed editors, then every published file that no longer matches the active generation. */
  drift: DriftFindingDto[];
  generations: GenerationDto[];
  /** The data dir's ownership check (DESIGN §2): null when safe, else what is wrong and the fix. */
  dataDirProblem: { code: string; message: string; fix?: string } | null;
}

export interface OperationResultDto {
  ok: true;
  profileId: string;
  generation: number;
  message: string;
}

export interface SettingsFileResultDto {
  editor: EditorId | 'custom';
  path: string;
  changed: boolean;
  wrote: boolean;
  keys: string[];
  /** Of `keys`, those that make open remote windows of the Coder extension ask to reload (DESIGN §1); a notice names them too. */
  reloadKeys: string[];
  diff: string;
  notices: string[];
  /** This file could not be handled (e.g. invalid JSONC); nothing was written to it. */
  error?: { code: string; message: string; fix?: string };
}

/** Where the identity of a new profile comes from. File contents, never paths: the caller reads them. */
export type IdentityInput =
  | { kind: 'self-signed' }
  | { kind: 'csr' }
  | { kind: 'local-ca' }
  | { kind: 'import-pem'; certPem: string; keyPem: string; chainPem?: string; passphrase?: string }
  | { kind: 'import-p12'; p12: Uint8Array; passphrase: string };

export interface InitRequest {
  url: string;
  name?: string;
  identity: IdentityInput;
  sans?: string[];
  keyAlgorithm?: KeyAlgorithm;
  days?: number;
  caBundlePem?: string;
  altHost?: string;
  headers?: Array<{ name: string; value: string }>;
  /** Editors to configure; undefined = every installed one. */
  editors?: EditorId[];
  settingsFiles?: string[];
  noSettings?: boolean;
  proxyConsent?: boolean;
  /** A CA-issued profile's issuer command (local trust; with --csr the profile is complete as soon as it answers). */
  issuerCommand?: string;
  issuerTimeoutSeconds?: number;
}

export interface InitResultDto {
  profile: ProfileSummaryDto;
  /** For a CSR profile: the request to hand to the CA. */
  csrPem?: string;
  settings: SettingsFileResultDto[];
  notices: string[];
  /** What the certificate report says about an imported identity (CN only, weak key, ...): shown at import. */
  warnings?: WarningDto[];
  /** The profile active before, when this one replaced it (null: none was active, or it still is). */
  replaced?: { id: string; name: string } | null;
}

export interface ImportPreviewDto {
  review: string[];
  name: string;
  url: string;
  needsPassphrase: boolean;
}

export interface DoctorCheckDto {
  id: string;
  title: string;
  status: 'pass' | 'warn' | 'fail' | 'skip';
  detail: string;
  fix?: string;
  /** The doctor's code for what it found (e.g. `HOST_NOT_IN_SAN`, `GATEWAY_REJECTED_CERT`), where it names one: the window picks the fix button by id and code. */
  code?: string;
  /** Not run because the profile waits for its first certificate: it runs after the import. */
  afterImport?: boolean;
}

export interface DoctorReportDto {
  /** The deployment checked and when (ISO); the doctor's own report, passed through. */
  url: string;
  checkedAt: string;
  ok: boolean;
  checks: DoctorCheckDto[];
  /** The profile waits for its first certificate: only the server side was checked (see DoctorCheckDto.afterImport). */
  pendingCertificate?: boolean;
}

export interface EditRequest {
  profileId?: string;
  name?: string;
  /** A new CA bundle (PEM); null removes the profile's bundle. */
  caBundlePem?: string | null;
  /** A new alt host; null removes it. */
  altHost?: string | null;
  /** Headers to add, or to replace when one of that name exists (names compare case-insensitively). */
  setHeaders?: Array<{ name: string; value: string }>;
  removeHeaders?: string[];
  sans?: string[];
  days?: number;
  keyAlgorithm?: KeyAlgorithm;
  dryRun?: boolean;
}

export interface EditResultDto {
  profile: ProfileSummaryDto;
  dryRun: boolean;
  /** The profile fields that change. */
  changed: string[];
  /** The new generation (same key, same certificate) made for a new CA bundle or new headers; null when none was (or, in a dry run, would be) made. */
  generation: number | null;
  /** Whether a new generation is (or would be) made. */
  newGeneration: boolean;
  /** Fields that apply from the next renew or rotate. */
  fromNextRenewal: string[];
  /** One result per configured editor when the coder.* values change; empty otherwise. */
  settings: SettingsFileResultDto[];
  notices: string[];
  /** The profile's editable values after the edit (in a dry run: as they would be). The window's edit dialog starts from these. */
  values: EditableProfileDto;
}

/** What `edit` can change, as a person typed it (the window shows these and sends back only what the user changed). */
export interface EditableProfileDto {
  name: string;
  altHost: string | null;
  hasCaBundle: boolean;
  headers: Array<{ name: string; value: string }>;
  /** SANs as typed: the template (with `{user}`, `{hostname}`) when the profile has one, else its SANs. */
  sans: string[];
  days: number;
  keyAlgorithm: KeyAlgorithm;
}

export interface HistoryDto {
  profileId: string;
  name: string;
  /** Whether the editors use this profile (it is the active one). */
  active: boolean;
  /** Newest first. */
  generations: GenerationDto[];
}

export interface SettingsRequest {
  editors?: EditorId[];
  settingsFiles?: string[];
  dryRun?: boolean;
  proxyConsent?: boolean;
}

/**
 * Everything the tray, the window and the CLI can do. Implemented by `createAppService`
 * (main/services/create-app-service.ts) over a data directory; fakes implement it in tests.
 */
export interface AppService {
  listProfiles(): Promise<ProfileSummaryDto[]>;
  /** null when there is no profile yet (the window shows the first-run wizard). */
  status(profileId?: string): Promise<StatusDto | null>;
  init(req: InitRequest): Promise<InitResultDto>;
  renew(profileId?: string): Promise<OperationResultDto>;
  rotate(profileId?: string): Promise<OperationResultDto>;
  rollback(profileId?: string): Promise<OperationResultDto>;
  switchProfile(profileId: string): Promise<{ profileId: string; settings: SettingsFileResultDto[] }>;
  renameProfile(profileId: string, name: string): Promise<ProfileSummaryDto>;
  deleteProfile(profileId: string): Promise<void>;
  /** Changes a profile after init (DESIGN §2.1); dryRun shows the settings diff and writes nothing. */
  editProfile(req: EditRequest): Promise<EditResultDto>;
  /** The profile's generations, newest first. */
  history(profileId?: string): Promise<HistoryDto>;
  /** Completes a CSR profile and, unless told not to, applies editor settings (it was not configured before). */
  csrImportCert(certPem: string, profileId?: string, settings?: SettingsRequest & { noSettings?: boolean; chainPem?: string }): Promise<OperationResultDto & { settings: SettingsFileResultDto[] }>;
  /** The pending CSR of a `csr` profile or of a re-enrolment, to copy or save again. */
  pendingCsr(profileId?: string): Promise<string>;
  /** Re-enrolment by hand: a CSR for the current key (or a new pending key); the profile keeps serving. */
  csrNew(profileId: string | undefined, opts: { newKey?: boolean }): Promise<CsrNewResultDto>;
  /** Sets (a string), removes (null) or re-times a CA-issued profile's issuer command: local trust, never exported. */
  setIssuerCommand(profileId: string | undefined, opts: { command?: string | null; timeoutSeconds?: number }): Promise<{ profileId: string; issuerCommand: { command: string; timeoutSeconds: number } | null; message: string }>;
  exportProfile(profileId: string | undefined, opts: { withIdentityPassphrase?: string }): Promise<string>;
  exportLink(profileId?: string): Promise<string>;
  /** sans / name: what `import --san/--name` put in place of the file's. */
  previewImport(textOrLink: string, overrides?: { sans?: string[]; name?: string }): Promise<ImportPreviewDto>;
  importProfile(textOrLink: string, opts: { passphrase?: string; editors?: EditorId[]; noSettings?: boolean; proxyConsent?: boolean; sans?: string[]; name?: string }): Promise<InitResultDto>;
  applySettings(req: SettingsRequest): Promise<SettingsFileResultDto[]>;
  /** The exact diff per file for a profile that does not exist yet (the wizard's editors step). */
  previewSettings(req: { editors: EditorId[]; altHost?: string; hasCaBundle: boolean; hasHeaders?: boolean; proxyConsent: boolean }): Promise<SettingsFileResultDto[]>;
  removeSettings(req: SettingsRequest): Promise<SettingsFileResultDto[]>;
  detectEditors(): Promise<EditorStateDto[]>;
  doctor(profileId?: string): Promise<DoctorReportDto>;
  /** Check a deployment URL before a profile exists (the wizard's first step). */
  checkDeployment(url: string, altHost?: string, caBundlePem?: string): Promise<DoctorReportDto>;
  /** For coder.tlsCertRefreshCommand: renew when needed and possible; ok only with valid credentials in place. */
  refresh(): Promise<RefreshResultDto>;
  /** The current coder.* values of every editor we know. */
  showSettings(req: SettingsRequest): Promise<Array<{ editor: EditorId | 'custom'; path: string; exists: boolean; values: Record<string, unknown> }>>;
  /** Issue 17: what changed outside mtls-tray (managed editors' coder.* keys, the published files), read-only. */
  driftReport(): Promise<DriftReportDto>;
  /** The tray's drift watch: the report, fed to the restore-loop guard, and the notices it calls for. */
  observeDrift(): Promise<{ report: DriftReportDto; notices: DriftNoticeDto[] }>;
  /** Restore: one settings write for an editor (its settings.json path), or re-publish the active generation ("files"). */
  restoreDrift(source: string): Promise<DriftActionResultDto>;
  /** Keep theirs: stop managing this editor (its settings.json path) until `settings apply --editor ID`. */
  keepTheirs(source: string): Promise<DriftActionResultDto>;
  /** A `local-ca` profile signs a teammate's CSR, copying only the allowed SANs. */
  caSign(csrPem: string, opts: { days?: number; allowSans?: string[]; profileId?: string }): Promise<{ certPem: string; copied: string[]; refused: string[] }>;
  /** The local CA's certificate, for the server's client-CA list. */
  caCert(profileId?: string): Promise<string>;
  /** Lines that make a workspace trust the profile's CA bundle (issue 17); a message instead when it has none. */
  trustSnippet(profileId: string | undefined, req: TrustSnippetRequest): Promise<TrustSnippetDto>;
}

export interface TrustSnippetRequest {
  format: TrustFormat;
  /** For dockerfile and terraform (fixed paths); the shell form finds the store itself. Default debian. */
  distro?: TrustDistro;
}

/** A trust snippet, or (hasCaBundle false) only the message that the platform's trust applies. The CA is public: no key here. */
export interface TrustSnippetDto {
  profileId: string;
  profileName: string;
  url: string;
  hasCaBundle: boolean;
  format: TrustFormat;
  /** null for the shell form (it finds the store of the system it runs on) and without a CA bundle. */
  distro: TrustDistro | null;
  /** One sentence for people: what the snippet does and what it needs, or why there is none. */
  message: string;
  snippet: string | null;
  /** The snippet's file name for `--out DIR`, e.g. `mtls-tray-team.dockerfile`. */
  fileName: string | null;
  /** `mtls-tray-<id>.crt`: the CA file beside the snippet and in the trust store. */
  caFileName: string | null;
  /** The CA bundle as emitted (canonical PEM). */
  caPem: string | null;
  certificates: number;
  /** The NODE_EXTRA_CA_CERTS value the snippet sets; null for the shell form (it exports the path it installed to). */
  nodeExtraCaCerts: string | null;
}

export interface CsrNewResultDto {
  profileId: string;
  csrPem: string;
  newKey: boolean;
  since: string;
  message: string;
}

export interface RefreshResultDto {
  ok: boolean;
  renewed: boolean;
  message: string;
}
