/**
 * A stand-in Coder deployment for the wizard's checks: a Node https server on 127.0.0.1 that
 * asks for a client certificate (any one: like a gateway in `optional_no_ca` mode) and answers
 * `/api/v2/buildinfo` only when one was presented. It closes by itself after `lifetimeMs`.
 */
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Pem } from './pki';

export interface Deployment {
  url: string;
  /** Fingerprints (SHA-256) of the client certificates seen, in order. */
  clientCerts: string[];
  stop(): Promise<void>;
}

export async function startDeployment(server: Pem, lifetimeMs = 120_000): Promise<Deployment> {
  const clientCerts: string[] = [];
  const srv = createServer({ cert: server.cert, key: server.key, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    const peer = (req.socket as TLSSocket).getPeerCertificate();
    const presented = Boolean(peer && peer.fingerprint256);
    if (presented) clientCerts.push(peer.fingerprint256);
    if (req.url?.split('?')[0] !== '/api/v2/buildinfo') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Route not found."}');
      return;
    }
    if (!presented) {
      res.writeHead(403, { 'content-type': 'text/html' }).end('<html><body>400 No required SSL certificate was sent</body></html>');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ version: 'v2.99.0', external_url: 'https://coder.example.com' }));
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  let stopped = false;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (stopped) return resolve();
      stopped = true;
      srv.closeAllConnections();
      srv.close(() => resolve());
    });
  setTimeout(() => void stop(), lifetimeMs).unref();
  return { url: `https://127.0.0.1:${port}`, clientCerts, stop };
}
