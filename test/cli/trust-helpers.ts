/**
 * Shared by the trust snippet tests (issue 17): a private CA made with openssl, a CLI world with a
 * profile that carries it as its --ca-bundle, a Node probe that reports how an HTTPS request
 * ended, running a shell form against a temp root, and the environment without any inherited
 * NODE_EXTRA_CA_CERTS (this machine's own environment may set one).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestCa, type TestCa } from '../doctor/openssl-pki';
import type { World } from './cli-harness';

export interface TrustWorld {
  w: World;
  ca: TestCa;
  /** The profile id; its CA file is mtls-tray-<id>.crt. */
  id: string;
  caFileName: string;
}

/**
 * A profile "Corp (prod)" in world `w` with the private CA as its CA bundle. The world is made at
 * the top of the test file (makeWorld registers its cleanup with the file's `after`).
 */
export async function trustWorld(w: World, profileName = 'Corp (prod)'): Promise<TrustWorld> {
  const ca = await createTestCa(w.root, 'Corp Private Root CA');
  const init = w.cli(['init', '--url', 'https://coder.corp.test', '--name', profileName, '--self-signed', '--no-settings', '--ca-bundle', ca.certPath]);
  if (init.code !== 0) throw new Error(`init failed: ${init.stderr}`);
  const id = (w.json<Array<{ id: string }>>(['list']))[0]!.id;
  return { w, ca, id, caFileName: `mtls-tray-${id}.crt` };
}

/** PATH and HOME only: no NODE_EXTRA_CA_CERTS, SSL_CERT_FILE or NODE_OPTIONS from this machine. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', LANG: 'C.UTF-8', ...extra };
}

export interface Probe {
  ok: boolean;
  status?: number;
  body?: string;
  code?: string;
}

/** A fresh Node process (so NODE_EXTRA_CA_CERTS is read at its start) making one HTTPS request. */
const PROBE = `const https = require('node:https');
https.get(process.argv[1], { agent: false }, (res) => {
  let body = '';
  res.on('data', (d) => (body += d));
  res.on('end', () => console.log(JSON.stringify({ ok: true, status: res.statusCode, body })));
}).on('error', (e) => console.log(JSON.stringify({ ok: false, code: e.code })));`;

export function probeArgs(url: string): string[] {
  return ['-e', PROBE, url];
}

export function parseProbe(stdout: string): Probe {
  const line = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as Probe;
}

export function probe(url: string, env: NodeJS.ProcessEnv): Probe {
  const r = spawnSync(process.execPath, probeArgs(url), { env, encoding: 'utf8', timeout: 20_000 });
  return parseProbe(r.stdout);
}

/** Debian's updater, which can be pointed at another root (`--localcertsdir` etc.). */
export const DEBIAN_UPDATER = ['/usr/sbin/update-ca-certificates', '/sbin/update-ca-certificates'].find((p) => existsSync(p));

/** A Debian-like image root: the files update-ca-certificates reads exist (a non-empty config, so it does not start afresh). */
export function debianRoot(parent: string, name: string): string {
  const root = join(parent, name);
  mkdirSync(join(root, 'etc', 'ssl', 'certs'), { recursive: true });
  mkdirSync(join(root, 'usr', 'share', 'ca-certificates'), { recursive: true });
  mkdirSync(join(root, 'usr', 'local', 'share', 'ca-certificates'), { recursive: true });
  writeFileSync(join(root, 'etc', 'ca-certificates.conf'), '# test image: no distribution CAs\n');
  return root;
}

/** An RHEL-like root: only the anchors directory of p11-kit's trust store. */
export function rhelRoot(parent: string, name: string): string {
  const root = join(parent, name);
  mkdirSync(join(root, 'etc', 'pki', 'ca-trust', 'source', 'anchors'), { recursive: true });
  return root;
}

export interface ShellRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the shell form as a startup script would, sourced by `sh -eu` (so an error or an unset
 * variable inside it would stop the caller), then `after` in the same shell.
 */
export function runShellForm(script: string, root: string, o: { path?: string; after?: string; shell?: string } = {}): ShellRun {
  const r = spawnSync(o.shell ?? 'sh', ['-eu', '-c', `. "$1"\n${o.after ?? ''}`, 'startup', script], {
    env: cleanEnv({ MTLS_TRAY_TRUST_ROOT: root, ...(o.path ? { PATH: o.path } : {}) }),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
