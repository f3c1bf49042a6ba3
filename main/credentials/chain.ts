// Certificate chains: checking that a leaf, its intermediates and a trust anchor link up.
// Node exposes no X509_verify_cert, so we walk the links ourselves with checkIssued (names,
// key identifiers, key usage) plus a signature check, which is what a TLS peer does first.
import { X509Certificate as NodeX509 } from 'node:crypto';

function signs(issuer: NodeX509, subject: NodeX509): boolean {
  try {
    return subject.checkIssued(issuer) && subject.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/** Node prints names one attribute per line; messages want them on one. */
export function nameLine(dn: string): string {
  return dn.split('\n').join(', ') || '(empty name)';
}

export function describeCert(c: NodeX509): string {
  return nameLine(c.subject);
}

export interface OrderProblem {
  /** Index (0-based, in the given order) of the certificate that is out of place. */
  index: number;
  message: string;
  /** The certificate at `index` is in no order part of the chain: another CA's, not misplaced. */
  unrelated?: boolean;
}

/**
 * Checks that each certificate in `certs` is followed by the one that issued it (leaf first,
 * root last or absent). Returns undefined when the order is right, else what is wrong.
 */
export function checkChainOrder(certs: NodeX509[]): OrderProblem | undefined {
  for (let i = 0; i + 1 < certs.length; i++) {
    const cur = certs[i]!;
    const next = certs[i + 1]!;
    if (signs(next, cur)) continue;
    const issuerAt = certs.findIndex((c, j) => j !== i && signs(c, cur));
    if (issuerAt >= 0 && issuerAt < i) {
      return {
        index: i,
        message: `certificate #${i + 1} (${describeCert(cur)}) comes after its issuer, certificate #${issuerAt + 1} (${describeCert(certs[issuerAt]!)})`,
      };
    }
    if (issuerAt > i) {
      return {
        index: i + 1,
        message: `certificate #${i + 2} (${describeCert(next)}) did not issue certificate #${i + 1} (${describeCert(cur)}); its issuer is certificate #${issuerAt + 1}`,
      };
    }
    return {
      index: i + 1,
      message: `certificate #${i + 2} (${describeCert(next)}) did not issue certificate #${i + 1} (${describeCert(cur)}) and is not part of its chain`,
      unrelated: !certs.some((c, j) => j !== i + 1 && signs(next, c)),
    };
  }
  return undefined;
}

/**
 * Tries to link `leaf` through `intermediates` to one of `anchors` at time `now`.
 * Returns undefined on success, else the reason in words.
 */
export function verifyChain(leaf: NodeX509, intermediates: NodeX509[], anchors: NodeX509[], now: Date): string | undefined {
  const isAnchor = (c: NodeX509) => anchors.some((a) => a.raw.equals(c.raw));
  const pool = [...intermediates];
  let cur = leaf;
  for (let depth = 0; depth < 10; depth++) {
    // The trust anchor itself (a trusted self-signed leaf, or we reached a root).
    if (isAnchor(cur)) return undefined;
    const anchor = anchors.find((a) => signs(a, cur));
    if (anchor) return validityProblem(anchor, now);
    const nextIdx = pool.findIndex((c) => signs(c, cur));
    if (nextIdx < 0) {
      return anchors.length
        ? `no certificate that issued "${describeCert(cur)}" is among the trusted CAs or the chain (issuer: ${nameLine(cur.issuer)})`
        : `no trusted CA was given to check "${describeCert(cur)}" against`;
    }
    const next = pool.splice(nextIdx, 1)[0]!;
    if (!next.ca) return `"${describeCert(next)}" issued the certificate but is not a CA certificate`;
    const bad = validityProblem(next, now);
    if (bad) return bad;
    cur = next;
  }
  return 'the chain is longer than 10 certificates';
}

function validityProblem(c: NodeX509, now: Date): string | undefined {
  if (new Date(c.validTo).getTime() < now.getTime()) return `the issuing certificate "${describeCert(c)}" expired on ${new Date(c.validTo).toISOString().slice(0, 10)}`;
  if (new Date(c.validFrom).getTime() > now.getTime()) return `the issuing certificate "${describeCert(c)}" is not valid until ${new Date(c.validFrom).toISOString().slice(0, 10)}`;
  return undefined;
}
