/**
 * Test certificates made by the openssl command line (an independent peer, not our own
 * engine): a CA per call, and server or client certificates it issues with the SANs and
 * validity dates the test chooses. `openssl ca` is used because it takes explicit start and
 * end dates, which is how an already-expired certificate is made without faking the clock.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Issued {
  certPem: string;
  keyPem: string;
  certPath: string;
  keyPath: string;
}

export interface IssueOptions {
  cn: string;
  /** openssl syntax: `DNS:name`, `IP:addr`. None at all makes a CN-only certificate. */
  sans?: string[];
  usage: 'server' | 'client';
  notBefore?: Date;
  notAfter?: Date;
}

export interface TestCa extends Issued {
  issue(opts: IssueOptions): Promise<Issued>;
}

const HOUR = 3_600_000;

/** Creates a CA (EC P-256, self-signed) under `dir/<name>` and returns it with its issuer. */
export async function createTestCa(dir: string, name: string): Promise<TestCa> {
  const home = join(dir, name);
  mkdirSync(join(home, 'issued'), { recursive: true });
  writeFileSync(join(home, 'index.txt'), '');
  writeFileSync(join(home, 'serial'), '1000\n');
  writeFileSync(
    join(home, 'ca.cnf'),
    `[req]
distinguished_name = dn
[dn]
[v3_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ca]
default_ca = test_ca
[test_ca]
database = ${join(home, 'index.txt')}
new_certs_dir = ${join(home, 'issued')}
serial = ${join(home, 'serial')}
default_md = sha256
policy = any_subject
unique_subject = no
[any_subject]
commonName = supplied
`,
  );
  const certPath = join(home, 'ca.crt');
  const keyPath = join(home, 'ca.key');
  await run('openssl', [
    'req', '-x509', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', keyPath, '-out', certPath, '-subj', `/CN=${name}`, '-days', '3650',
    '-config', join(home, 'ca.cnf'), '-extensions', 'v3_ca',
  ]);

  let count = 0;
  const issue = async (opts: IssueOptions): Promise<Issued> => {
    const base = join(home, `leaf-${++count}`);
    const ext = `${base}.ext`;
    const lines = [
      '[leaf]',
      'basicConstraints = critical,CA:FALSE',
      'keyUsage = critical,digitalSignature',
      `extendedKeyUsage = ${opts.usage === 'server' ? 'serverAuth' : 'clientAuth'}`,
      'subjectKeyIdentifier = hash',
      'authorityKeyIdentifier = keyid',
    ];
    if (opts.sans?.length) lines.push(`subjectAltName = ${opts.sans.join(',')}`);
    writeFileSync(ext, `${lines.join('\n')}\n`);
    await run('openssl', [
      'req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
      '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', `/CN=${opts.cn}`, '-config', join(home, 'ca.cnf'),
    ]);
    const now = Date.now();
    await run('openssl', [
      'ca', '-batch', '-notext', '-config', join(home, 'ca.cnf'), '-cert', certPath, '-keyfile', keyPath,
      '-in', `${base}.csr`, '-out', `${base}.crt`, '-extfile', ext, '-extensions', 'leaf',
      '-startdate', opensslTime(opts.notBefore ?? new Date(now - HOUR)),
      '-enddate', opensslTime(opts.notAfter ?? new Date(now + 30 * 24 * HOUR)),
    ]);
    return {
      certPem: readFileSync(`${base}.crt`, 'utf8'),
      keyPem: readFileSync(`${base}.key`, 'utf8'),
      certPath: `${base}.crt`,
      keyPath: `${base}.key`,
    };
  };

  return { certPem: readFileSync(certPath, 'utf8'), keyPem: readFileSync(keyPath, 'utf8'), certPath, keyPath, issue };
}

/** `YYYYMMDDHHMMSSZ`, the form `openssl ca -startdate/-enddate` takes. */
function opensslTime(d: Date): string {
  return `${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}
