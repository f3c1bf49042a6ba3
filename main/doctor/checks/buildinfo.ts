/**
 * The request the extension makes first, `/api/v2/buildinfo`, made the extension's way:
 * our cert and key, our CA bundle (or default trust), servername = tlsAltHost, full
 * verification, and the header command's headers.
 */
import { recogniseGatewayRejection } from '../gateway-pages';
import { identifyTlsAlert } from '../tls-alerts';
import type { HttpsProbeResult } from '../tls-probes';
import type { DoctorCheck } from '../types';
import { CHECKS } from './check-names';

const BASE = CHECKS.buildinfo;

/** Node's name-check and chain-check error codes, pointing at the check that explains them. */
const SERVER_SIDE_ERRORS: Record<string, string> = {
  ERR_TLS_CERT_ALTNAME_INVALID: 'the server certificate does not name the host (see "Server certificate names the host")',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the server certificate is not trusted (see "Server certificate is trusted")',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the server certificate is not trusted (see "Server certificate is trusted")',
  SELF_SIGNED_CERT_IN_CHAIN: 'the server certificate is not trusted (see "Server certificate is trusted")',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server certificate is not trusted (see "Server certificate is trusted")',
  CERT_HAS_EXPIRED: 'the server certificate has expired (see "Server certificate is trusted")',
};

export function judgeBuildinfo(probe: HttpsProbeResult, sentHeaders: string[]): DoctorCheck {
  if (probe.kind === 'error') {
    const code = probe.error.code ?? '';
    const serverSide = SERVER_SIDE_ERRORS[code];
    const alert = identifyTlsAlert(probe.error);
    const detail = serverSide
      ? `the request fails: ${serverSide}`
      : alert
        ? `the request fails with TLS alert ${alert.number} ${alert.name} (see "Gateway accepts our client certificate")`
        : `the request fails: ${probe.error.message.split('\n')[0]}`;
    return { ...BASE, status: 'fail', data: { error: code, alert: alert?.number }, detail, fix: 'fix the failing checks above first' };
  }

  const data: Record<string, unknown> = { httpStatus: probe.status, headersSent: sentHeaders };
  const sent = sentHeaders.length ? `headers sent: ${sentHeaders.join(', ')}` : 'no headers sent';
  if (probe.status === 200) {
    const info = parseJson(probe.body);
    const version = info && typeof info['version'] === 'string' ? info['version'] : undefined;
    if (version) {
      data['version'] = version;
      return { ...BASE, status: 'pass', data, detail: `Coder ${version} answered (${sent})` };
    }
    return {
      ...BASE, status: 'warn', code: 'NOT_CODER', data,
      detail: `HTTP 200, but not Coder's build info (${probe.contentType ?? 'no content type'}); a login page of a proxy in front of Coder?`,
      fix: 'check that the URL is the Coder deployment\'s own address',
    };
  }

  const rejection = recogniseGatewayRejection(probe.status, probe.body);
  if (rejection) {
    return { ...BASE, status: 'fail', data, detail: `the gateway answered HTTP ${probe.status} "${rejection.text}" (see "Gateway accepts our client certificate")`, fix: 'fix the failing checks above first' };
  }

  const message = serverMessage(probe.body);
  const said = message ? `: ${message}` : '';
  if (probe.status === 401 || probe.status === 403) {
    return {
      ...BASE, status: 'fail', code: 'UNAUTHORIZED', data,
      detail: `the deployment answered HTTP ${probe.status}${said} (${sent})`,
      fix: sentHeaders.length
        ? 'the headers were refused: check the header names and values in the profile (`mtls-tray status` names the headers file that holds them; change them with `mtls-tray edit --header NAME=VALUE` or `--remove-header NAME`)'
        : 'the deployment needs a header: add it to the profile (--header NAME=VALUE) and point coder.headerCommand at our script (mtls-tray settings apply)',
    };
  }
  return {
    ...BASE, status: 'fail', data,
    detail: `the deployment answered HTTP ${probe.status}${said} (${sent})`,
    fix: probe.status === 404 ? 'check the URL: it must be the deployment\'s root, not a sub-path' : 'retry; if it persists, check the deployment\'s logs',
  };
}

function parseJson(body: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(body);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Coder's API errors are `{"message": "...", "detail": "..."}`. */
function serverMessage(body: string): string | undefined {
  const m = parseJson(body)?.['message'];
  return typeof m === 'string' && m ? m.slice(0, 200) : undefined;
}
