// The part of the credential engine that makes, signs, imports and exports credentials.
// Meant to be loaded with `await import('./making')` at the call site, so the
// bundle initialises these modules (and, through them, @peculiar/x509 and node-forge on
// first use) only for the commands that need them.
export { generateKey } from './keys';
export { createSelfSignedClientCert } from './self-signed';
export type { SelfSignedOptions } from './self-signed';
export { renewCertificate } from './renew';
export type { RenewOptions } from './renew';
export { createLocalCa, issueClientCert } from './local-ca';
export type { LocalCa, IssueOptions } from './local-ca';
export { createCsr, readCsr, signCsr, acceptIssuedCertificate } from './csr';
export type { CsrOptions, CsrInfo, SignCsrOptions, SignCsrResult } from './csr';
export { importPemCredentials } from './import-pem';
export type { ImportedCredentials, PemImportInput, PemImportResult } from './import-pem';
export { importPkcs12, exportPkcs12 } from './pkcs12';
export type { Pkcs12ExportOptions } from './pkcs12';
