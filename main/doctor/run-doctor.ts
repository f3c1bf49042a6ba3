/**
 * The connection doctor: answers "is it my certificate, the server, or the editor?" by
 * running every check in order and stepping around those whose prerequisite failed (no
 * TLS checks without a TCP connection; no request when the header command is broken,
 * because the extension makes none either). Everything comes in through `DoctorInput`;
 * the only I/O here is the network and the header command.
 */
import { homedir } from 'node:os';
import { isIP } from 'node:net';
import { UserError } from '../base/errors';
import { judgeBuildinfo } from './checks/buildinfo';
import { CHECKS } from './checks/check-names';
import { checkDns, checkTcp } from './checks/connectivity';
import { checkEditorSettings, checkProxySupport } from './checks/editor-settings';
import { checkHeaderCommand } from './checks/header-command';
import { judgeMtlsProbe } from './checks/mtls-handshake';
import { checkOwnCertificate, type OwnCertificateFacts } from './checks/own-certificate';
import { checkServerNames, checkServerTrust } from './checks/server-certificate';
import { judgeSshProbe } from './checks/ssh-cli';
import { defaultLookup } from './net-probes';
import { identifyTlsAlert } from './tls-alerts';
import { httpsGet, readServerChain, type ChainOutcome, type Endpoint } from './tls-probes';
import type { DoctorCheck, DoctorInput, DoctorReport } from './types';

export const DEFAULT_TIMEOUT_MS = 10_000;

interface Target {
  url: URL;
  host: string;
  port: number;
  tls: boolean;
  buildinfoPath: string;
}

export function parseDeploymentUrl(raw: string): Target {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new UserError('DOCTOR_BAD_URL', `"${raw}" is not a URL`, 'give the deployment address, e.g. https://coder.example.com', 'url');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UserError('DOCTOR_BAD_URL', `"${raw}" is not an http(s) URL`, 'give the deployment address, e.g. https://coder.example.com', 'url');
  }
  const tls = url.protocol === 'https:';
  return {
    url,
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : tls ? 443 : 80,
    tls,
    // Coder's client joins API paths onto the base URL, so a path prefix is kept.
    buildinfoPath: `${url.pathname.replace(/\/+$/, '')}/api/v2/buildinfo`,
  };
}

export async function runDoctor(input: DoctorInput): Promise<DoctorReport> {
  const target = parseDeploymentUrl(input.url);
  const now = input.now ?? new Date();
  const timeoutMs = input.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const env = input.env ?? process.env;
  const altHost = input.altHost?.trim() || undefined;
  const ca = input.caBundlePem;
  const checks: DoctorCheck[] = [];

  // Our credentials first: they need no network and explain later refusals.
  const creds = input.certPem && input.keyPem ? { cert: input.certPem, key: input.keyPem } : undefined;
  let own: OwnCertificateFacts | undefined;
  if (creds) {
    const r = checkOwnCertificate(creds.cert, creds.key, now);
    checks.push(r.check);
    own = r.facts;
  } else if (input.certPem || input.keyPem) {
    checks.push({
      ...CHECKS.ownCertificate, status: 'fail', code: 'INCOMPLETE_CREDENTIALS',
      detail: input.certPem ? 'a certificate but no key was given' : 'a key but no certificate was given',
      fix: 'coder.tlsCertFile and coder.tlsKeyFile must both point at the active credentials',
    });
  }

  // Network, step by step.
  let blocked: string | undefined;
  const dns = await checkDns(target.host, input.lookup ?? defaultLookup, timeoutMs);
  checks.push(dns);
  if (dns.status === 'fail') blocked = 'the host does not resolve';
  if (!blocked) {
    const tcp = await checkTcp(target.host, target.port, timeoutMs);
    checks.push(tcp);
    if (tcp.status === 'fail') blocked = 'no TCP connection';
  } else {
    checks.push(skipped(CHECKS.tcp, blocked));
  }
  if (!blocked && !target.tls) {
    checks.push({
      ...CHECKS.url, status: 'fail', code: 'NOT_TLS',
      detail: `${target.url.origin} uses http://: there is no TLS, so no client certificate is ever sent`,
      fix: 'use the deployment\'s https:// address',
    });
    blocked = 'the URL is not https://';
  }

  const ep: Endpoint = {
    host: target.host,
    port: target.port,
    // As the extension: servername = tlsAltHost, else Node's default (the host, unless an IP).
    servername: altHost ?? (isIP(target.host) ? undefined : target.host),
  };

  if (!blocked) {
    const chain = await readChain(ep, ca, creds, timeoutMs);
    if (chain.ok) {
      checks.push(
        await checkServerNames(chain.chain, { host: target.host, altHost, endpoint: ep, ca, clientCert: creds, timeoutMs }),
        checkServerTrust(chain.chain, ca !== undefined),
      );
    } else {
      checks.push(chainFailure(chain.error, target, creds !== undefined));
      checks.push(skipped(CHECKS.serverNames, 'no server certificate'), skipped(CHECKS.serverTrust, 'no server certificate'));
    }

    const probe = await httpsGet(ep, {
      path: target.buildinfoPath, ca, cert: creds?.cert, key: creds?.key,
      rejectUnauthorized: false, headers: {}, timeoutMs,
    });
    checks.push(judgeMtlsProbe(probe, { presented: creds !== undefined, own, now }));
  } else if (target.tls) {
    for (const c of [CHECKS.serverNames, CHECKS.serverTrust, CHECKS.mtls]) checks.push(skipped(c, blocked));
  }

  // The header command is local: run it whatever the network said.
  const header = await checkHeaderCommand(input.headerCommand, { url: input.url, env, timeoutMs });
  checks.push(header.check);

  if (blocked) {
    checks.push(skipped(CHECKS.buildinfo, blocked));
  } else if (!creds) {
    checks.push(skipped(CHECKS.buildinfo, 'no client credentials given'));
  } else if (!header.headers) {
    checks.push(skipped(CHECKS.buildinfo, 'the extension makes no request when the header command fails'));
  } else {
    const probe = await httpsGet(ep, {
      path: target.buildinfoPath, ca, cert: creds.cert, key: creds.key,
      rejectUnauthorized: true, headers: header.headers, timeoutMs,
    });
    checks.push(judgeBuildinfo(probe, Object.keys(header.headers)));
  }

  // The workspace connection: the Coder CLI's request, without our certificate.
  if (blocked) {
    checks.push(skipped(CHECKS.sshCli, blocked));
  } else if (!header.headers) {
    checks.push(skipped(CHECKS.sshCli, 'the header command fails, and `coder ssh` runs it too'));
  } else {
    const probe = await httpsGet(ep, { path: target.buildinfoPath, ca, cert: undefined, key: undefined, rejectUnauthorized: false, headers: header.headers, timeoutMs });
    checks.push(judgeSshProbe(probe, Object.keys(header.headers)));
  }

  const editors = input.editors ?? [];
  if (editors.length === 0) {
    checks.push(skipped(CHECKS.editors, 'no editor settings were given to check'));
  }
  const expandCtx = { homeDir: input.homeDir ?? homedir(), env, ...(input.platform ? { platform: input.platform } : {}) };
  for (const editor of editors) {
    if (editor.readError) {
      checks.push({
        id: `editor-settings:${editor.id}`, title: `${editor.id}: coder.* settings point at our files`, status: 'fail', code: 'SETTINGS_UNREADABLE',
        data: { settingsPath: editor.settingsPath }, detail: editor.readError.message,
        fix: editor.readError.fix ?? `open ${editor.settingsPath} in the editor and fix it`,
      });
      continue;
    }
    if (editor.keptTheirs) {
      checks.push({
        id: `editor-settings:${editor.id}`, title: `${editor.id}: coder.* settings point at our files`, status: 'skip', data: { settingsPath: editor.settingsPath, keptTheirs: editor.keptTheirs },
        detail: `not managed (kept theirs since ${editor.keptTheirs}): ${editor.settingsPath} keeps its own coder.* values`,
      });
      continue;
    }
    if (input.expected && Object.keys(input.expected).length > 0) {
      checks.push(checkEditorSettings(editor, input.expected, expandCtx));
    }
    checks.push(checkProxySupport(editor));
  }

  return {
    url: input.url,
    checkedAt: now.toISOString(),
    checks,
    ok: !checks.some((c) => c.status === 'fail'),
  };
}

/**
 * Reads the chain without a client certificate, so server facts stand apart from ours;
 * servers that refuse to finish a TLS 1.2 handshake without one get a second try with ours.
 */
async function readChain(
  ep: Endpoint,
  ca: string | undefined,
  creds: { cert: string; key: string } | undefined,
  timeoutMs: number,
): Promise<ChainOutcome> {
  const first = await readServerChain(ep, { ca, timeoutMs });
  if (first.ok || !creds || !identifyTlsAlert(first.error)) return first;
  return readServerChain(ep, { ca, clientCert: creds, timeoutMs });
}

/**
 * No handshake completed even to read the server's certificate. An alert here means a
 * TLS 1.2 server that ends the handshake over the client certificate before we see its own:
 * that is our side's problem, judged by the client certificate check, not a server fault.
 */
function chainFailure(error: NodeJS.ErrnoException, target: Target, presented: boolean): DoctorCheck {
  const alert = identifyTlsAlert(error);
  const data = { error: error.code, alert: alert?.number };
  if (alert && presented) {
    return {
      ...CHECKS.serverChain, status: 'skip', data,
      detail: `the server ends the handshake over our client certificate (TLS alert ${alert.number} ${alert.name}) before its own certificate can be read; see "${CHECKS.mtls.title}"`,
    };
  }
  const why = alert ? `TLS alert ${alert.number} ${alert.name}` : error.message.split('\n')[0];
  const notTls = /wrong version number|packet length too long/i.test(error.message);
  return {
    ...CHECKS.serverChain, status: 'fail', code: notTls ? 'NOT_TLS' : undefined, data,
    detail: notTls ? `${target.host}:${target.port} does not speak TLS` : `no TLS handshake with ${target.host}:${target.port}: ${why}`,
    fix: notTls ? 'check the URL: the port must be the gateway\'s https port' : 'check that the URL points at the deployment\'s TLS gateway',
  };
}

function skipped(check: { id: string; title: string }, reason: string): DoctorCheck {
  return { ...check, status: 'skip', detail: `not attempted: ${reason}` };
}
