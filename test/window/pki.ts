/**
 * Certificates for the renderer tests, made by the real openssl CLI: a test CA, a server
 * certificate for the stand-in deployment, and client certificates shaped to trigger the
 * warnings the status view must show (CN only, short-lived), plus PKCS#12 bundles.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

export interface Pem {
  certFile: string;
  keyFile: string;
  cert: string;
  key: string;
}

function read(dir: string, name: string): Pem {
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  return { certFile, keyFile, cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
}

/** A config of our own, so Debian's openssl.cnf defaults (CA:TRUE on every -x509) stay out. */
function config(dir: string, name: string, ext: string[]): string {
  const file = join(dir, `${name}.cnf`);
  writeFileSync(file, ['[req]', 'distinguished_name = dn', 'prompt = no', '[dn]', 'CN = unused', '[ext]', ...ext, ''].join('\n'));
  return file;
}

export function makeCa(dir: string, name = 'ca'): Pem {
  const cnf = config(dir, name, ['basicConstraints = critical, CA:TRUE', 'keyUsage = critical, keyCertSign, cRLSign', 'subjectKeyIdentifier = hash']);
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`, '-subj', '/CN=Renderer Test CA', '-days', '30', '-config', cnf, '-extensions', 'ext'], dir);
  return read(dir, name);
}

export interface LeafOptions {
  cn: string;
  /** openssl spelling, e.g. ['DNS:localhost', 'IP:127.0.0.1']; empty for a CN-only certificate. */
  sans: string[];
  days: number;
  usage: 'serverAuth' | 'clientAuth';
  /** Sign with this CA; self-signed when absent. */
  ca?: Pem;
}

export function makeLeaf(dir: string, name: string, o: LeafOptions): Pem {
  const ext = ['basicConstraints = critical, CA:FALSE', 'keyUsage = critical, digitalSignature', `extendedKeyUsage = ${o.usage}`];
  if (o.sans.length) ext.push(`subjectAltName = ${o.sans.join(', ')}`);
  const cnf = config(dir, name, ext);
  if (o.ca) {
    openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${o.cn}`, '-config', cnf], dir);
    openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', o.ca.certFile, '-CAkey', o.ca.keyFile, '-CAcreateserial', '-out', `${name}.crt`, '-days', String(o.days), '-extfile', cnf, '-extensions', 'ext', '-sha256'], dir);
  } else {
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`, '-subj', `/CN=${o.cn}`, '-days', String(o.days), '-config', cnf, '-extensions', 'ext'], dir);
  }
  return read(dir, name);
}

/** A PKCS#12 file as openssl 3 writes it by default (AES-256-CBC, PBKDF2, SHA-256 MAC). */
export function makeP12(dir: string, name: string, pem: Pem, passphrase: string): string {
  const out = join(dir, `${name}.p12`);
  openssl(['pkcs12', '-export', '-in', pem.certFile, '-inkey', pem.keyFile, '-out', out, '-passout', `pass:${passphrase}`, '-name', name], dir);
  return out;
}

/** The public key of a certificate or private key, to prove that a key and a certificate match. */
export function publicKeyOf(file: string, kind: 'cert' | 'key'): string {
  const args = kind === 'cert' ? ['x509', '-in', file, '-noout', '-pubkey'] : ['pkey', '-in', file, '-pubout'];
  return execFileSync('openssl', args, { encoding: 'utf8' });
}

export function certText(file: string): string {
  return execFileSync('openssl', ['x509', '-in', file, '-noout', '-text'], { encoding: 'utf8' });
}
