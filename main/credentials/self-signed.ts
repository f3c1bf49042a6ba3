// A self-signed client certificate: the quickest way to a working identity when the
// deployment's admin is willing to trust one certificate directly.
import { UserError } from '../base/errors';
import { buildCertificate } from './certificate-builder';
import { clientExtensions } from './client-extensions';
import { privateKeyFromPem } from './keys';
import type { San } from './san';
import { asn1X509, toDer } from './asn1-lib';
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
 * A distinguished name with just a CN (UTF8String), built as an ASN.1 structure and handed to
 * @peculiar/x509 as DER: no DN string syntax is involved, so commas, quotes or '=' in the
 * name cannot change its meaning. (@peculiar's JSON name form re-parses such values:
 * "a, b=c" would come out as "c".)
 */
export function commonNameSubject(commonName: string): x509.Name {
  const cn = commonName.trim();
  if (cn === '' || cn.length > 64 || /[\x00-\x1f\x7f]/.test(cn)) {
    throw new UserError('COMMON_NAME_INVALID', `Common name "${commonName}" is not usable: it must be 1 to 64 printable characters.`, 'Pass a short name such as your user name or host name.');
  }
  const { Name, RelativeDistinguishedName, AttributeTypeAndValue, AttributeValue } = asn1X509;
  const rdn = new RelativeDistinguishedName([new AttributeTypeAndValue({ type: OID_COMMON_NAME, value: new AttributeValue({ utf8String: cn }) })]);
  return new x509.Name(toDer(new Name([rdn])));
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
