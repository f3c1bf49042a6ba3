/**
 * The first-run wizard's model: what the user has typed so far (kept across Back and Next),
 * which steps apply to the chosen identity source, the checks each step runs before moving
 * on, and the request finally sent as `wizard:create`. No DOM here, so the rules are
 * unit-tested on Node; wizard.ts draws it.
 */
import type { DoctorReportDto, EditorId, EditorStateDto, InitResultDto, KeyAlgorithm, PickedFile, WizardRequest } from '../../main/ipc/contract';
import { checkImportPassphrase, checkImportSource, emptyImportDraft, type ImportDraft } from '../import-draft';
import { checkDays, checkHeaderName, checkHeaderValue, checkHostName, checkProfileName, checkSans, checkUrl, hostOf, normaliseUrl, sanLines } from '../validate';

export type SourceKind = 'self-signed' | 'csr' | 'local-ca' | 'import-pem' | 'import-p12' | 'teammate';

export type StepId = 'deployment' | 'identity' | 'review-import' | 'keys' | 'headers' | 'editors' | 'apply' | 'done';

/** Every input the wizard shows, so errors can be placed next to the right one. */
export type FieldId =
  | 'url' | 'name' | 'altHost' | 'caBundle'
  | 'source' | 'certFile' | 'keyFile' | 'chainFile' | 'keyPassphrase' | 'p12File' | 'p12Passphrase'
  | 'teammateFile' | 'teammateLink' | 'teammateSource' | 'teammatePassphrase'
  | 'sans' | 'keyAlgorithm' | 'days'
  | 'headers'
  | 'editors'
  | 'general';

export type FieldErrors = Partial<Record<FieldId, string>>;

export interface HeaderRow {
  name: string;
  value: string;
}

export interface WizardState {
  url: string;
  name: string;
  /** True once the user edited the name, so it stops following the URL. */
  nameTouched: boolean;
  altHost: string;
  caBundleFile: PickedFile | null;
  /** The user opened "Server name and CA bundle (advanced)": keep it open across redraws. */
  advancedOpen: boolean;
  /** The last deployment check and the URL/alt host/CA bundle it was run for. */
  deployment: DoctorReportDto | null;
  deploymentKey: string | null;
  /** A check is running because the CA bundle changed (shown in place of the old result). */
  deploymentRechecking: boolean;

  source: SourceKind;
  certFile: PickedFile | null;
  keyFile: PickedFile | null;
  chainFile: PickedFile | null;
  keyPassphrase: string;
  p12File: PickedFile | null;
  p12Passphrase: string;
  /** The teammate's profile, when that is the source. */
  teammate: ImportDraft;

  sans: string;
  keyAlgorithm: KeyAlgorithm;
  days: string;

  headers: HeaderRow[];

  /** Editors found on this machine (null until detected). */
  detectedEditors: EditorStateDto[] | null;
  editors: EditorId[];
  proxyConsent: boolean;

  result: InitResultDto | null;
  connection: DoctorReportDto | null;
}

export function initialState(): WizardState {
  return {
    url: '',
    name: '',
    nameTouched: false,
    altHost: '',
    caBundleFile: null,
    advancedOpen: false,
    deployment: null,
    deploymentKey: null,
    deploymentRechecking: false,
    source: 'self-signed',
    certFile: null,
    keyFile: null,
    chainFile: null,
    keyPassphrase: '',
    p12File: null,
    p12Passphrase: '',
    teammate: emptyImportDraft(),
    sans: '',
    keyAlgorithm: 'ecdsa-p256',
    days: '30',
    headers: [],
    detectedEditors: null,
    editors: [],
    // VS Code's default `http.proxySupport` ("override") stops the client certificate from
    // being sent; the box starts ticked and the diff on the same screen shows the change.
    proxyConsent: true,
    result: null,
    connection: null,
  };
}

export const STEP_TITLES: Record<StepId, string> = {
  deployment: 'Deployment',
  identity: 'Identity',
  'review-import': 'Review profile',
  keys: 'Names and key',
  headers: 'Headers',
  editors: 'Editors',
  apply: 'Apply',
  done: 'Test and summary',
};

/** A teammate's profile already says which names, key and headers to use. */
export function stepsFor(state: Pick<WizardState, 'source'>): StepId[] {
  if (state.source === 'teammate') return ['deployment', 'identity', 'review-import', 'editors', 'apply', 'done'];
  // An imported certificate already carries its names, key and lifetime.
  if (state.source === 'import-pem' || state.source === 'import-p12') return ['deployment', 'identity', 'headers', 'editors', 'apply', 'done'];
  return ['deployment', 'identity', 'keys', 'headers', 'editors', 'apply', 'done'];
}

/** Imported identities bring their own names and key; the keys step then shows only what applies. */
export function generatesKey(source: SourceKind): boolean {
  return source === 'self-signed' || source === 'csr' || source === 'local-ca';
}

export function suggestedName(url: string): string {
  return hostOf(url) || '';
}

/**
 * The cache key of a deployment check: re-check when URL, alt host or CA bundle changed. The
 * CA bundle counts because the server's certificate is checked against it: a trust failure
 * without it may pass with it (a deployment behind a private CA).
 */
export function deploymentKey(state: Pick<WizardState, 'url' | 'altHost' | 'caBundleFile'>): string {
  return `${normaliseUrl(state.url)}|${state.altHost.trim()}|${state.caBundleFile?.token ?? ''}`;
}

/**
 * Whether picking, changing or removing the CA bundle re-runs the deployment check at once: only
 * once the user has seen a check (before that, "Check and continue" runs it with the CA anyway)
 * and while the address and server name are valid.
 */
export function recheckOnCaChange(s: WizardState): boolean {
  if (s.deployment === null) return false;
  if (s.source === 'teammate' && s.url.trim() === '') return false;
  const e = validateStep('deployment', s);
  return e.url === undefined && e.altHost === undefined;
}

/** Checks a step can make on its own before Next; network checks happen in the controller. */
export function validateStep(step: StepId, s: WizardState): FieldErrors {
  const e: FieldErrors = {};
  const put = (f: FieldId, msg: string | null) => {
    if (msg) e[f] = msg;
  };
  switch (step) {
    case 'deployment':
      if (s.source !== 'teammate' || s.url.trim() !== '') put('url', checkUrl(s.url));
      if (s.source !== 'teammate') put('name', checkProfileName(s.name || suggestedName(s.url)));
      put('altHost', checkHostName(s.altHost));
      break;
    case 'identity':
      if (s.source === 'import-pem') {
        if (!s.certFile) e.certFile = 'Choose the certificate file (.crt or .pem)';
        if (!s.keyFile) e.keyFile = 'Choose the private key file (.key or .pem)';
      } else if (s.source === 'import-p12') {
        if (!s.p12File) e.p12File = 'Choose the PKCS#12 file (.p12 or .pfx)';
        if (s.p12Passphrase === '') e.p12Passphrase = 'Enter the passphrase the file was protected with';
      } else if (s.source === 'teammate') {
        const t = checkImportSource(s.teammate);
        if (t.file) e.teammateFile = t.file;
        if (t.link) e.teammateLink = t.link;
      }
      break;
    case 'review-import':
      put('teammatePassphrase', checkImportPassphrase(s.teammate));
      break;
    case 'keys':
      if (generatesKey(s.source)) {
        put('sans', checkSans(s.sans));
        put('days', checkDays(s.days));
      }
      break;
    case 'headers':
      s.headers.forEach((row, i) => {
        if (row.name === '' && row.value === '') return;
        const msg = checkHeaderName(row.name) ?? checkHeaderValue(row.value);
        if (msg && !e.headers) e.headers = `Header ${i + 1}: ${msg}`;
      });
      if (!e.headers) {
        const names = s.headers.filter((r) => r.name !== '').map((r) => r.name.toLowerCase());
        const dup = names.find((n, i) => names.indexOf(n) !== i);
        if (dup) e.headers = `The header ${dup} is listed twice`;
      }
      break;
    default:
      break;
  }
  return e;
}

/** The identity part of the request: picked files go by token, never by content. */
function identityOf(s: WizardState): WizardRequest['identity'] {
  switch (s.source) {
    case 'import-pem': {
      const id: WizardRequest['identity'] = { kind: 'import-pem', certFile: s.certFile?.token ?? '', keyFile: s.keyFile?.token ?? '' };
      if (s.chainFile) id.chainFile = s.chainFile.token;
      if (s.keyPassphrase !== '') id.passphrase = s.keyPassphrase;
      return id;
    }
    case 'import-p12':
      return { kind: 'import-p12', file: s.p12File?.token ?? '', passphrase: s.p12Passphrase };
    case 'csr':
      return { kind: 'csr' };
    case 'local-ca':
      return { kind: 'local-ca' };
    default:
      return { kind: 'self-signed' };
  }
}

export function buildWizardRequest(s: WizardState): WizardRequest {
  const req: WizardRequest = {
    url: normaliseUrl(s.url),
    name: (s.name.trim() || suggestedName(s.url)).trim(),
    identity: identityOf(s),
  };
  if (generatesKey(s.source)) {
    const sans = sanLines(s.sans);
    if (sans.length) req.sans = sans;
    req.keyAlgorithm = s.keyAlgorithm;
    req.days = Number(s.days.trim());
  }
  if (s.caBundleFile) req.caBundleFile = s.caBundleFile.token;
  if (s.altHost.trim()) req.altHost = s.altHost.trim();
  const headers = s.headers.filter((r) => r.name !== '' || r.value !== '');
  if (headers.length) req.headers = headers.map((r) => ({ name: r.name, value: r.value }));
  if (s.editors.length) {
    req.editors = [...s.editors];
    req.proxyConsent = s.proxyConsent;
  } else {
    req.noSettings = true;
  }
  return req;
}

/** The deployment check's suggestion for `tlsAltHost`, when its server-name check found one. */
export function suggestedAltHost(report: DoctorReportDto | null): string | null {
  if (!report) return null;
  for (const c of report.checks as Array<DoctorReportDto['checks'][number] & { data?: Record<string, unknown> }>) {
    const v = c.data?.suggestedAltHost ?? c.data?.altHost;
    if (typeof v === 'string' && v !== '') return v;
  }
  return null;
}

/** True when the server's certificate does not name the host (the case `tlsAltHost` exists for). */
export function hostNotCovered(report: DoctorReportDto | null): boolean {
  if (!report) return false;
  return report.checks.some((c) => {
    const code = (c as { code?: string }).code;
    // A CN-only server certificate (NO_SAN) is not helped by tlsAltHost, so it does not count.
    return (c.status === 'fail' || c.status === 'warn') && (code === 'HOST_NOT_IN_SAN' || (code === undefined && c.id === 'server-names'));
  });
}
