/**
 * The words every layer and the window share, defined once. Pure data and predicates with no
 * imports at all, so the renderer may import this module too (it is bundled for the browser):
 * the id, token and host-name patterns, key algorithms, editor ids, identity sources, and the
 * codes of errors and certificate warnings. A new word goes here, not into a neighbour.
 */

/** A profile id is a directory name under profiles/: 1-63 lower-case letters, digits, hyphens. */
export const PROFILE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** RFC 9110 `token`: the characters a header name may have (no `=`, no space, no tab). Node's
 *  HTTP client refuses any other name (ERR_INVALID_HTTP_TOKEN). */
export const HTTP_TOKEN_PATTERN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** A DNS name (labels of 1-63 letters, digits, inner hyphens; 253 in all, optional final dot),
 *  a dotted IPv4 address or a bracketed IPv6 address: what coder.tlsAltHost may hold. */
export const HOST_NAME_PATTERN =
  /^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$|^\d{1,3}(?:\.\d{1,3}){3}$|^\[[0-9A-Fa-f:.]+\]$/;

/** The key algorithms we generate (imports may bring others; the report names those too). */
export const KEY_ALGORITHMS = ['ecdsa-p256', 'ecdsa-p384', 'rsa-2048', 'rsa-3072', 'rsa-4096'] as const;
export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number];
export const DEFAULT_KEY_ALGORITHM: KeyAlgorithm = 'ecdsa-p256';
export function isKeyAlgorithm(value: unknown): value is KeyAlgorithm {
  return (KEY_ALGORITHMS as readonly unknown[]).includes(value);
}

/** The editors whose user settings.json we write (DESIGN §4). */
export const EDITOR_IDS = ['code', 'code-insiders', 'vscodium', 'cursor', 'windsurf', 'code-server'] as const;
export type EditorId = (typeof EDITOR_IDS)[number];
export function isEditorId(value: unknown): value is EditorId {
  return (EDITOR_IDS as readonly unknown[]).includes(value);
}

/** Where a profile's identity came from: made here (self-signed, local CA) or by a CA. */
export const IDENTITY_SOURCES = ['self-signed', 'csr', 'local-ca', 'imported'] as const;
export type IdentitySource = (typeof IDENTITY_SOURCES)[number];

/** `trust snippet --format`: how the profile's CA bundle is carried into a workspace (issue 17). */
export const TRUST_FORMATS = ['dockerfile', 'shell', 'terraform'] as const;
export type TrustFormat = (typeof TRUST_FORMATS)[number];
export function isTrustFormat(value: unknown): value is TrustFormat {
  return (TRUST_FORMATS as readonly unknown[]).includes(value);
}

/** `trust snippet --distro`: the image's trust store layout, for the forms that name a fixed path. */
export const TRUST_DISTROS = ['debian', 'alpine', 'rhel'] as const;
export type TrustDistro = (typeof TRUST_DISTROS)[number];
export function isTrustDistro(value: unknown): value is TrustDistro {
  return (TRUST_DISTROS as readonly unknown[]).includes(value);
}

/** Codes of the certificate report's warnings (DESIGN §5). */
export const WARNING_CODES = [
  'NO_SAN',
  'EXPIRED',
  'NOT_YET_VALID',
  'EXPIRING_SOON',
  'KEY_MISMATCH',
  'NO_CLIENT_AUTH_EKU',
  'CHAIN_UNVERIFIED',
  'WEAK_KEY',
  'WEAK_SIGNATURE',
  'HOST_NOT_IN_SAN',
  'PROXY_SUPPORT_OVERRIDE',
  // issue 16
  'UNSUPPORTED_KEY',
] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

/**
 * Codes of the errors meant for a person (`UserError`). Stable: scripts match `--json` errors
 * on them, and the window maps some to a field or an action. `INTERNAL` is a bug's code.
 */
export const ERROR_CODES = [
  // usage and input
  'USAGE', 'INVALID_URL', 'INVALID_NAME', 'INVALID_ALT_HOST', 'INVALID_FIELD', 'INVALID_JSON', 'INVALID_SOURCE',
  'INVALID_PROFILE_ID', 'DAYS_INVALID', 'DUPLICATE_KEY', 'HEADER_INVALID', 'UNSAFE_HEADER_VALUE', 'COMMON_NAME_INVALID',
  'SAN_INVALID', 'SAN_PATTERN_INVALID', 'UNKNOWN_EDITOR', 'EDITOR_NOT_INSTALLED', 'NOT_CONFIRMED', 'TOO_LARGE',
  'INPUT_TOO_LARGE', 'INPUT_EMPTY',
  // files
  'FILE_NOT_FOUND', 'FILE_NOT_TEXT', 'FILE_TOO_LARGE', 'FILE_UNREADABLE', 'NOT_A_FILE', 'FILE_TOKEN_UNKNOWN',
  // credentials
  'BAD_PASSPHRASE', 'PASSPHRASE_EMPTY', 'PASSPHRASE_NEEDED', 'PASSPHRASE_REQUIRED', 'WEAK_PASSPHRASE',
  'CA_BUNDLE_EMPTY', 'CA_BUNDLE_INVALID', 'CA_BUNDLE_UNREADABLE', 'CA_EXPIRED', 'CA_KEY_MISMATCH', 'NOT_A_CA',
  'CERT_UNREADABLE', 'CERT_KEY_MISMATCH', 'CHAIN_ORDER', 'CSR_BAD_SIGNATURE', 'CSR_UNREADABLE', 'CSR_NO_ALLOWED_SAN',
  'NOT_A_CSR', 'NOT_A_CERTIFICATE', 'NOT_A_PRIVATE_KEY', 'NOT_PEM', 'DER_NOT_PEM', 'PEM_BAD_BASE64', 'PEM_MALFORMED',
  'PEM_TRUNCATED', 'MULTIPLE_KEYS', 'KEY_MISMATCH', 'KEY_UNREADABLE', 'KEY_ALGORITHM_UNKNOWN',
  'KEY_ALGORITHM_UNSUPPORTED', 'KEY_ENCRYPTION_UNSUPPORTED', 'P12_IS_PEM', 'P12_NO_CERT', 'P12_NO_KEY',
  'P12_UNREADABLE', 'P12_UNSUPPORTED',
  // profiles and the store
  'NO_PROFILE', 'NO_SUCH_PROFILE', 'PROFILE_NOT_FOUND', 'PROFILE_EXISTS', 'PROFILE_ACTIVE', 'PROFILE_PENDING',
  'PROFILE_NOT_READY', 'PROFILE_ID_INVALID', 'PROFILE_ID_MISMATCH', 'PROFILE_TOO_NEW', 'NOT_A_PROFILE',
  'NOT_A_PROFILE_LINK', 'LINK_TOO_LONG', 'LINK_WITH_IDENTITY', 'NOT_PENDING', 'NO_CERTIFICATE',
  'NO_PREVIOUS_GENERATION', 'GENERATION_DAMAGED', 'CANNOT_RENEW', 'LOCAL_CA_MISSING', 'NOT_A_LOCAL_CA',
  'DATA_DIR_EMPTY', 'DATA_DIR_PERCENT', 'DATA_DIR_UNSAFE', 'STORE_BUSY', 'LOCK_HELD', 'LOCK_INVALID',
  // editor settings
  'SETTINGS_BACKUP_INVALID', 'SETTINGS_BUSY', 'SETTINGS_DIR_MISSING', 'SETTINGS_INVALID_JSONC', 'SETTINGS_LINK_LOOP',
  'SETTINGS_NOT_A_FILE', 'SETTINGS_NOT_OBJECT', 'SETTINGS_NOT_UTF8', 'SETTINGS_NOT_WRITABLE', 'SETTINGS_READ_ONLY',
  'SETTINGS_WRITE_FAILED',
  // doctor, window, IPC
  'DOCTOR_BAD_URL', 'CA_UNREACHABLE', 'CLIPBOARD_REFUSED', 'SNOOZE_UNAVAILABLE', 'BAD_IPC_ARGUMENTS',
  'UNKNOWN_IPC_CHANNEL', 'FOREIGN_SENDER', 'INTERNAL',
  // issue 13
  'CERT_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_NO_CLIENT_AUTH', 'PROFILE_NAME_TAKEN', 'AMBIGUOUS_PROFILE', 'NOTHING_TO_EDIT',
  'CHAIN_UNRELATED',
  // issue 16
  'CA_BUNDLE_TOO_LARGE', 'DISK_FULL', 'READ_ONLY_FS', 'PERMISSION_DENIED', 'PATH_IS_DIRECTORY', 'PATH_IS_LINK',
  'PATH_NOT_DIRECTORY', 'P12_TOO_COSTLY',
  // issue 12
  'NOT_CA_ISSUED', 'NO_ISSUER_COMMAND',
  'ISSUER_COMMAND_INVALID', 'ISSUER_COMMAND_REFUSED', 'ISSUER_COMMAND_FAILED', 'ISSUER_TIMEOUT',
  'ISSUER_OUTPUT_TOO_LARGE', 'ISSUER_OUTPUT_INVALID',
  // issue 17 trust snippets
  'OUTPUT_EXISTS', 'OUTPUT_DIR_MISSING',
  // issue 17 drift
  'DRIFT_UNKNOWN_SOURCE', 'DRIFT_RESTORE_STOPPED', 'DRIFT_KEPT_THEIRS',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
export function isErrorCode(value: unknown): value is ErrorCode {
  return (ERROR_CODES as readonly unknown[]).includes(value);
}

/**
 * The placeholders a header value may hold, filled in from each generation's certificate when
 * its headers file is written (DESIGN §3; main/store/headers.ts fills them, typed by this list).
 * `cert.spki.sha256` (the public-key pin) changes only when the key does, so it is the one to
 * recommend: a request that straddles a renewal still sends a header matching its certificate.
 */
export const HEADER_PLACEHOLDERS = ['cert.spki.sha256', 'cert.sha256', 'cert.serial', 'cert.notBefore', 'cert.notAfter'] as const;
export type HeaderPlaceholder = (typeof HEADER_PLACEHOLDERS)[number];

/** The drift source that stands for the data dir's published files (issue 17); every other source is an editor's settings.json path. */
export const DRIFT_FILES_SOURCE = 'files';
