// The one place that wires @peculiar/x509 to Node's WebCrypto. Every module that makes
// certificates or CSRs imports `x509` from here, so the provider is set exactly once and
// before first use (reflect-metadata must load before @peculiar's decorators run).
//
// The library is loaded on first use, not at import: initialising it (reflect-metadata,
// tsyringe and the ASN.1 schema decorators of every structure it knows) is a large share of
// a CLI cold start, and `status`, `list` and `refresh` only read certificates, which
// cert-info does without it. Importing this module costs nothing; the first property read
// on `x509` (a class, an enum) loads and configures the library.
import { webcrypto } from 'node:crypto';
import type * as Lib from '@peculiar/x509';

let lib: typeof Lib | undefined;

function load(): typeof Lib {
  if (!lib) {
    require('reflect-metadata');
    const loaded = require('@peculiar/x509') as typeof Lib;
    loaded.cryptoProvider.set(webcrypto as unknown as Crypto);
    lib = loaded;
  }
  return lib;
}

/** @peculiar/x509, loaded on first property access. */
export const x509: typeof Lib = new Proxy({} as typeof Lib, {
  get: (_target, prop) => load()[prop as keyof typeof Lib],
  has: (_target, prop) => prop in load(),
});

// The types callers name as `x509.Something` (a namespace merged with the value above;
// type-only, so it adds nothing at run time). Add one here when a module needs another.
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace x509 {
  export type X509Certificate = Lib.X509Certificate;
  export type Extension = Lib.Extension;
  export type SubjectAlternativeNameExtension = Lib.SubjectAlternativeNameExtension;
  export type KeyUsagesExtension = Lib.KeyUsagesExtension;
  export type ExtendedKeyUsageExtension = Lib.ExtendedKeyUsageExtension;
  export type BasicConstraintsExtension = Lib.BasicConstraintsExtension;
  export type Name = Lib.Name;
  export type Pkcs10CertificateRequest = Lib.Pkcs10CertificateRequest;
  export type KeyUsageFlags = Lib.KeyUsageFlags;
}

export const subtle = webcrypto.subtle;

/** Whether the library has been loaded in this process (for tests of the lazy start path). */
export function x509Loaded(): boolean {
  return lib !== undefined;
}
