// Importing an identity from PEM files: certificate (optionally followed by its chain), key
// in any common form, optional separate chain file. The result is normalised for storage:
// leaf certificate alone, chain leaf->root, key as unencrypted PKCS#8.
//
// Chain order is checked, not repaired: a file whose certificates are not each followed by
// their issuer is refused with a message naming the misplaced certificate. The file we
// store is handed to TLS stacks that send it as is, and a silently reordered chain would
// hide that the user picked the wrong files (see report: decisions).
import type { X509Certificate as NodeX509 } from 'node:crypto';
import { inField, UserError } from '../base/errors';
import { checkChainOrder, describeCert } from './chain';
import { normalisePrivateKey, type KeyFormat } from './key-import';
import { samePublicKey } from './keys';
import { certificatesFromPem, certificateToPem, type PemInput } from './pem';

export interface ImportedCredentials {
  /** The leaf certificate alone. */
  certPem: string;
  /** Unencrypted PKCS#8. */
  keyPem: string;
  /** Intermediates (and root if given), leaf's issuer first; '' when none. */
  chainPem: string;
}

export interface PemImportInput {
  cert: PemInput;
  key: PemInput;
  chain?: PemInput | undefined;
  passphrase?: string | undefined;
  /** File names, for messages. */
  certFile?: string | undefined;
  keyFile?: string | undefined;
  chainFile?: string | undefined;
}

export interface PemImportResult extends ImportedCredentials {
  keyFormat: KeyFormat;
}

function dedupe(certs: NodeX509[]): NodeX509[] {
  const out: NodeX509[] = [];
  for (const c of certs) if (!out.some((o) => o.raw.equals(c.raw))) out.push(c);
  return out;
}

export const CHAIN_ORDER_FIX = 'Put the certificates in order: your certificate first, then the CA that issued it, then that CA\'s issuer (e.g. `cat client.crt intermediate.crt root.crt > chain.pem`).';

/**
 * Puts certificates and key together; `mismatch` builds the error for a key that fits no
 * certificate (the CSR flow words it differently from a plain import).
 */
export function assembleIdentity(
  certs: NodeX509[],
  key: ReturnType<typeof normalisePrivateKey>,
  mismatch: () => UserError,
): PemImportResult {
  const all = dedupe(certs);
  const leaf = all[0]!;
  if (!samePublicKey(key.key, leaf.publicKey)) {
    const idx = all.findIndex((c) => samePublicKey(key.key, c.publicKey));
    if (idx > 0) {
      throw new UserError(
        'CHAIN_ORDER',
        `The certificates are in the wrong order: the one for this key, #${idx + 1} (${describeCert(all[idx]!)}), must come first, before #1 (${describeCert(leaf)}).`,
        CHAIN_ORDER_FIX,
      );
    }
    throw mismatch();
  }
  const problem = checkChainOrder(all);
  if (problem?.unrelated) {
    throw new UserError('CHAIN_UNRELATED', `The chain does not belong to this certificate: ${problem.message}.`, 'Pass with --chain the CA certificates that issued your certificate (your CA names them; `openssl x509 -in CERT -noout -issuer` shows the issuer to look for), or leave --chain out.');
  }
  if (problem) throw new UserError('CHAIN_ORDER', `The certificate chain is in the wrong order: ${problem.message}.`, CHAIN_ORDER_FIX);
  return {
    certPem: certificateToPem(leaf),
    keyPem: key.keyPem,
    chainPem: all.slice(1).map(certificateToPem).join(''),
    keyFormat: key.format,
  };
}

export function importPemCredentials(input: PemImportInput): PemImportResult {
  const certFile = input.certFile ?? 'the certificate file';
  const keyFile = input.keyFile ?? 'the key file';
  // Each input's errors name it (UserError.field), so the window marks the file at fault.
  const certs = inField('certFile', () => certificatesFromPem(input.cert, certFile));
  const key = inField('keyFile', () => normalisePrivateKey(input.key, { passphrase: input.passphrase, what: keyFile }));
  const chain = input.chain !== undefined ? inField('chainFile', () => certificatesFromPem(input.chain!, input.chainFile ?? 'the chain file')) : [];
  return inField(input.chain !== undefined ? 'chainFile' : 'certFile', () =>
    assembleIdentity([...certs, ...chain], key, () =>
      new UserError(
        'KEY_MISMATCH',
        `The private key in ${keyFile} does not belong to the certificate in ${certFile} (${describeCert(certs[0]!)}).`,
        `Pass the key that was created together with this certificate; compare \`openssl x509 -noout -pubkey -in CERT\` with \`openssl pkey -pubout -in KEY\`.`,
        'keyFile',
      ),
    ),
  );
}
