/** Name resolution and TCP reachability of the deployment, as checks. */
import { isIP } from 'node:net';
import { connectTcp, resolveHost } from '../net-probes';
import type { DoctorCheck, HostLookup } from '../types';
import { CHECKS } from './check-names';

export async function checkDns(host: string, lookup: HostLookup, timeoutMs: number): Promise<DoctorCheck> {
  const base = CHECKS.dns;
  if (isIP(host)) return { ...base, status: 'pass', detail: `${host} is an IP address; nothing to resolve` };
  const r = await resolveHost(host, lookup, timeoutMs);
  if (r.ok) {
    return { ...base, status: 'pass', detail: `${host} resolves to ${r.addresses.join(', ')}`, data: { addresses: r.addresses } };
  }
  const code = r.error.code ?? '';
  const why =
    code === 'ENOTFOUND' ? `${host} has no address (ENOTFOUND)`
      : code === 'EAI_AGAIN' ? `the name server did not answer for ${host} (EAI_AGAIN)`
        : code === 'ETIMEDOUT' ? `resolving ${host} timed out`
          : `resolving ${host} failed: ${r.error.message}`;
  return {
    ...base, status: 'fail', detail: why, data: { error: code },
    fix: 'check the host name in the URL; if the deployment is internal, connect the VPN or check /etc/hosts',
  };
}

export async function checkTcp(host: string, port: number, timeoutMs: number): Promise<DoctorCheck> {
  const base = CHECKS.tcp;
  const r = await connectTcp(host, port, timeoutMs);
  if (r.ok) return { ...base, status: 'pass', detail: `TCP connection to ${r.remote} established` };
  const code = r.error.code ?? '';
  const target = `${host}:${port}`;
  if (code === 'ECONNREFUSED') {
    return { ...base, status: 'fail', detail: `nothing accepts connections on ${target} (ECONNREFUSED)`, data: { error: code }, fix: 'check the port in the URL and that the deployment\'s gateway is running' };
  }
  return {
    ...base, status: 'fail', data: { error: code },
    detail: code === 'ETIMEDOUT' ? `no answer from ${target} (timed out)` : `cannot reach ${target}: ${r.error.message}`,
    fix: 'a firewall, VPN or proxy is in the way: check that this machine may reach the deployment directly',
  };
}
