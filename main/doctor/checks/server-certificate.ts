/**
 * The deployment's server certificate: do its SANs name the host (or `coder.tlsAltHost`),
 * and does our CA bundle (or Node's default trust) verify its chain?
 */
import { checkServerIdentity } from 'node:tls';
import type { X509Certificate } from 'node:crypto';
import { GO_LEGACY_CN_ERROR, altHostCandidates, readServerNames, sansCover, type ServerNames } from '../server-names';
import { verifiedHandshake, type Endpoint, type ServerChain } from '../tls-probes';
import type { DoctorCheck } from '../types';
import { oneLine } from './own-certificate';
import { CHECKS } from './check-names';

export interface ServerCheckContext {
  /** The URL's host. */
  host: string;
  altHost: string | undefined;
  /** Where to connect (servername is filled per attempt). */
  endpoint: Endpoint;
  ca: string | undefined;
  clientCert: { cert: string; key: string } | undefined;
  timeoutMs: number;
}

const NAMES = CHECKS.serverNames;

export async function checkServerNames(chain: ServerChain, ctx: ServerCheckContext): Promise<DoctorCheck> {
  const names = readServerNames(chain.leaf);
  const sans = describeSans(names);
  const data: Record<string, unknown> = { dnsNames: names.dnsNames, ipAddresses: names.ipAddresses, commonName: names.commonName };

  if (names.cnOnly) {
    return {
      ...NAMES, status: 'fail', code: 'NO_SAN', data,
      detail: `the server certificate has no subjectAltName, only CN=${names.commonName ?? '(none)'}; the Coder CLI (Go) refuses it: "${GO_LEGACY_CN_ERROR}" (the editor's own requests still pass, Node falls back to the CN)`,
      fix: `have the server certificate reissued with subjectAltName=DNS:${ctx.host}; coder.tlsAltHost cannot help here`,
    };
  }

  const hostCovered = sansCover(chain.leaf, ctx.host);
  if (ctx.altHost) {
    if (sansCover(chain.leaf, ctx.altHost)) {
      const extra = hostCovered ? `; it names ${ctx.host} too, so coder.tlsAltHost is not needed` : '';
      return { ...NAMES, status: 'pass', data, detail: `the certificate names ${ctx.altHost} (coder.tlsAltHost, which the extension verifies instead of ${ctx.host})${extra}` };
    }
    const suggestion = await suggestAltHost(chain.leaf, names, ctx, [ctx.altHost]);
    return {
      ...NAMES, status: 'fail', code: 'HOST_NOT_IN_SAN', data: { ...data, ...suggestion.data },
      detail: `coder.tlsAltHost is ${ctx.altHost} but the server certificate is for ${sans}`,
      fix: hostCovered ? `remove coder.tlsAltHost: the certificate names ${ctx.host}` : (suggestion.fix ?? reissueFix(ctx.host)),
    };
  }

  if (hostCovered) return { ...NAMES, status: 'pass', data, detail: `the certificate's SANs cover ${ctx.host} (${sans})` };

  const suggestion = await suggestAltHost(chain.leaf, names, ctx, []);
  return {
    ...NAMES, status: 'fail', code: 'HOST_NOT_IN_SAN', data: { ...data, ...suggestion.data },
    detail: `the server certificate is for ${sans}, not ${ctx.host}`,
    fix: suggestion.fix ? `${suggestion.fix}, or ${reissueFix(ctx.host)}` : reissueFix(ctx.host),
  };
}

function reissueFix(host: string): string {
  return `have the server certificate reissued with subjectAltName=DNS:${host}`;
}

/**
 * Picks a SAN that can serve as `coder.tlsAltHost` and proves it: Node's own name check
 * (what the extension runs) must accept it, and a real handshake with it as servername must
 * pass verification (the gateway may present another certificate for another SNI name).
 */
async function suggestAltHost(
  leaf: X509Certificate,
  names: ServerNames,
  ctx: ServerCheckContext,
  exclude: string[],
): Promise<{ fix?: string; data: Record<string, unknown> }> {
  const legacy = leaf.toLegacyObject();
  const candidates = altHostCandidates(names).filter((c) => !exclude.includes(c));
  let nameOnly: string | undefined;
  for (const candidate of candidates) {
    if (checkServerIdentity(candidate, legacy) !== undefined) continue;
    const hs = await verifiedHandshake(
      { ...ctx.endpoint, servername: candidate },
      { ca: ctx.ca, clientCert: ctx.clientCert, timeoutMs: ctx.timeoutMs },
    );
    if (hs.ok) {
      return {
        fix: `set coder.tlsAltHost to "${candidate}" (verified: a handshake with that name passes the extension's checks)`,
        data: { suggestedAltHost: candidate, suggestionVerified: true },
      };
    }
    nameOnly ??= candidate;
  }
  if (nameOnly) {
    // The name fits but the handshake failed for another reason (the trust check says which).
    return {
      fix: `set coder.tlsAltHost to "${nameOnly}" (the certificate names it; the chain must also be trusted, see the trust check)`,
      data: { suggestedAltHost: nameOnly, suggestionVerified: false },
    };
  }
  return { data: {} };
}

function describeSans(names: ServerNames): string {
  const all = [...names.dnsNames.map((d) => `DNS:${d}`), ...names.ipAddresses.map((ip) => `IP:${ip}`)];
  return all.join(', ');
}

const TRUST = CHECKS.serverTrust;

/** OpenSSL verification codes users meet, in their words. */
const TRUST_ERRORS: Record<string, string> = {
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the issuer of the server certificate is not among the trusted CAs',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the issuer of the server certificate is not among the trusted CAs',
  SELF_SIGNED_CERT_IN_CHAIN: 'the chain ends in a CA that is not trusted',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server certificate is self-signed and not trusted',
  CERT_HAS_EXPIRED: 'a certificate in the server\'s chain has expired',
  CERT_NOT_YET_VALID: 'a certificate in the server\'s chain is not valid yet',
  CERT_SIGNATURE_FAILURE: 'a signature in the server\'s chain does not verify',
  INVALID_CA: 'a CA in the server\'s chain is not allowed to issue certificates',
};

export function checkServerTrust(chain: ServerChain, caGiven: boolean): DoctorCheck {
  const source = caGiven ? 'our CA bundle (coder.tlsCaFile)' : 'Node\'s default trust store (no coder.tlsCaFile)';
  const top = chain.chain[chain.chain.length - 1] ?? chain.leaf;
  const data = { trustError: chain.trustError, issuer: oneLine(chain.leaf.issuer), chainTop: oneLine(top.subject), protocol: chain.protocol };
  if (chain.trusted) {
    return { ...TRUST, status: 'pass', data, detail: `${source} verifies the server's chain (issued by ${oneLine(chain.leaf.issuer)})` };
  }
  const code = chain.trustError ?? 'UNKNOWN';
  const why = TRUST_ERRORS[code] ?? 'the chain does not verify';
  const expired = code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID';
  return {
    ...TRUST, status: 'fail', code: 'CHAIN_UNVERIFIED', data,
    detail: `${source} does not verify the server's chain: ${why} (${code}; issuer ${oneLine(chain.leaf.issuer)})`,
    fix: expired
      ? 'the deployment\'s server certificate (or its CA) is out of date: its administrator must renew it (or check this machine\'s clock)'
      : caGiven
        ? `add the CA that issued the server certificate (${oneLine(top.issuer)}) to the profile's CA bundle`
        : 'give the profile the deployment\'s CA certificate (--ca-bundle FILE); it becomes coder.tlsCaFile',
  };
}
