// The one place that wires @peculiar/x509 to Node's WebCrypto. Every module that makes
// certificates or CSRs imports `x509` from here, so the provider is set exactly once and
// before first use (reflect-metadata must load before @peculiar's decorators run).
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export { x509 };
export const subtle = webcrypto.subtle;
