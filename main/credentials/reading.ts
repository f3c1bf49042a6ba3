// The part of the credential engine that only reads: what `status`, `list` and `refresh`
// need. Nothing imported from here loads @peculiar/x509, the @peculiar/asn1-* schemas or
// node-forge, so a CLI start that only reports stays fast; callers that make or import
// credentials load `./making` with a dynamic import() where they need it. (There is no
// index of both halves on purpose: one static import of it would undo the split.)
export { certificateReport, DEFAULT_EXPIRING_SOON_DAYS } from './report';
export type { CertificateReport, ReportOptions } from './report';
export { makeWarning, WARNING_CODES, GO_LEGACY_CN_ERROR, formatDate } from './warnings';
export type { CertWarning, WarningCode, WarningParams, Severity } from './warnings';
export { parseSan, formatSan, sameSan } from './san';
export type { San, SanType } from './san';
export { KEY_ALGORITHMS, DEFAULT_KEY_ALGORITHM, isKeyAlgorithm, describeKey, keyAlgorithmOf } from './key-algorithm';
export type { KeyAlgorithm, KeyDescription } from './key-algorithm';
export { fingerprintSha256Hex } from './fingerprint';
export { certificateSans } from './cert-info';
