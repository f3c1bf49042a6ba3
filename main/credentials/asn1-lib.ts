// The @peculiar/asn1-* schema libraries, for the few structures we encode ourselves (the
// PKCS#12 we export, a subject name, a key identifier).
//
// Loaded on first use, like x509-lib: each package registers its schema classes when it is
// evaluated, and asn1js under them is large. Only making and exporting credentials needs
// them; `status`, `list` and `refresh` read certificates with der-read and must not pay for
// them. Importing this module costs nothing; the first property read on one of the objects
// below loads that package.
import type * as Schema from '@peculiar/asn1-schema';
import type * as X509Asn from '@peculiar/asn1-x509';
import type * as Pfx from '@peculiar/asn1-pfx';
import type * as Pkcs8 from '@peculiar/asn1-pkcs8';
import type * as Cms from '@peculiar/asn1-cms';
import type * as Rsa from '@peculiar/asn1-rsa';

function lazy<T extends object>(load: () => T): T {
  let mod: T | undefined;
  return new Proxy({} as T, {
    get: (_target, prop) => (mod ??= load())[prop as keyof T],
    has: (_target, prop) => prop in (mod ??= load()),
  });
}

// Literal require() calls, so esbuild bundles each package and evaluates it only here.
export const asn1Schema: typeof Schema = lazy(() => require('@peculiar/asn1-schema'));
export const asn1X509: typeof X509Asn = lazy(() => require('@peculiar/asn1-x509'));
export const asn1Pfx: typeof Pfx = lazy(() => require('@peculiar/asn1-pfx'));
export const asn1Pkcs8: typeof Pkcs8 = lazy(() => require('@peculiar/asn1-pkcs8'));
export const asn1Cms: typeof Cms = lazy(() => require('@peculiar/asn1-cms'));
export const asn1Rsa: typeof Rsa = lazy(() => require('@peculiar/asn1-rsa'));

/** DER of a schema object (an instance of one of the libraries' classes, or of one registered with them). */
export function toDer(value: unknown): Buffer {
  return Buffer.from(asn1Schema.AsnConvert.serialize(value));
}
