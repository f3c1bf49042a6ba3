/**
 * Our own credentials, judged locally before any network step, so "your certificate expired"
 * is named even when the gateway only answers with an anonymous error page.
 */
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { daysLeftAt, describeDistance, describeTimeLeft } from '../../base/time-left';
import type { DoctorCheck } from '../types';
import { CHECKS } from './check-names';

const { id: ID, title: TITLE } = CHECKS.ownCertificate;
const CLIENT_AUTH_EKU = '1.3.6.1.5.5.7.3.2';
const ANY_EKU = '2.5.29.37.0';
/** Below this many days left the doctor warns; the renewal policy usually acts well before. */
const EXPIRING_SOON_DAYS = 7;

export interface OwnCertificateFacts {
  subject: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
}

export function checkOwnCertificate(certPem: string, keyPem: string, now: Date): { check: DoctorCheck; facts?: OwnCertificateFacts } {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    return {
      check: {
        id: ID, title: TITLE, status: 'fail', code: 'CERT_UNREADABLE',
        detail: 'the certificate file (coder.tlsCertFile) holds no readable PEM certificate',
        fix: 'renew or re-import the certificate so that client.crt holds a PEM "CERTIFICATE" block',
      },
    };
  }

  const facts: OwnCertificateFacts = {
    subject: oneLine(cert.subject),
    issuer: oneLine(cert.issuer),
    notBefore: new Date(cert.validFrom),
    notAfter: new Date(cert.validTo),
  };
  const data = {
    subject: facts.subject,
    issuer: facts.issuer,
    notBefore: facts.notBefore.toISOString(),
    notAfter: facts.notAfter.toISOString(),
    fingerprint256: cert.fingerprint256,
  };
  const fail = (code: string, detail: string, fix: string) => ({
    check: { id: ID, title: TITLE, status: 'fail' as const, code, detail, fix, data },
    facts,
  });

  let key: KeyObject;
  try {
    key = createPrivateKey(keyPem);
  } catch (err) {
    const encrypted = /encrypted|passphrase/i.test(keyPem.slice(0, 200)) || /passphrase/i.test(String(err));
    return fail(
      encrypted ? 'KEY_ENCRYPTED' : 'KEY_UNREADABLE',
      encrypted
        ? 'the key file (coder.tlsKeyFile) is encrypted; the extension cannot supply a passphrase'
        : 'the key file (coder.tlsKeyFile) holds no readable PEM private key',
      'rotate, or re-import the identity so that client.key holds an unencrypted PEM key',
    );
  }
  if (!cert.checkPrivateKey(key)) {
    return fail('KEY_MISMATCH', `the key file does not belong to the certificate (${facts.subject})`, 'roll back to the previous generation, or rotate to get a new matching pair');
  }

  if (now.getTime() > facts.notAfter.getTime()) {
    return fail('EXPIRED', `our certificate (${facts.subject}) expired on ${facts.notAfter.toISOString()} (${describeDistance(now, facts.notAfter)})`, 'renew it: mtls-tray renew');
  }
  if (now.getTime() < facts.notBefore.getTime()) {
    return fail('NOT_YET_VALID', `our certificate (${facts.subject}) is not valid before ${facts.notBefore.toISOString()}`, 'check this machine\'s clock; if it is right, renew the certificate');
  }

  const eku = cert.keyUsage; // Node names the extended key usage list `keyUsage`.
  if (eku && eku.length > 0 && !eku.includes(CLIENT_AUTH_EKU) && !eku.includes(ANY_EKU)) {
    return {
      check: {
        id: ID, title: TITLE, status: 'warn', code: 'NO_CLIENT_AUTH_EKU', data,
        detail: `our certificate (${facts.subject}) is not marked for client authentication (extended key usage ${eku.join(', ')})`,
        fix: 'gateways that check the purpose refuse it (alert 43 unsupported certificate): issue one with extendedKeyUsage=clientAuth',
      },
      facts,
    };
  }

  const daysLeft = daysLeftAt(facts.notAfter, now);
  if (daysLeft < EXPIRING_SOON_DAYS) {
    return {
      check: {
        id: ID, title: TITLE, status: 'warn', code: 'EXPIRING_SOON', data,
        detail: `our certificate (${facts.subject}) expires on ${facts.notAfter.toISOString()} (${describeTimeLeft(daysLeft)})`,
        fix: 'renew it: mtls-tray renew',
      },
      facts,
    };
  }
  return {
    check: {
      id: ID, title: TITLE, status: 'pass', data,
      detail: `${facts.subject}, issued by ${facts.issuer}, valid until ${facts.notAfter.toISOString()} (${describeTimeLeft(daysLeft)}); the key matches`,
    },
    facts,
  };
}

/** Node separates RDNs with newlines; a report line wants commas. */
export function oneLine(dn: string): string {
  return dn.split('\n').filter(Boolean).join(', ');
}
