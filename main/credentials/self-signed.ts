// A self-signed client certificate: the quickest way to a working identity when the
// deployment's admin is willing to trust one certificate directly.
import { UserError } from '../base/errors';
import { buildCertificate } from './certificate-builder';
import { clientExtensions } from './client-extensions';
import { privateKeyFromPem } from './keys';
import type { San } from './san';
import { oid, seq, set, utf8String } from './der';
import { x509 } from './x509-lib';

export interface SelfSignedOptions {
  keyPem: string;
  sans: San[];
  commonName: string;
  days: number;
  serverAuth?: boolean;
  now?: Date;
}

const OID_COMMON_NAME = '2.5.4.3';

/**
 * A distinguished name with just a CN (UTF8String), encoded directly as DER: no DN string
 * syntax is involved, so commas, quotes or '=' in the name cannot change its meaning.
 * (@peculiar's JSON name form re-parses such values: "a, b=c" would come out as "c".)
 */
export function commonNameSubject(commonName: string): x509.Name {
  const cn = commonName.trim();
  if (cn === '' || cn.length > 64 || /[\x00-\x1f\x7f]/.test(cn)) {
    throw new UserError('COMMON_NAME_INVALID', `Common name "${commonName}" is not usable: it must be 1 to 64 printable characters.`, 'Pass a short name such as your user name or host name.');
  }
  return new x509.Name(seq(set(seq(oid(OID_COMMON_NAME), utf8String(cn)))));
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
