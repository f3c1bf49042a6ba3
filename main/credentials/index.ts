// The credential engine: making, reading and judging X.509 client credentials.
// Nothing here touches the disk or imports Electron; callers pass text in and get text out.
export { KEY_ALGORITHMS, DEFAULT_KEY_ALGORITHM, isKeyAlgorithm, describeKey, keyAlgorithmOf } from './key-algorithm';
export type { KeyAlgorithm, KeyDescription } from './key-algorithm';
export { parseSan, formatSan, sameSan } from './san';
export type { San, SanType } from './san';
export { generateKey } from './keys';
export { createSelfSignedClientCert } from './self-signed';
export type { SelfSignedOptions } from './self-signed';
export { renewCertificate } from './renew';
export type { RenewOptions } from './renew';
export { fingerprintSha256Hex } from './fingerprint';
