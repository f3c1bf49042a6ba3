/**
 * A real corporate CA for the re-enrolment tests: `openssl ca` with its own database, serial
 * file and config, signing CSRs as a CA does (SANs copied from the request, EKU set by the CA).
 * `startCaServer` puts it behind a minimal HTTP endpoint on 127.0.0.1 (POST /sign, the CSR as
 * the body, the PEM certificate as the answer), which an issuer command reaches with curl.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface SignOptions {
  days?: number;
  /** 'client' (clientAuth, the default) or 'server' (serverAuth only). */
  profile?: 'client' | 'server';
  /** openssl ca -startdate / -enddate (YYMMDDHHMMSSZ), e.g. for an expired certificate. */
  startDate?: Date;
  endDate?: Date;
}

export interface OpensslCa {
  dir: string;
  certFile: string;
  keyFile: string;
  certPem: string;
  sign(csrPem: string, o?: SignOptions): Promise<string>;
  signSync(csrPem: string, o?: SignOptions): string;
  /** Issued so far. */
  issued(): number;
}

function asn1Time(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
}

export function makeOpensslCa(name = 'Corp Issuing CA', parent?: string): OpensslCa {
  const dir = mkdtempSync(join(parent ?? tmpdir(), 'openssl-ca-'));
  if (!parent) process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'newcerts'));
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  const cnf = join(dir, 'ca.cnf');
  writeFileSync(cnf, [
    '[ca]', 'default_ca = CA_default',
    '[CA_default]', `dir = ${dir}`, 'database = $dir/index.txt', 'new_certs_dir = $dir/newcerts', 'certificate = $dir/ca.crt', 'private_key = $dir/ca.key',
    'serial = $dir/serial', 'default_md = sha256', 'policy = policy_any', 'unique_subject = no', 'copy_extensions = copy', 'email_in_dn = no', 'default_days = 30',
    '[policy_any]', 'commonName = supplied',
    '[ext_client]', 'basicConstraints = CA:FALSE', 'keyUsage = digitalSignature', 'extendedKeyUsage = clientAuth',
    '[ext_server]', 'basicConstraints = CA:FALSE', 'keyUsage = digitalSignature', 'extendedKeyUsage = serverAuth',
    '[req]', 'distinguished_name = dn', '[dn]', '',
  ].join('\n'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'ca.key'), '-out', join(dir, 'ca.crt'), '-subj', `/O=Corp/CN=${name}`, '-days', '60', '-config', cnf, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], { stdio: 'pipe' });
  let n = 0;
  let queue: Promise<unknown> = Promise.resolve();
  const args = (inFile: string, outFile: string, o: SignOptions) => [
    'ca', '-batch', '-config', cnf, '-notext', '-in', inFile, '-out', outFile, '-extensions', o.profile === 'server' ? 'ext_server' : 'ext_client',
    ...(o.startDate ? ['-startdate', asn1Time(o.startDate)] : []),
    ...(o.endDate ? ['-enddate', asn1Time(o.endDate)] : ['-days', String(o.days ?? 30)]),
  ];
  const files = () => {
    const i = ++n;
    return { inFile: join(dir, `req-${i}.csr`), outFile: join(dir, `cert-${i}.pem`) };
  };
  const ca: OpensslCa = {
    dir,
    certFile: join(dir, 'ca.crt'),
    keyFile: join(dir, 'ca.key'),
    certPem: readFileSync(join(dir, 'ca.crt'), 'utf8'),
    // `openssl ca` keeps a database: one signature at a time.
    sign(csrPem, o = {}) {
      const next = queue.then(async () => {
        const { inFile, outFile } = files();
        writeFileSync(inFile, csrPem);
        await run('openssl', args(inFile, outFile, o));
        return readFileSync(outFile, 'utf8');
      });
      queue = next.catch(() => undefined);
      return next;
    },
    signSync(csrPem, o = {}) {
      const { inFile, outFile } = files();
      writeFileSync(inFile, csrPem);
      execFileSync('openssl', args(inFile, outFile, o), { stdio: 'pipe' });
      return readFileSync(outFile, 'utf8');
    },
    issued: () => n,
  };
  return ca;
}

export interface CaServer {
  port: number;
  /** The issuer command that reaches it. */
  command: string;
  requests(): number;
  stop(): Promise<void>;
}

/** POST /sign: CSR in, certificate out (400 with openssl's error otherwise). */
export async function startCaServer(ca: OpensslCa, o: SignOptions = {}): Promise<CaServer> {
  let count = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      count++;
      if (req.method !== 'POST' || req.url !== '/sign') {
        res.writeHead(404).end('not found\n');
        return;
      }
      ca.sign(Buffer.concat(chunks).toString('utf8'), o).then(
        (pem) => res.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(pem),
        (err: Error) => res.writeHead(400).end(`${err.message}\n`),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    command: `curl -fsS --data-binary @- http://127.0.0.1:${port}/sign`,
    requests: () => count,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
