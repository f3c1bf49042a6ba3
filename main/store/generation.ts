// A generation as the store writes and reports it: the files that make one, what is known
// about it once written, and the check that runs before any of it touches the disk.
import { parseHeaderCommandOutput } from '../base/header-output';
import { UserError } from '../base/errors';
import { certFacts, checkCertificateBundle, keyMatchesCert, parsePrivateKey } from './cert-facts';
import { FILE_NAMES } from './layout';
import type { GenerationManifest, GenerationOperation } from './manifest';
import type { LayoutKind } from './pointers';
import type { StoreLogger } from './recovery';
import type { ScriptLocation } from './script-location';

export interface StoreOptions {
  dataDir: string;
  platform?: NodeJS.Platform;
  /**
   * 'links': symlinks swapped atomically (DESIGN.md §2). 'fixed': pointer files and a real
   * `active/current/` directory replaced file by file (the weaker guarantee of §2.5, see
   * active-mirror.ts). Default: 'fixed' on win32, 'links' elsewhere. The editor's paths are
   * the same in both.
   */
  layout?: LayoutKind;
  /** For the script location (XDG_STATE_HOME, LOCALAPPDATA) when the data path has `%`. */
  env?: Readonly<Record<string, string | undefined>>;
  homedir?: string;
  /** Overrides the computed script location. */
  scriptLocation?: ScriptLocation;
  logger?: StoreLogger;
  /** How long a writer waits for another one (default 15 s). */
  lockWaitMs?: number;
  /** Generations kept besides the current one (default 2, the minimum). */
  keepPrevious?: number;
  now?: () => Date;
}

export interface GenerationFiles {
  cert: string;
  key: string;
  /** CAs that verify the deployment's server; null/undefined = no ca.crt (coder.tlsCaFile stays unset). */
  ca?: string | null;
  /** Rendered `name=value` lines (headers.ts renderHeadersFile). */
  headers: string;
}

export interface GenerationInfo {
  profileId: string;
  number: number;
  dir: string;
  current: boolean;
  createdAt: string;
  operation: GenerationOperation;
  serial: string;
  fingerprintSha256: string;
  spkiSha256: string;
  notBefore: string;
  notAfter: string;
  hasCa: boolean;
}

export interface CurrentCredentials {
  cert: string;
  key: string;
  ca: string | null;
  headers: string;
  info: GenerationInfo;
}

export interface WriteMeta {
  operation: GenerationOperation;
  now?: Date;
}

export function infoOf(profileId: string, dir: string, m: GenerationManifest, current: boolean): GenerationInfo {
  return {
    profileId,
    number: m.number,
    dir,
    current,
    createdAt: m.createdAt,
    operation: m.operation,
    serial: m.cert.serial,
    fingerprintSha256: m.cert.sha256,
    spkiSha256: m.cert.spkiSha256,
    notBefore: m.cert.notBefore,
    notAfter: m.cert.notAfter,
    hasCa: FILE_NAMES.ca in m.files,
  };
}

/** Checks a generation's files before anything touches the disk. */
export function validateGenerationFiles(files: GenerationFiles): void {
  const facts = certFacts(files.cert, 'the new certificate');
  parsePrivateKey(files.key, 'the new private key');
  if (!keyMatchesCert(files.cert, files.key)) {
    throw new UserError('KEY_MISMATCH', `The private key does not belong to the certificate (SHA-256 ${facts.sha256}).`, 'Pass the key that was created together with this certificate.');
  }
  if (files.ca !== undefined && files.ca !== null) checkCertificateBundle(files.ca, 'The CA bundle');
  if (files.headers !== '' && !files.headers.endsWith('\n')) throw new Error('a headers file must end with a newline');
  const parsed = parseHeaderCommandOutput(files.headers);
  if (!parsed.ok) {
    throw new UserError('HEADER_INVALID', `The headers would not be accepted by the Coder extension: line ${parsed.lineNumber}, ${parsed.reason}.`, undefined, 'headers');
  }
}
