// Shared plumbing for the store tests: temp data dirs with awkward names, a profile with a
// real certificate, the Coder extension's own rules for reading header command output,
// and a bundled copy of the writer child so crash/lock tests start processes quickly.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { UserError } from '../../main/base/errors';
import { createSelfSignedClientCert, generateKey, renewCertificate } from '../../main/credentials/making';
import { CredentialStore, renderHeadersFile, type HeaderSpec, type StoreLogger, type StoreOptions } from '../../main/store';

export const execFileP = promisify(execFile);

/** A temp dir removed when the test file finishes. */
export function tempDir(prefix = 'mtls-store-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A data dir whose path has a space, a single quote and non-ASCII letters. */
export function awkwardDataDir(): string {
  return join(tempDir(), "Jöhn's data dir", 'mtls-tray');
}

export interface LogLine { level: 'info' | 'warn'; message: string }
export function memoryLogger(): StoreLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  return {
    lines,
    info: (message) => void lines.push({ level: 'info', message }),
    warn: (message) => void lines.push({ level: 'warn', message }),
  };
}

export function newStore(dataDir: string, o: Partial<StoreOptions> = {}): CredentialStore {
  return new CredentialStore({ dataDir, env: {}, homedir: tempDir('mtls-home-'), ...o });
}

export const HEADERS: HeaderSpec[] = [
  { name: 'X-Client-Key-Pin', value: '{{cert.spki.sha256}}' },
  { name: 'X-Client-Cert-Sha256', value: '{{cert.sha256}}' },
  { name: 'X-Team', value: "platform's = team; $HOME `id` \\n" },
];

/** Self-signed client identity, as `init --self-signed` would make it. */
export async function selfSigned(days = 30, now?: Date): Promise<{ cert: string; key: string }> {
  const key = await generateKey('ecdsa-p256');
  const cert = await createSelfSignedClientCert({ keyPem: key, sans: [{ type: 'email', value: 'dev@example.com' }], commonName: 'dev', days, ...(now ? { now } : {}) });
  return { cert, key };
}

/** A profile `id` with one generation, made active. */
export async function seedProfile(store: CredentialStore, id = 'acme', o: { ca?: string | null; headers?: HeaderSpec[]; days?: number; now?: Date; issuer?: { certPem: string; keyPem: string } } = {}) {
  let { cert, key } = await selfSigned(o.days ?? 30, o.now);
  if (o.issuer) cert = await renewCertificate({ certPem: cert, keyPem: key, days: o.days ?? 30, issuer: o.issuer, ...(o.now ? { now: o.now } : {}) });
  await store.createProfileDir(id);
  const info = await store.writeGeneration(id, { cert, key, ca: o.ca ?? null, headers: renderHeadersFile(o.headers ?? HEADERS, cert) }, { operation: 'create', ...(o.now ? { now: o.now } : {}) });
  await store.setActive(id);
  return { cert, key, info };
}

/** A CA made by openssl (a real peer), for local-CA profiles and mTLS servers. */
export function opensslCa(dir: string): { certPem: string; keyPem: string } {
  const keyPath = join(dir, 'ca.key');
  const certPath = join(dir, 'ca.crt');
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyPath, '-out', certPath,
    '-subj', '/CN=mtls-tray test CA', '-days', '3', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const read = (p: string) => spawnSync('cat', [p], { encoding: 'utf8' }).stdout;
  return { certPem: read(certPath), keyPem: read(keyPath) };
}

export { parseLikeExtension } from './fixtures/extension-rules';

export function isUserErr(code: string, message?: RegExp) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof UserError, `expected UserError ${code}, got ${String((e as Error)?.stack ?? e)}`);
    assert.equal(e.code, code, `code for: ${e.message}`);
    if (message) assert.match(e.message, message);
    return true;
  };
}

/**
 * The child programs under fixtures/ bundled to CommonJS files: they start in ~50 ms instead
 * of ~400 ms with tsx. `outDir` must come from tempDir() called at the top level of the test
 * file (not in a hook).
 */
export async function bundleFixtures(outDir: string): Promise<{ writer: string; server: string; client: string }> {
  await build({
    entryPoints: Object.fromEntries(['store-writer', 'mtls-server', 'extension-client'].map((n) => [n, join(__dirname, 'fixtures', `${n}.ts`)])),
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', outdir: outDir, outExtension: { '.js': '.cjs' }, logLevel: 'error',
  });
  return { writer: join(outDir, 'store-writer.cjs'), server: join(outDir, 'mtls-server.cjs'), client: join(outDir, 'extension-client.cjs') };
}
