// Key algorithms we make, and how to describe any key we are handed (imports may bring
// keys we would never generate, e.g. RSA-1024 or P-521, and the report must name them).
import { createPublicKey, type KeyObject } from 'node:crypto';

// The list of algorithms we make is a word shared with the window: see base/vocabulary.ts.
import type { KeyAlgorithm } from '../base/vocabulary';
export { KEY_ALGORITHMS, DEFAULT_KEY_ALGORITHM, isKeyAlgorithm, type KeyAlgorithm } from '../base/vocabulary';

/** What a report says about a key: `{algorithm:'EC', curve:'P-256'}` or `{algorithm:'RSA', size:2048}`. */
export interface KeyDescription {
  algorithm: 'EC' | 'RSA' | 'RSA-PSS' | 'Ed25519' | 'Ed448' | string;
  size?: number;
  curve?: string;
}

// Node reports OpenSSL's curve names; people and the WebCrypto API use NIST's.
const CURVE_NAMES: Record<string, string> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
};

/** NIST curve name -> bits of the field, for the WEAK_KEY rule (EC < 256 is weak). */
export function curveBits(curve: string): number {
  const m = /(\d+)/.exec(curve);
  return m ? Number(m[1]) : 0;
}

export function describeKey(key: KeyObject): KeyDescription {
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  switch (type) {
    case 'ec': {
      const raw = details.namedCurve ?? 'unknown';
      return { algorithm: 'EC', curve: CURVE_NAMES[raw] ?? raw };
    }
    case 'rsa':
      return { algorithm: 'RSA', size: details.modulusLength ?? 0 };
    case 'rsa-pss':
      return { algorithm: 'RSA-PSS', size: details.modulusLength ?? 0 };
    case 'ed25519':
      return { algorithm: 'Ed25519', size: 256 };
    case 'ed448':
      return { algorithm: 'Ed448', size: 456 };
    default:
      return { algorithm: String(type ?? 'unknown') };
  }
}

/**
 * Which of our algorithms a key is, or undefined when it is none of them (e.g. RSA-1024).
 * Takes a KeyObject or PEM text of a private or public key (throws if the PEM is no key).
 */
export function keyAlgorithmOf(key: KeyObject | string): KeyAlgorithm | undefined {
  const d = describeKey(typeof key === 'string' ? createPublicKey(key) : key);
  if (d.algorithm === 'EC' && d.curve === 'P-256') return 'ecdsa-p256';
  if (d.algorithm === 'EC' && d.curve === 'P-384') return 'ecdsa-p384';
  if (d.algorithm === 'RSA' && (d.size === 2048 || d.size === 3072 || d.size === 4096)) {
    return `rsa-${d.size}` as KeyAlgorithm;
  }
  return undefined;
}
