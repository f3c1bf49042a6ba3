// Private keys handed to us in any of the PEM forms people have (PKCS#8, PKCS#1 "RSA
// PRIVATE KEY", SEC1 "EC PRIVATE KEY", encrypted PKCS#8, legacy Proc-Type encrypted PEM),
// normalised to the one form we store: unencrypted PKCS#8.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { UserError } from '../base/errors';
import { capital, pemBlocks, type PemBlock, type PemInput } from './pem';

export type KeyFormat = 'pkcs8' | 'pkcs1' | 'sec1' | 'encrypted-pkcs8' | 'legacy-encrypted-pem';

export interface NormalisedKey {
  /** Unencrypted PKCS#8 PEM: what the store writes (mode 0600). */
  keyPem: string;
  key: KeyObject;
  /** The form it came in, for messages like "converted from PKCS#1". */
  format: KeyFormat;
}

const KEY_LABELS: Record<string, KeyFormat> = {
  'PRIVATE KEY': 'pkcs8',
  'RSA PRIVATE KEY': 'pkcs1',
  'EC PRIVATE KEY': 'sec1',
  'ENCRYPTED PRIVATE KEY': 'encrypted-pkcs8',
};

function formatOf(block: PemBlock): KeyFormat {
  if (/ENCRYPTED/.test(block.headers['Proc-Type'] ?? '')) return 'legacy-encrypted-pem';
  return KEY_LABELS[block.label]!;
}

const isEncrypted = (f: KeyFormat) => f === 'encrypted-pkcs8' || f === 'legacy-encrypted-pem';

export function normalisePrivateKey(input: PemInput, opts: { passphrase?: string | undefined; what?: string } = {}): NormalisedKey {
  const what = opts.what ?? 'the key file';
  const blocks = pemBlocks(input, what);
  const keys = blocks.filter((b) => b.label in KEY_LABELS);
  if (keys.length === 0) {
    const labels = blocks.map((b) => b.label);
    if (labels.includes('PUBLIC KEY') || labels.includes('RSA PUBLIC KEY')) {
      throw new UserError('NOT_A_PRIVATE_KEY', `${capital(what)} holds a public key; the private key is needed.`, 'Pass the private key file (-----BEGIN PRIVATE KEY-----) that was created with the certificate.');
    }
    if (labels.some((l) => /CERTIFICATE/.test(l))) {
      throw new UserError('NOT_A_PRIVATE_KEY', `${capital(what)} holds a certificate, not a private key.`, 'Pass the private key file as the key and the certificate file as the certificate.');
    }
    throw new UserError('NOT_A_PRIVATE_KEY', `${capital(what)} holds no private key (found: ${[...new Set(labels)].join(', ')}).`, 'Pass a PEM private key (-----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY).');
  }
  if (keys.length > 1) {
    throw new UserError('MULTIPLE_KEYS', `${capital(what)} holds ${keys.length} private keys; expected exactly one.`, 'Split the file and pass only the key that belongs to the certificate.');
  }
  const block = keys[0]!;
  const format = formatOf(block);
  if (isEncrypted(format) && !opts.passphrase) {
    throw new UserError('PASSPHRASE_REQUIRED', `${capital(what)} is encrypted and needs its passphrase.`, 'Pass the passphrase (e.g. --passphrase-file FILE).', 'passphrase');
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: block.pem, format: 'pem', ...(isEncrypted(format) ? { passphrase: opts.passphrase } : {}) });
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (isEncrypted(format)) {
      if (/UNSUPPORTED|EVP_UNSUPPORTED|UNKNOWN_CIPHER/.test(code) && !/DECODER/.test((err as Error).message)) {
        throw new UserError('KEY_ENCRYPTION_UNSUPPORTED', `${capital(what)} is encrypted with an old cipher this program cannot use.`, 'Re-encrypt it: `openssl pkcs8 -topk8 -v2 aes256 -in old.key -out new.key` (add `-provider legacy -provider default` if openssl refuses too).');
      }
      // With a passphrase, a failure is almost always the wrong one; rarely a damaged file.
      throw new UserError('BAD_PASSPHRASE', `Could not decrypt ${what}: the passphrase is wrong (or the file is damaged).`, 'Check the passphrase; it is case-sensitive.', 'passphrase');
    }
    throw new UserError('KEY_UNREADABLE', `${capital(what)} has a "${block.label}" block that is not a valid private key.`, 'The file is damaged; use the original key file.');
  }
  return { keyPem: key.export({ type: 'pkcs8', format: 'pem' }) as string, key, format };
}
