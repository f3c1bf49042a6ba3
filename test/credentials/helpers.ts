// Shared test plumbing: temp dirs that clean up, and openssl as a real peer.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../../main/base/errors';

/** A temp dir removed when the test file finishes. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mtls-cred-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function writeIn(dir: string, name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs openssl with args; `input` goes to stdin. Never throws: callers assert on status. */
export function openssl(args: string[], input?: string | Buffer): RunResult {
  const r = spawnSync('openssl', args, { input, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Like openssl() but fails the test with openssl's own words when it exits non-zero. */
export function opensslOk(args: string[], input?: string | Buffer): string {
  const r = openssl(args, input);
  assert.equal(r.status, 0, `openssl ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}

/** Asserts a UserError with the code and a message matching `message`, with a fix. */
export function isUserErr(code: string, message?: RegExp) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof UserError, `expected UserError ${code}, got ${String((e as Error)?.stack ?? e)}`);
    assert.equal(e.code, code, `code for: ${e.message}`);
    if (message) assert.match(e.message, message);
    assert.ok(!/\n\s+at /.test(e.message), 'message must not contain a stack trace');
    return true;
  };
}

export async function rejectsUser(p: Promise<unknown> | (() => unknown), code: string, message?: RegExp): Promise<void> {
  await assert.rejects(async () => (typeof p === 'function' ? p() : p), isUserErr(code, message));
}

/** A root -> intermediate -> leaf chain made entirely by openssl (EC keys), in `dir`. */
export function opensslChain(dir: string): { root: string; inter: string; leaf: string; leafKey: string; paths: Record<'root' | 'inter' | 'leaf' | 'leafKey', string> } {
  const p = (n: string) => join(dir, n);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  opensslOk(['req', '-x509', ...ec, '-keyout', p('root.key'), '-out', p('root.pem'), '-subj', '/CN=Chain Root', '-days', '30', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign']);
  opensslOk(['req', '-new', ...ec, '-keyout', p('inter.key'), '-out', p('inter.csr'), '-subj', '/CN=Chain Intermediate']);
  writeFileSync(p('inter.ext'), 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign\n');
  opensslOk(['x509', '-req', '-in', p('inter.csr'), '-CA', p('root.pem'), '-CAkey', p('root.key'), '-CAcreateserial', '-days', '30', '-extfile', p('inter.ext'), '-out', p('inter.pem')]);
  opensslOk(['req', '-new', ...ec, '-keyout', p('leaf.key'), '-out', p('leaf.csr'), '-subj', '/CN=Chain Leaf']);
  writeFileSync(p('leaf.ext'), 'subjectAltName=DNS:leaf.example.com\nextendedKeyUsage=clientAuth\n');
  opensslOk(['x509', '-req', '-in', p('leaf.csr'), '-CA', p('inter.pem'), '-CAkey', p('inter.key'), '-CAcreateserial', '-days', '30', '-extfile', p('leaf.ext'), '-out', p('leaf.pem')]);
  const read = (n: string) => readFileSync(p(n), 'utf8');
  return {
    root: read('root.pem'),
    inter: read('inter.pem'),
    leaf: read('leaf.pem'),
    leafKey: read('leaf.key'),
    paths: { root: p('root.pem'), inter: p('inter.pem'), leaf: p('leaf.pem'), leafKey: p('leaf.key') },
  };
}
