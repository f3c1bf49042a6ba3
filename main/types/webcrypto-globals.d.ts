/**
 * @peculiar/x509 is typed against the DOM's WebCrypto globals (CryptoKey, Algorithm, ...).
 * The main process has no DOM lib (so no `window` or `document` can creep in), so we alias
 * those names to Node's identical `webcrypto` types instead.
 */
import type { webcrypto } from 'node:crypto';

declare global {
  type Crypto = webcrypto.Crypto;
  type SubtleCrypto = webcrypto.SubtleCrypto;
  type CryptoKey = webcrypto.CryptoKey;
  type CryptoKeyPair = webcrypto.CryptoKeyPair;
  type Algorithm = webcrypto.Algorithm;
  type KeyAlgorithm = webcrypto.KeyAlgorithm;
  type AlgorithmIdentifier = webcrypto.AlgorithmIdentifier;
  type HashAlgorithmIdentifier = webcrypto.HashAlgorithmIdentifier;
  type KeyUsage = webcrypto.KeyUsage;
  type KeyFormat = webcrypto.KeyFormat;
  type JsonWebKey = webcrypto.JsonWebKey;
  type BufferSource = webcrypto.BufferSource;
  type EcKeyGenParams = webcrypto.EcKeyGenParams;
  type EcKeyImportParams = webcrypto.EcKeyImportParams;
  type EcdsaParams = webcrypto.EcdsaParams;
  type EcKeyAlgorithm = webcrypto.EcKeyAlgorithm;
  type RsaHashedKeyGenParams = webcrypto.RsaHashedKeyGenParams;
  type RsaHashedImportParams = webcrypto.RsaHashedImportParams;
  type RsaHashedKeyAlgorithm = webcrypto.RsaHashedKeyAlgorithm;
  type RsaPssParams = webcrypto.RsaPssParams;
}
export {};
