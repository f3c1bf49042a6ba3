// Signing with a key we hold: the algorithm pairing we use, and the two ways of handing a
// key to @peculiar/x509 (a real WebCrypto key for CSRs, a Node-backed signer for certificates).
import { sign as nodeSign, type KeyObject } from 'node:crypto';
import { UserError } from '../base/errors';
import { describeKey } from './key-algorithm';
import { spkiDer } from './keys';
import { subtle } from './x509-lib';

/** The signature algorithm we use with a key: SHA-256, except SHA-384 on P-384 (the usual pairing). */
function webCryptoParams(key: KeyObject): { importParams: EcKeyImportParams | RsaHashedImportParams; signParams: Algorithm | EcdsaParams } {
  const d = describeKey(key);
  if (d.algorithm === 'EC' && (d.curve === 'P-256' || d.curve === 'P-384' || d.curve === 'P-521')) {
    const hash = d.curve === 'P-256' ? 'SHA-256' : d.curve === 'P-384' ? 'SHA-384' : 'SHA-512';
    return { importParams: { name: 'ECDSA', namedCurve: d.curve }, signParams: { name: 'ECDSA', hash } as EcdsaParams };
  }
  if (d.algorithm === 'RSA') {
    return { importParams: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, signParams: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as Algorithm };
  }
  throw new UserError('KEY_ALGORITHM_UNSUPPORTED', `Cannot sign with a ${d.algorithm}${d.curve ? ` ${d.curve}` : ''} key.`, 'Use an ECDSA (P-256/P-384) or RSA key.');
}

export interface SigningKey {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** The signature algorithm to hand to @peculiar/x509 for this key. */
  signingAlgorithm: Algorithm | EcdsaParams;
}

/** WebCrypto pair for a Node key, for @peculiar/x509's generators. */
export async function signingKeyFrom(key: KeyObject): Promise<SigningKey> {
  const { importParams, signParams } = webCryptoParams(key);
  const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
  const [privateKey, publicKey] = await Promise.all([
    subtle.importKey('pkcs8', pkcs8, importParams, false, ['sign']),
    subtle.importKey('spki', spkiDer(key), importParams, true, ['verify']),
  ]);
  return { privateKey, publicKey, signingAlgorithm: signParams };
}

/**
 * A WebCrypto-shaped signer backed by a Node KeyObject, for @peculiar/x509's generators
 * (which accept any `Crypto` whose `subtle.sign` they call with the key they were given).
 * Making a certificate this way skips exporting the key and importing it into WebCrypto
 * twice, which was the largest share of the time after @peculiar's own encoding.
 * Signatures are in WebCrypto's format: raw r||s (IEEE P1363) for ECDSA.
 */
export interface NodeSigner {
  crypto: Crypto;
  signingKey: CryptoKey;
  signingAlgorithm: Algorithm | EcdsaParams;
}

export function nodeSigner(key: KeyObject): NodeSigner {
  const { importParams, signParams } = webCryptoParams(key);
  const hash = ((signParams as EcdsaParams).hash ?? (importParams as RsaHashedImportParams).hash) as string;
  const nodeHash = hash.replace('-', '').toLowerCase(); // SHA-256 -> sha256
  const isEc = importParams.name === 'ECDSA';
  const handle = { type: 'private', extractable: false, algorithm: importParams, usages: ['sign'] } as unknown as CryptoKey;
  // Only `subtle.sign` is used: we always pass the serial and the SPKI bytes ourselves.
  const crypto = {
    subtle: {
      async sign(_alg: unknown, k: CryptoKey, data: BufferSource): Promise<ArrayBuffer> {
        if (k !== handle) throw new Error('nodeSigner: unknown key handle');
        const bytes = ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data as ArrayBuffer);
        const sig = nodeSign(nodeHash, bytes, isEc ? { key, dsaEncoding: 'ieee-p1363' } : key);
        return sig.buffer.slice(sig.byteOffset, sig.byteOffset + sig.byteLength) as ArrayBuffer;
      },
    },
  } as unknown as Crypto;
  return { crypto, signingKey: handle, signingAlgorithm: signParams };
}
