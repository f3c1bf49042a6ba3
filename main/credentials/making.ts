// The part of the credential engine that makes, signs, imports and exports credentials.
// Product code loads it only with a lazy `require('../credentials/making')` at the call site,
// never with a static import (nor through a module that has one): a bundle initialises a
// statically imported module at start-up, so `status` would pay for all of this. The
// libraries behind it (@peculiar/x509, @peculiar/asn1-*, node-forge) load on first use.
// test/cli/lazy-bundle.test.ts checks this on the built CLI.
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
export { importPkcs12 } from './pkcs12-read';
export { exportPkcs12 } from './pkcs12-write';
export type { Pkcs12ExportOptions } from './pkcs12-write';
