// The service's own certificate warnings (their `fix` is written for the CLI), each with
// plausible parameters: for tests that walk every warning code.
import { makeWarning, type CertWarning, type WarningCode, type WarningParams } from '../../main/credentials/warnings';

const NOW = new Date('2030-01-15T12:00:00Z');

export const WARNING_PARAMS: { [C in WarningCode]: WarningParams[C] } = {
  NO_SAN: { commonName: 'alice' },
  EXPIRED: { notAfter: new Date('2030-01-10T00:00:00Z'), now: NOW },
  NOT_YET_VALID: { notBefore: new Date('2030-02-01T00:00:00Z'), now: NOW },
  EXPIRING_SOON: { notAfter: new Date('2030-01-18T00:00:00Z'), now: NOW },
  KEY_MISMATCH: {},
  NO_CLIENT_AUTH_EKU: { extKeyUsages: ['serverAuth'] },
  CHAIN_UNVERIFIED: { reason: 'unable to get local issuer certificate' },
  WEAK_KEY: { algorithm: 'RSA', bits: 1024 },
  WEAK_SIGNATURE: { algorithm: 'sha1WithRSAEncryption' },
  HOST_NOT_IN_SAN: { host: 'coder.example.com', sans: ['DNS:other.example.com'] },
  PROXY_SUPPORT_OVERRIDE: { value: 'override', editors: ['VS Code'] },
  UNSUPPORTED_KEY: { algorithm: 'DSA' },
};

export function serviceWarning<C extends WarningCode>(code: C): CertWarning {
  return makeWarning(code, WARNING_PARAMS[code]);
}
