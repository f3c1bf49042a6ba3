// A self-signed client certificate: the quickest way to a working identity when the
// deployment's admin is willing to trust one certificate directly.
import { UserError } from '../errors';
import { buildCertificate } from './certificate-builder';
import { clientExtensions } from './client-extensions';
import { privateKeyFromPem } from './keys';
import type { San } from './san';
import { x509 } from './x509-lib';

export interface SelfSignedOptions {
  keyPem: string;
  sans: San[];
  commonName: string;
  days: number;
  serverAuth?: boolean;
  now?: Date;
}

/** A distinguished name with just a CN, built from the structured form so no DN syntax needs escaping. */
export function commonNameSubject(commonName: string): x509.Name {
  const cn = commonName.trim();
  if (cn === '' || cn.length > 64 || /[\x00-\x1f\x7f]/.test(cn)) {
    throw new UserError('COMMON_NAME_INVALID', `Common name "${commonName}" is not usable: it must be 1 to 64 printable characters.`, 'Pass a short name such as your user name or host name.');
  }
  return new x509.Name([{ CN: [cn] }]);
}

export async function createSelfSignedClientCert(o: SelfSignedOptions): Promise<string> {
  const key = privateKeyFromPem(o.keyPem, 'the private key');
  const subject = commonNameSubject(o.commonName);
  return buildCertificate({
    subject,
    subjectKey: key,
    signer: { key, name: subject },
    days: o.days,
    now: o.now ?? new Date(),
    extensions: clientExtensions({ key, sans: o.sans, serverAuth: o.serverAuth }),
  });
}
