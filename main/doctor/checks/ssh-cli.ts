/**
 * SSH through `coder ssh`: the workspace connection does not use the client certificate. The
 * extension's ProxyCommand runs the Coder CLI with `--url` and `--header-command`, and the CLI
 * has no client-certificate option (coder/coder #9975). So this probe makes the CLI's request:
 * no client certificate, the header command's headers, GET /api/v2/buildinfo. A gateway that
 * insists on a certificate refuses it: opening workspaces fails while the extension's own API
 * calls (with the certificate) work. The server's certificate is judged by the trust checks.
 */
import { recogniseGatewayRejection } from '../gateway-pages';
import { identifyTlsAlert } from '../tls-alerts';
import type { HttpsProbeResult } from '../tls-probes';
import type { DoctorCheck } from '../types';
import { CHECKS } from './check-names';

const BASE = CHECKS.sshCli;

const WHAT_FAILS =
  'so opening a workspace (the SSH connection runs `coder ssh`, which has no client-certificate option) fails, while the extension\'s own API calls, which carry the certificate, work';

export function sshFix(headerNames: string[]): string {
  const header = headerNames[0] ?? 'X-Coder-Gateway-Token';
  const how = headerNames.length
    ? `the header command already prints ${headerNames.join(', ')}`
    : `give the profile such a header with \`mtls-tray init ... --header ${header}=VALUE\` (the header command prints it)`;
  const variable = `$http_${header.toLowerCase().replace(/-/g, '_')}`;
  return (
    `ask the gateway admin to admit the Coder CLI by a header that the header command prints (${how}); in nginx: ` +
    `\`ssl_verify_client optional;\` plus a check of that header for requests without a certificate, e.g. ` +
    `\`map "$ssl_client_verify:${variable}" $mtls_deny { default 1; "~^SUCCESS:" 0; "NONE:<value>" 0; }\` and \`if ($mtls_deny) { return 403; }\``
  );
}

export function judgeSshProbe(probe: HttpsProbeResult, headerNames: string[]): DoctorCheck {
  const sent = headerNames.length ? `with the header command's headers (${headerNames.join(', ')})` : 'with no headers (the profile has none)';
  const data: Record<string, unknown> = { headersSent: headerNames };
  if (probe.kind === 'error') {
    const alert = identifyTlsAlert(probe.error);
    data['alert'] = alert?.number;
    data['error'] = probe.error.code;
    const why = alert ? `TLS alert ${alert.number} ${alert.name}` : probe.handshakeCompleted ? 'the connection was closed after the handshake' : `the handshake failed (${probe.error.message.split('\n')[0]})`;
    return { ...BASE, status: 'warn', code: 'SSH_NEEDS_CERT', data, detail: `a request without a client certificate, ${sent}, is refused: ${why}; ${WHAT_FAILS}`, fix: sshFix(headerNames) };
  }
  data['httpStatus'] = probe.status;
  const page = recogniseGatewayRejection(probe.status, probe.body);
  if (page && page.kind !== 'plain-http') {
    return { ...BASE, status: 'warn', code: 'SSH_NEEDS_CERT', data, detail: `a request without a client certificate, ${sent}, gets HTTP ${probe.status} "${page.text}" from the gateway; ${WHAT_FAILS}`, fix: sshFix(headerNames) };
  }
  if (probe.status === 200 && /"version"/.test(probe.body)) {
    return { ...BASE, status: 'pass', data, detail: `the gateway admits a request without a client certificate ${sent} (HTTP 200 from /api/v2/buildinfo): \`coder ssh\` can reach the deployment` };
  }
  return {
    ...BASE, status: 'warn', code: 'SSH_REFUSED', data,
    detail: `a request without a client certificate, ${sent}, gets HTTP ${probe.status} instead of the build info; if the gateway refuses it, ${WHAT_FAILS}`,
    fix: sshFix(headerNames),
  };
}
