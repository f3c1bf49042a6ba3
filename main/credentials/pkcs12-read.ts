// Reading PKCS#12 (.p12/.pfx): both what OpenSSL 3 writes by default (PBES2/AES-256,
// SHA-256 MAC) and `-legacy` files (RC2-40 / 3DES, SHA-1 MAC), RSA and EC alike. node-forge
// parses the structure and supplies the legacy ciphers; PBES2 and the MAC run on Node's native
// crypto (forge's pure-JS PBKDF2 takes seconds, and it mangles non-ASCII passphrases).
// Certificate and key bytes are taken as they are, never re-encoded. Writing is pkcs12-write.
//
// Why forge and not @peculiar/asn1-schema here: files from other tools (Windows, Java, old
// OpenSSL) are BER, and may split an OCTET STRING into constructed chunks; forge's reader
// joins them (octetContent below), while asn1-schema's OctetString reads such a string as
// empty, silently. A test imports a constructed-BER file to keep this true.
import { createDecipheriv, createHmac, createPrivateKey, pbkdf2Sync, timingSafeEqual, type X509Certificate as NodeX509, X509Certificate } from 'node:crypto';
import type Forge from 'node-forge';
import { UserError } from '../base/errors';
import { isSelfSigned } from './cert-info';
import { samePublicKey } from './keys';
import { capital, certificateToPem, checkInputSize } from './pem';
import { HASH_SIZES, pkcs12Kdf, type Pkcs12Hash } from './pkcs12-kdf';
import type { ImportedCredentials } from './import-pem';

/**
 * node-forge is large and only PKCS#12 needs it: load it on first use, so a CLI start
 * (`status`, `refresh`, run by the editor) that never reads a .p12 does not pay for it.
 */
let forgeModule: typeof Forge | undefined;
const forge = new Proxy({} as typeof Forge, {
  get: (_target, prop) => (forgeModule ??= require('node-forge') as typeof Forge)[prop as keyof typeof Forge],
});

const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
};

const MAC_HASHES: Record<string, Pkcs12Hash> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

type Asn1 = Forge.asn1.Asn1;

/**
 * The work a PKCS#12 may ask of us. The file is untrusted (an embedded identity in a shared
 * profile, a .p12 from a chat): its MAC and each encrypted part name their own iteration count,
 * and a file with 10 million iterations, or hundreds of encrypted bags, would hold the process
 * for minutes. What OpenSSL 3 writes costs 3 × 2,048 iterations; ours 3 × 100,000; OWASP's
 * PBKDF2-SHA256 advice is 600,000. Everything visible before decryption is counted up front, so
 * a hostile file is refused before any key derivation runs.
 */
export const P12_LIMITS = {
  /** One key derivation (the MAC, one encrypted section, one shrouded key). */
  iterationsEach: 1_000_000,
  /** All key derivations of the file together. */
  iterationsTotal: 1_500_000,
  /** Key derivations in the file (MAC + encrypted sections + shrouded keys). */
  derivations: 8,
  /** Bags of any kind. */
  bags: 64,
  /** Bytes decrypted in total. */
  outputBytes: 4 * 1024 * 1024,
} as const;

class Budget {
  iterations = 0;
  derivations = 0;
  bags = 0;
  output = 0;
  constructor(private readonly what: string) {}
  kdf(iterations: number): void {
    if (!(iterations >= 1) || iterations > P12_LIMITS.iterationsEach) throw tooCostly(this.what, `one of its parts asks for ${Number.isFinite(iterations) ? iterations.toLocaleString('en-US') : 'an invalid number of'} key-derivation iterations (at most ${P12_LIMITS.iterationsEach.toLocaleString('en-US')} are accepted)`);
    this.iterations += iterations;
    this.derivations += 1;
    if (this.derivations > P12_LIMITS.derivations) throw tooCostly(this.what, `it has more than ${P12_LIMITS.derivations} passphrase-protected parts`);
    if (this.iterations > P12_LIMITS.iterationsTotal) throw tooCostly(this.what, `its parts ask for ${this.iterations.toLocaleString('en-US')} key-derivation iterations in total (at most ${P12_LIMITS.iterationsTotal.toLocaleString('en-US')} are accepted)`);
  }
  bag(): void {
    if (++this.bags > P12_LIMITS.bags) throw tooCostly(this.what, `it holds more than ${P12_LIMITS.bags} items`);
  }
  decrypted(bytes: number): void {
    this.output += bytes;
    if (this.output > P12_LIMITS.outputBytes) throw tooCostly(this.what, 'it decrypts to more than 4 MB');
  }
}

function tooCostly(what: string, detail: string): UserError {
  return new UserError('P12_TOO_COSTLY', `${capital(what)} is refused: ${detail}. A client identity needs one key, its certificate and a short chain.`, 'Export the identity again with default settings, e.g. `openssl pkcs12 -export -in cert.pem -inkey key.pem -out identity.p12` (OpenSSL 3 defaults).');
}

/** The iteration count an encryption AlgorithmIdentifier asks for (PBES2 or a PKCS#12 PBE), NaN if unreadable. */
function iterationsOfAlg(algId: Asn1 | undefined): number {
  const params = child(algId, 1);
  if (oidOf(child(algId, 0)) === OID.pbes2) return intOf(child(child(child(params, 0), 1), 1));
  return intOf(child(params, 1));
}

function unreadable(what: string, detail?: string): UserError {
  return new UserError('P12_UNREADABLE', `${capital(what)} is not a readable PKCS#12 (.p12/.pfx) file${detail ? `: ${detail}` : ''}.`, 'Export it again from where it came from (e.g. `openssl pkcs12 -export ...`).');
}

/** OCTET STRING content, also when BER splits it into constructed chunks. */
function octetContent(node: Asn1): string {
  if (Array.isArray(node.value)) return (node.value as Asn1[]).map(octetContent).join('');
  return node.value as string;
}

function child(node: Asn1 | undefined, i: number): Asn1 | undefined {
  return node && Array.isArray(node.value) ? (node.value as Asn1[])[i] : undefined;
}

function macIterations(pfx: Asn1): number | null {
  const macData = child(pfx, 2);
  if (!macData) return null;
  const iterNode = child(macData, 2);
  return iterNode ? parseInt(forge.util.bytesToHex(iterNode.value as string), 16) : 1;
}

/**
 * Counts, before any key derivation, the work that can be seen without the passphrase: the
 * MAC, each encrypted section, each shrouded key in a plain section. Refuses past the limits.
 */
function preflight(pfx: Asn1, what: string): void {
  try {
    preflightWalk(pfx, new Budget(what));
  } catch (e) {
    if (e instanceof UserError) throw e;
    // Malformed parts: the real walk reports them in its own words.
  }
}

function preflightWalk(pfx: Asn1, budget: Budget): void {
  const mac = macIterations(pfx);
  if (mac !== null) budget.kdf(mac);
  const authSafe = child(child(pfx, 1), 1);
  if (!authSafe || oidOf(child(child(pfx, 1), 0)) !== OID.data) return; // decodeBags says what is wrong
  let infos: Asn1[];
  try {
    infos = (parse(bin(octetContent(child(authSafe, 0)!))).value as Asn1[]) ?? [];
  } catch {
    return;
  }
  for (const info of infos) {
    const type = oidOf(child(info, 0));
    const content = child(child(info, 1), 0);
    if (type === OID.encryptedData) {
      budget.kdf(iterationsOfAlg(child(child(content, 1), 1)));
    } else if (type === OID.data && content) {
      let bags: Asn1[] = [];
      try {
        bags = (parse(bin(octetContent(content))).value as Asn1[]) ?? [];
      } catch {
        continue;
      }
      for (const bag of bags) {
        budget.bag();
        if (oidOf(child(bag, 0)) === OID.shroudedKeyBag) budget.kdf(iterationsOfAlg(child(child(child(bag, 1), 0), 0)));
      }
    }
  }
}

function checkMac(pfx: Asn1, passphrase: string, what: string): void {
  const macData = child(pfx, 2);
  if (intOf(child(pfx, 0)) !== 3) throw unreadable(what, 'its version is not 3');
  if (!macData) return; // unauthenticated files exist (rare); decryption still needs the passphrase
  const authSafeOctets = child(child(pfx, 1), 1);
  const content = child(authSafeOctets, 0);
  const digestInfo = child(macData, 0);
  const algOid = child(child(digestInfo, 0), 0);
  const digest = child(digestInfo, 1);
  const salt = child(macData, 1);
  const iterNode = child(macData, 2);
  if (!content || !algOid || !digest || !salt) throw unreadable(what, 'its integrity check (MAC) is malformed');
  const hash = MAC_HASHES[forge.asn1.derToOid(algOid.value as string)];
  if (!hash) throw new UserError('P12_UNSUPPORTED', `${capital(what)} uses a MAC algorithm this program does not know.`, 'Re-export it with `openssl pkcs12 -export` (OpenSSL 3 defaults).');
  const iterations = iterNode ? parseInt(forge.util.bytesToHex(iterNode.value as string), 16) : 1;
  if (!(iterations >= 1) || iterations > 10_000_000) throw unreadable(what, 'its MAC iteration count is out of range');
  const key = pkcs12Kdf(passphrase, Buffer.from(octetContent(salt), 'binary'), 3, iterations, HASH_SIZES[hash].u, hash);
  const mac = createHmac(hash, key).update(Buffer.from(octetContent(content), 'binary')).digest();
  const expected = Buffer.from(digest.value as string, 'binary');
  if (expected.length !== mac.length || !timingSafeEqual(expected, mac)) {
    throw new UserError('BAD_PASSPHRASE', `The passphrase for ${what} is wrong (its integrity check failed).`, 'Check the passphrase; it is case-sensitive.', 'passphrase');
  }
}

const PBES2_CIPHERS: Record<string, { name: string; keyLength: number }> = {
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyLength: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', keyLength: 24 },
  '2.16.840.1.101.3.4.1.42': { name: 'aes-256-cbc', keyLength: 32 },
  '1.2.840.113549.3.7': { name: 'des-ede3-cbc', keyLength: 24 },
};
const PBKDF2_PRFS: Record<string, string> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.8': 'sha224',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};

// forge.pki.pbe exists at run time but is missing from @types/node-forge.
const legacyPbe = () => (forge.pki as unknown as { pbe: { getCipher(oid: string, params: Asn1, password: string): Forge.cipher.BlockCipher } }).pbe;

class DecryptFailed extends Error {}
class Unsupported extends Error {}

const oidOf = (node: Asn1 | undefined): string => (node ? forge.asn1.derToOid(node.value as string) : '');
const intOf = (node: Asn1 | undefined): number => (node ? parseInt(forge.util.bytesToHex(node.value as string), 16) : NaN);
const bin = (s: string): Buffer => Buffer.from(s, 'binary');

/**
 * Decrypts with the algorithm an AlgorithmIdentifier names. PBES2 (what OpenSSL 3 and we
 * write) runs on Node's native PBKDF2 and AES: forge's pure-JS PBKDF2 takes seconds at
 * today's iteration counts. The legacy PKCS#12 PBEs (3DES, RC2) go to forge, which has RC2
 * that OpenSSL 3 only offers in its legacy provider.
 */
function decrypt(algId: Asn1 | undefined, ciphertext: Buffer, passphrase: string, budget: Budget): Buffer {
  budget.kdf(iterationsOfAlg(algId));
  budget.decrypted(ciphertext.length);
  const algOid = oidOf(child(algId, 0));
  if (algOid === OID.pbes2) {
    const params = child(algId, 1);
    const kdf = child(params, 0);
    const enc = child(params, 1);
    if (oidOf(child(kdf, 0)) !== OID.pbkdf2) throw new Unsupported('PBES2 key derivation');
    const kdfParams = child(kdf, 1);
    const salt = bin(octetContent(child(kdfParams, 0)!));
    const iterations = intOf(child(kdfParams, 1));
    // keyLength (INTEGER) is optional and precedes the optional prf (SEQUENCE).
    const rest = ((kdfParams?.value as Asn1[]) ?? []).slice(2);
    const prfNode = rest.find((n) => n.type === forge.asn1.Type.SEQUENCE);
    const prf = prfNode ? PBKDF2_PRFS[oidOf(child(prfNode, 0))] : 'sha1';
    const cipher = PBES2_CIPHERS[oidOf(child(enc, 0))];
    if (!prf || !cipher) throw new Unsupported('PBES2 cipher or PRF');
    if (!(iterations >= 1) || iterations > 10_000_000) throw new DecryptFailed('iteration count out of range');
    const iv = bin(octetContent(child(enc, 1)!));
    const key = pbkdf2Sync(Buffer.from(passphrase, 'utf8'), salt, iterations, cipher.keyLength, prf);
    try {
      const d = createDecipheriv(cipher.name, key, iv);
      return Buffer.concat([d.update(ciphertext), d.final()]);
    } catch {
      throw new DecryptFailed('bad decrypt');
    }
  }
  let cipher: Forge.cipher.BlockCipher;
  try {
    // forge's legacy PBEs hash the passphrase as UTF-16 code units, as RFC 7292 says.
    cipher = legacyPbe().getCipher(algOid, child(algId, 1)!, passphrase);
  } catch {
    throw new Unsupported(algOid);
  }
  cipher.update(forge.util.createBuffer(ciphertext.toString('binary')));
  if (!cipher.finish()) throw new DecryptFailed('bad decrypt');
  return bin(cipher.output.getBytes());
}

function parse(der: Buffer | string): Asn1 {
  return forge.asn1.fromDer(typeof der === 'string' ? der : der.toString('binary'), { strict: false, parseAllBytes: true, decodeBitStrings: false } as never);
}

interface DecodedBags {
  certs: NodeX509[];
  /** PKCS#8 PrivateKeyInfo DER. */
  keys: Buffer[];
}

/** Walks AuthenticatedSafe -> ContentInfo -> SafeContents -> SafeBag, decrypting as needed. */
function decodeBags(authSafe: Buffer, passphrase: string, what: string, budget: Budget): DecodedBags {
  const out: DecodedBags = { certs: [], keys: [] };
  const infos = (parse(authSafe).value as Asn1[]) ?? [];
  for (const info of infos) {
    const type = oidOf(child(info, 0));
    const content = child(child(info, 1), 0);
    let safeContents: Buffer;
    if (type === OID.data) {
      safeContents = bin(octetContent(content!));
    } else if (type === OID.encryptedData) {
      const eci = child(content, 1);
      const encrypted = child(eci, 2);
      if (!encrypted) throw unreadable(what, 'an encrypted section is empty');
      safeContents = decrypt(child(eci, 1), bin(octetContent(encrypted)), passphrase, budget);
    } else {
      throw new Unsupported(`content type ${type}`); // public-key (envelopedData) protection
    }
    for (const bag of (parse(safeContents).value as Asn1[]) ?? []) {
      budget.bag();
      const bagType = oidOf(child(bag, 0));
      const value = child(child(bag, 1), 0);
      if (!value) continue;
      if (bagType === OID.certBag) {
        if (oidOf(child(value, 0)) !== OID.x509Certificate) continue;
        const der = bin(octetContent(child(child(value, 1), 0)!));
        try {
          out.certs.push(new X509Certificate(der));
        } catch {
          throw unreadable(what, `certificate #${out.certs.length + 1} is damaged`);
        }
      } else if (bagType === OID.keyBag) {
        out.keys.push(bin(forge.asn1.toDer(value).getBytes()));
      } else if (bagType === OID.shroudedKeyBag) {
        out.keys.push(decrypt(child(value, 0), bin(octetContent(child(value, 1)!)), passphrase, budget));
      }
      // CRL, secret and nested bags carry nothing a TLS client identity needs.
    }
  }
  return out;
}

/** Orders certificates leaf-first along issuer links; unrelated extras are dropped. */
function chainFrom(leaf: NodeX509, others: NodeX509[]): NodeX509[] {
  const pool = others.filter((c) => !c.raw.equals(leaf.raw));
  const out: NodeX509[] = [];
  let cur = leaf;
  while (!isSelfSigned(cur)) {
    const i = pool.findIndex((c) => {
      try {
        return cur.checkIssued(c) && cur.verify(c.publicKey);
      } catch {
        return false;
      }
    });
    if (i < 0) break;
    cur = pool.splice(i, 1)[0]!;
    out.push(cur);
  }
  return out;
}

/** Total length the outer TLV claims (header included), or undefined for BER indefinite length. */
function outerLength(b: Buffer): number | undefined {
  const first = b[1] ?? 0;
  if (first < 0x80) return 2 + first;
  const n = first & 0x7f;
  if (n === 0) return undefined;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + (b[2 + i] ?? 0);
  return 2 + n + len;
}

export function importPkcs12(data: Uint8Array, passphrase: string, what = 'the PKCS#12 file'): ImportedCredentials {
  checkInputSize(data, what);
  const bytes = Buffer.from(data);
  if (bytes.subarray(0, 64).toString('latin1').includes('-----BEGIN')) {
    throw new UserError('P12_IS_PEM', `${capital(what)} is PEM text, not a PKCS#12 file.`, 'Import it with --import-pem CERT KEY instead.');
  }
  if (bytes[0] !== 0x30) throw unreadable(what);
  const declared = outerLength(bytes);
  if (declared !== undefined && declared > bytes.length) throw unreadable(what, 'it is cut short');
  let pfx: Asn1;
  try {
    pfx = parse(bytes);
  } catch {
    throw unreadable(what, 'its structure is damaged or cut short');
  }
  // Before any key derivation: a file that asks for too much work is refused at once.
  preflight(pfx, what);
  const budget = new Budget(what);
  const mac = macIterations(pfx);
  if (mac !== null) budget.kdf(mac);
  checkMac(pfx, passphrase, what);
  let bags: DecodedBags;
  try {
    const authSafe = child(child(pfx, 1), 1);
    if (oidOf(child(child(pfx, 1), 0)) !== OID.data || !authSafe) throw unreadable(what, 'it is signed with a certificate, not a passphrase');
    bags = decodeBags(bin(octetContent(child(authSafe, 0)!)), passphrase, what, budget);
  } catch (e) {
    if (e instanceof UserError) throw e;
    if (e instanceof DecryptFailed) {
      throw new UserError('BAD_PASSPHRASE', `Could not decrypt ${what}: the passphrase is wrong (or the file is damaged).`, 'Check the passphrase; it is case-sensitive.', 'passphrase');
    }
    if (e instanceof Unsupported) {
      throw new UserError('P12_UNSUPPORTED', `${capital(what)} is protected with an algorithm this program does not support.`, 'Re-export it with OpenSSL 3 defaults: `openssl pkcs12 -in old.p12 -nodes | openssl pkcs12 -export -out new.p12`.');
    }
    throw unreadable(what, 'its structure is damaged');
  }
  const { certs, keys } = bags;
  if (keys.length === 0) throw new UserError('P12_NO_KEY', `${capital(what)} holds no private key (only certificates).`, 'Export it again including the private key.');
  if (keys.length > 1) throw new UserError('MULTIPLE_KEYS', `${capital(what)} holds ${keys.length} private keys; expected exactly one.`, 'Export only the identity you want to use.');
  if (certs.length === 0) throw new UserError('P12_NO_CERT', `${capital(what)} holds a key but no certificate.`, 'Export it again including the certificate.');
  let key;
  try {
    key = createPrivateKey({ key: keys[0]!, format: 'der', type: 'pkcs8' });
  } catch {
    throw unreadable(what, 'its private key is damaged');
  }
  const leaf = certs.find((c) => samePublicKey(key, c.publicKey));
  if (!leaf) {
    throw new UserError('KEY_MISMATCH', `${capital(what)} holds a private key that belongs to none of its certificates.`, 'Export the identity again so that the key and its certificate are together.');
  }
  return {
    certPem: certificateToPem(leaf),
    keyPem: key.export({ type: 'pkcs8', format: 'pem' }) as string,
    chainPem: chainFrom(leaf, certs).map(certificateToPem).join(''),
  };
}
