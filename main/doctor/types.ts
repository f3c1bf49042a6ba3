/**
 * The doctor's contract: what the caller hands in (everything already read from disk and
 * from the editors' settings, so the doctor does no file I/O of its own) and the report it
 * hands back. The report is structurally a `DoctorReportDto` (main/services/app-service.ts),
 * with two optional extras per check (`code`, `data`) for `--json` consumers and tests.
 */

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

export interface DoctorCheck {
  /** Stable id, e.g. `dns`, `server-names`, `mtls-handshake`, `editor-settings:code`. */
  id: string;
  title: string;
  status: CheckStatus;
  /** One line: what was found. */
  detail: string;
  /** One line: what to do, when there is something to do. */
  fix?: string;
  /** Warning code shared with the certificate report (DESIGN.md §5) where one applies, e.g. `NO_SAN`. */
  code?: string;
  /** Machine-readable facts behind the verdict (alert number, HTTP status, suggested tlsAltHost ...). */
  data?: Record<string, unknown>;
}

export interface DoctorReport {
  url: string;
  /** ISO time the doctor ran (from the injected clock). */
  checkedAt: string;
  checks: DoctorCheck[];
  /** True when no check failed (warnings and skips do not count). */
  ok: boolean;
}

/** One editor's current values of the keys we manage, as read from its user settings.json. */
export interface EditorSnapshot {
  id: string;
  /** The editor's name for sentences ("Cursor"); default: its id. */
  name?: string;
  settingsPath: string;
  /** mtls-tray wrote this file and manages it: a difference is drift ("now points at …"). */
  managed?: boolean;
  /** The user chose "Keep theirs" for this editor (ISO time): not checked until `settings apply` manages it again. */
  keptTheirs?: string;
  /** `coder.*` keys and `http.proxySupport`; a missing key means "not set". */
  values: Record<string, unknown>;
  /** The file could not be read (e.g. invalid JSONC): reported as such, never as "not set". */
  readError?: { message: string; fix?: string };
}

/** Resolves a host name the way Node's http client does (dns.lookup, i.e. getaddrinfo and /etc/hosts). */
export type HostLookup = (host: string) => Promise<Array<{ address: string; family: number }>>;

export interface DoctorInput {
  /** Deployment URL, e.g. `https://coder.example.com`. */
  url: string;
  /** `coder.tlsAltHost`: the name the extension verifies the server certificate against (TLS servername). */
  altHost?: string;
  /** Our CA bundle for the server (`coder.tlsCaFile`); absent means Node's default trust store. */
  caBundlePem?: string;
  /** The active credentials. Absent for a deployment-only check (the wizard's first step). */
  certPem?: string;
  keyPem?: string;
  /** The `coder.headerCommand` value, run exactly as the extension runs it. */
  headerCommand?: string;
  /** Editors whose settings to check; empty or absent skips the editor checks. */
  editors?: EditorSnapshot[];
  /** Values our settings should have (undefined = must be unset), keyed like `coder.tlsCertFile`. */
  expected?: Record<string, string | undefined>;
  now?: Date;
  /** Limit for each network step and for the header command (default 10 s). */
  timeoutMs?: number;
  /** Environment for the header command and for `${env:VAR}` in settings paths (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Path rules for comparing settings paths (default: this machine's). */
  platform?: NodeJS.Platform;
  /** Home directory for `~` and `${userHome}` in settings paths (default os.homedir()). */
  homeDir?: string;
  /** Name resolution (default: dns.lookup with all addresses). */
  lookup?: HostLookup;
}
