/**
 * TLS-level probes of the deployment: reading the server's certificate chain, and HTTPS
 * requests made with the same options the Coder extension gives its agent (cert, key, ca,
 * servername = tlsAltHost, rejectUnauthorized) so the outcome is what the editor would see.
 */
import { X509Certificate } from 'node:crypto';
import { request } from 'node:https';
import { connect, type TLSSocket } from 'node:tls';
import { timeoutError } from './net-probes';

export interface Endpoint {
  /** Host to connect to (no IPv6 brackets). */
  host: string;
  port: number;
  /** TLS servername: SNI and the name the certificate is verified against. Undefined for IP hosts. */
  servername: string | undefined;
}

export interface ServerChain {
  leaf: X509Certificate;
  /** Leaf first, as the peer sent it and OpenSSL completed it. */
  chain: X509Certificate[];
  /** Whether `ca` (or Node's default trust store) verifies the chain. Names are not part of this. */
  trusted: boolean;
  /** OpenSSL's verification error code, e.g. `UNABLE_TO_GET_ISSUER_CERT_LOCALLY`. */
  trustError: string | undefined;
  protocol: string | null;
}

/** Where to connect and with which trust and client certificate; callers choose the verification. */
function connectOptions(ep: Endpoint, opts: { ca: string | undefined; clientCert?: { cert: string; key: string } }) {
  return { host: ep.host, port: ep.port, servername: ep.servername, ca: opts.ca, cert: opts.clientCert?.cert, key: opts.clientCert?.key };
}

export type ChainOutcome = { ok: true; chain: ServerChain } | { ok: false; error: NodeJS.ErrnoException };

/**
 * Handshakes to read the server's chain. Name checks are switched off here on purpose: the
 * names are judged separately (server-names.ts), so a name mismatch does not hide whether
 * the CA bundle verifies the chain. `clientCert` is only needed for servers that refuse to
 * finish a TLS 1.2 handshake without one.
 */
export function readServerChain(
  ep: Endpoint,
  opts: { ca: string | undefined; clientCert?: { cert: string; key: string }; timeoutMs: number },
): Promise<ChainOutcome> {
  return new Promise((resolve) => {
    const socket = connect({ ...connectOptions(ep, opts), rejectUnauthorized: false, checkServerIdentity: () => undefined });
    const done = (outcome: ChainOutcome) => {
      socket.destroy();
      resolve(outcome);
    };
    socket.setTimeout(opts.timeoutMs, () => done({ ok: false, error: timeoutError('during the TLS handshake', opts.timeoutMs) }));
    socket.once('error', (error) => done({ ok: false, error }));
    socket.once('secureConnect', () => {
      const leaf = socket.getPeerX509Certificate();
      if (!leaf) {
        done({ ok: false, error: new Error('the server sent no certificate') });
        return;
      }
      const authError = socket.authorizationError as unknown;
      done({
        ok: true,
        chain: {
          leaf,
          chain: peerChain(socket),
          trusted: socket.authorized,
          trustError: authError === null || authError === undefined ? undefined : String(authError),
          protocol: socket.getProtocol(),
        },
      });
    });
  });
}

function peerChain(socket: TLSSocket): X509Certificate[] {
  const out: X509Certificate[] = [];
  const seen = new Set<string>();
  let cur = socket.getPeerCertificate(true) as ReturnType<TLSSocket['getPeerCertificate']> | undefined;
  while (cur && cur.raw && !seen.has(cur.fingerprint256)) {
    seen.add(cur.fingerprint256);
    out.push(new X509Certificate(cur.raw));
    cur = (cur as { issuerCertificate?: typeof cur }).issuerCertificate;
  }
  return out;
}

export interface HttpsProbeOptions {
  path: string;
  ca: string | undefined;
  cert: string | undefined;
  key: string | undefined;
  rejectUnauthorized: boolean;
  headers: Record<string, string>;
  timeoutMs: number;
}

export type HttpsProbeResult =
  | { kind: 'response'; status: number; contentType: string | undefined; body: string; protocol: string | null }
  | { kind: 'error'; error: NodeJS.ErrnoException; handshakeCompleted: boolean };

/** Largest body kept: enough for an error page or buildinfo JSON. */
const MAX_BODY = 64 * 1024;

/** One GET over a fresh connection (no pooled session, so every probe does a full handshake). */
export function httpsGet(ep: Endpoint, opts: HttpsProbeOptions): Promise<HttpsProbeResult> {
  return new Promise((resolve) => {
    let handshakeCompleted = false;
    let protocol: string | null = null;
    let settled = false;
    const finish = (r: HttpsProbeResult) => {
      if (settled) return;
      settled = true;
      resolve(r);
    };
    const req = request(
      {
        host: ep.host,
        port: ep.port,
        path: opts.path,
        method: 'GET',
        agent: false,
        servername: ep.servername,
        ca: opts.ca,
        cert: opts.cert,
        key: opts.key,
        rejectUnauthorized: opts.rejectUnauthorized,
        headers: { Accept: 'application/json', ...opts.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (body.length < MAX_BODY) body += chunk;
        });
        res.on('end', () =>
          finish({
            kind: 'response',
            status: res.statusCode ?? 0,
            contentType: res.headers['content-type'],
            body: body.slice(0, MAX_BODY),
            protocol,
          }),
        );
        res.on('error', (error) => finish({ kind: 'error', error, handshakeCompleted }));
      },
    );
    req.on('socket', (s) => {
      s.once('secureConnect', () => {
        handshakeCompleted = true;
        protocol = (s as TLSSocket).getProtocol();
      });
    });
    req.setTimeout(opts.timeoutMs, () => req.destroy(timeoutError('waiting for the server', opts.timeoutMs)));
    req.on('error', (error) => finish({ kind: 'error', error, handshakeCompleted }));
    req.end();
  });
}

/**
 * A handshake with full verification (chain and name) as the extension's agent does it,
 * used to prove that a suggested `coder.tlsAltHost` really works: the gateway may even pick
 * another certificate for another SNI name.
 */
export function verifiedHandshake(
  ep: Endpoint,
  opts: { ca: string | undefined; clientCert?: { cert: string; key: string }; timeoutMs: number },
): Promise<{ ok: true } | { ok: false; error: NodeJS.ErrnoException }> {
  return new Promise((resolve) => {
    const socket = connect({ ...connectOptions(ep, opts), rejectUnauthorized: true });
    const done = (r: { ok: true } | { ok: false; error: NodeJS.ErrnoException }) => {
      socket.destroy();
      resolve(r);
    };
    socket.setTimeout(opts.timeoutMs, () => done({ ok: false, error: timeoutError('during the TLS handshake', opts.timeoutMs) }));
    socket.once('error', (error) => done({ ok: false, error }));
    socket.once('secureConnect', () => done({ ok: true }));
  });
}
