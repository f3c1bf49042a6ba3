// A real TLS peer: a Node server that demands a client certificate and verifies it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { parseSan } from '../../main/credentials/reading';
import { createLocalCa, createSelfSignedClientCert, generateKey, issueClientCert, renewCertificate, importPkcs12, exportPkcs12 } from '../../main/credentials/making';

interface Outcome {
  ok: boolean;
  /** What the server said to an accepted client: "hello <CN>". */
  reply?: string;
  error?: string;
  /** Whether the server's connection handler ran (it only does for verified clients). */
  serverAccepted: boolean;
}

/** Starts a server trusting `clientCa`, connects once with `client`, and closes everything. */
async function handshake(server: { key: string; cert: string }, clientCa: string, serverCa: string, client: { key: string; cert: string }): Promise<Outcome> {
  let serverAccepted = false;
  const srv = tls.createServer({ key: server.key, cert: server.cert, ca: clientCa, requestCert: true, rejectUnauthorized: true }, (sock) => {
    serverAccepted = sock.authorized;
    const peer = sock.getPeerCertificate();
    sock.end(`hello ${peer.subject?.CN ?? '?'}`);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  try {
    return await new Promise<Outcome>((resolve) => {
      let data = '';
      const sock = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ca: serverCa, key: client.key, cert: client.cert });
      sock.setTimeout(5000, () => sock.destroy(new Error('timeout')));
      sock.on('data', (d) => (data += d));
      sock.on('error', (e: Error & { code?: string }) => resolve({ ok: false, error: e.code ?? e.message, serverAccepted }));
      sock.on('close', () => resolve(data ? { ok: true, reply: data, serverAccepted } : { ok: false, error: 'closed without reply', serverAccepted }));
    });
  } finally {
    await new Promise((r) => srv.close(r));
  }
}

test('a TLS server with requestCert+rejectUnauthorized accepts our client certificates and refuses another CA\'s', async () => {
  const [ca, otherCa, serverKey, clientKey, strangerKey, rotatedKey] = await Promise.all([
    createLocalCa({ commonName: 'Deploy CA' }),
    createLocalCa({ commonName: 'Other CA' }),
    generateKey('ecdsa-p256'),
    generateKey('ecdsa-p256'),
    generateKey('rsa-2048'),
    generateKey('ecdsa-p384'),
  ]);
  const server = { key: serverKey, cert: await issueClientCert({ ca, publicKeyPem: serverKey, sans: [parseSan('DNS:localhost')], commonName: 'localhost', days: 1, serverAuth: true }) };
  const clientCert = await issueClientCert({ ca, publicKeyPem: clientKey, sans: [parseSan('email:dev@example.com')], commonName: 'dev', days: 1 });

  const accepted = await handshake(server, ca.certPem, ca.certPem, { key: clientKey, cert: clientCert });
  assert.deepEqual(accepted, { ok: true, reply: 'hello dev', serverAccepted: true });

  // Renewed (same key) and rotated (new key, other curve) certificates keep working.
  const renewed = await renewCertificate({ certPem: clientCert, keyPem: clientKey, days: 2, issuer: ca });
  assert.equal((await handshake(server, ca.certPem, ca.certPem, { key: clientKey, cert: renewed })).reply, 'hello dev');
  const rotated = await renewCertificate({ certPem: clientCert, keyPem: rotatedKey, days: 2, issuer: ca });
  assert.equal((await handshake(server, ca.certPem, ca.certPem, { key: rotatedKey, cert: rotated })).reply, 'hello dev');

  // A client certificate from another CA is refused by the server.
  const stranger = await issueClientCert({ ca: otherCa, publicKeyPem: strangerKey, sans: [parseSan('DNS:stranger')], commonName: 'stranger', days: 1 });
  const refused = await handshake(server, ca.certPem, ca.certPem, { key: strangerKey, cert: stranger });
  assert.equal(refused.ok, false);
  assert.equal(refused.reply, undefined);
  assert.equal(refused.serverAccepted, false, 'the server never handed the connection to its handler');
});

test('a self-signed client certificate is accepted by a server that trusts it directly, and round-trips through PKCS#12', async () => {
  const [ca, serverKey, clientKey] = await Promise.all([createLocalCa({ commonName: 'Server CA' }), generateKey('ecdsa-p256'), generateKey('ecdsa-p256')]);
  const server = { key: serverKey, cert: await issueClientCert({ ca, publicKeyPem: serverKey, sans: [parseSan('DNS:localhost')], commonName: 'localhost', days: 1, serverAuth: true }) };
  const selfSigned = await createSelfSignedClientCert({ keyPem: clientKey, sans: [parseSan('DNS:laptop.example')], commonName: 'laptop', days: 1 });
  const back = importPkcs12(exportPkcs12({ certPem: selfSigned, keyPem: clientKey, passphrase: 'pw', iterations: 2048, macIterations: 2048 }), 'pw');
  const ok = await handshake(server, selfSigned, ca.certPem, { key: back.keyPem, cert: back.certPem });
  assert.deepEqual(ok, { ok: true, reply: 'hello laptop', serverAccepted: true });
  // Not trusted: the server's client-CA list is the CA, not this certificate.
  const refused = await handshake(server, ca.certPem, ca.certPem, { key: clientKey, cert: selfSigned });
  assert.equal(refused.ok, false);
  assert.equal(refused.serverAccepted, false);
});
