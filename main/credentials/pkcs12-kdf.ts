// RFC 7292 appendix B.2: the PKCS#12 key derivation, which the MAC of every .p12 file still
// uses (OpenSSL 3 included). Small enough to keep here rather than pull in a second library.
import { createHash } from 'node:crypto';

/** The password as PKCS#12 wants it: UTF-16BE with a two-byte terminator ('' -> just the terminator). */
export function bmpPassword(password: string): Buffer {
  const b = Buffer.from(password + '\0', 'utf16le');
  b.swap16();
  return b;
}

function repeatTo(src: Buffer, len: number): Buffer {
  const out = Buffer.alloc(len);
  if (src.length === 0) return out;
  for (let i = 0; i < len; i++) out[i] = src[i % src.length]!;
  return out;
}

export type Pkcs12Hash = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';
/** Output size u and block size v of each hash, in bytes. */
export const HASH_SIZES: Record<Pkcs12Hash, { u: number; v: number }> = {
  sha1: { u: 20, v: 64 },
  sha224: { u: 28, v: 64 },
  sha256: { u: 32, v: 64 },
  sha384: { u: 48, v: 128 },
  sha512: { u: 64, v: 128 },
};

/** id: 1 = key, 2 = IV, 3 = MAC key. */
export function pkcs12Kdf(password: string, salt: Buffer, id: 1 | 2 | 3, iterations: number, n: number, hash: Pkcs12Hash = 'sha256'): Buffer {
  const { u, v } = HASH_SIZES[hash];
  const D = Buffer.alloc(v, id);
  const S = repeatTo(salt, v * Math.ceil(salt.length / v));
  const pw = bmpPassword(password);
  const P = repeatTo(pw, v * Math.ceil(pw.length / v));
  const I = Buffer.concat([S, P]);
  const out: Buffer[] = [];
  const blocks = Math.ceil(n / u);
  for (let i = 0; i < blocks; i++) {
    let A = createHash(hash).update(D).update(I).digest();
    for (let r = 1; r < iterations; r++) A = createHash(hash).update(A).digest();
    out.push(A);
    if (i + 1 < blocks) {
      const B = repeatTo(A, v);
      // I_j = (I_j + B + 1) mod 2^(8v) for each v-byte block of I.
      for (let j = 0; j < I.length; j += v) {
        let carry = 1;
        for (let k = v - 1; k >= 0; k--) {
          const sum = I[j + k]! + B[k]! + carry;
          I[j + k] = sum & 0xff;
          carry = sum >> 8;
        }
      }
    }
  }
  return Buffer.concat(out).subarray(0, n);
}
