/**
 * Judges the mutual-TLS exchange with our certificate. A gateway can refuse a client
 * certificate in three ways, and the extension reacts to only the first:
 *  1. a TLS alert (OpenSSL-based terminators such as HAProxy, Envoy, `openssl s_server`);
 *     alerts 42/44/45/46 make the extension run `coder.tlsCertRefreshCommand` and retry;
 *  2. an HTTP 400 page after a completed handshake (nginx and its derivatives);
 *  3. closing the connection without a word (Node's own TLS server does this).
 * The server's certificate is not judged here (rejectUnauthorized is off for this probe):
 * the trust and name checks cover it, so a server-side problem does not mask ours.
 */
import { recogniseGatewayRejection } from '../gateway-pages';
import { identifyTlsAlert, REFRESH_TRIGGER_ALERTS } from '../tls-alerts';
import type { HttpsProbeResult } from '../tls-probes';
import type { DoctorCheck } from '../types';
import type { OwnCertificateFacts } from './own-certificate';
import { CHECKS } from './check-names';

const BASE = CHECKS.mtls;
const REFRESH_LIST = REFRESH_TRIGGER_ALERTS.join('/');
const NO_REFRESH_NOTE = `the extension's coder.tlsCertRefreshCommand is never triggered by this (it only runs on TLS alerts ${REFRESH_LIST})`;

export interface MtlsContext {
  /** Whether we presented a certificate at all (false for a deployment-only check). */
  presented: boolean;
  /** From the local check: lets "rejected" be explained as "because it expired". */
  own: OwnCertificateFacts | undefined;
  now: Date;
}

export function judgeMtlsProbe(probe: HttpsProbeResult, ctx: MtlsContext): DoctorCheck {
  return probe.kind === 'error' ? judgeError(probe, ctx) : judgeResponse(probe, ctx);
}

function judgeError(probe: Extract<HttpsProbeResult, { kind: 'error' }>, ctx: MtlsContext): DoctorCheck {
  const alert = identifyTlsAlert(probe.error);
  if (alert) {
    const data = { alert: alert.number, alertName: alert.name, triggersRefresh: alert.triggersRefresh, error: probe.error.code };
    if (!ctx.presented && (alert.number === 116 || alert.number === 40)) {
      return { ...BASE, status: 'pass', data, detail: `the deployment requires a client certificate (TLS alert ${alert.number} ${alert.name} without one)` };
    }
    const refresh = alert.triggersRefresh
      ? `the extension runs coder.tlsCertRefreshCommand on this alert and retries once`
      : `the extension does not run coder.tlsCertRefreshCommand for this alert (only ${REFRESH_LIST})`;
    const expired = ownExpiry(ctx);
    return {
      ...BASE, status: 'fail', code: 'TLS_ALERT', data,
      detail: `the server refused the handshake with TLS alert ${alert.number} ${alert.name}: ${expired ?? alert.likelyCause}; ${refresh}`,
      fix: expired ? 'renew the certificate: mtls-tray renew' : alert.fix,
    };
  }

  const code = probe.error.code ?? '';
  if (code === 'ECONNRESET' || /socket hang up/i.test(probe.error.message)) {
    const when = probe.handshakeCompleted ? 'right after the handshake' : 'during the handshake';
    return {
      ...BASE, status: 'fail', code: 'CONNECTION_DROPPED', data: { error: code, handshakeCompleted: probe.handshakeCompleted },
      detail: `the server closed the connection ${when} without a TLS alert: it most likely rejected our certificate${becauseOf(ctx)}; ${NO_REFRESH_NOTE}`,
      fix: rejectionFix(ctx),
    };
  }
  if (code === 'EPROTO' && /wrong version number|packet length too long|http request/i.test(probe.error.message)) {
    return { ...BASE, status: 'fail', code: 'NOT_TLS', data: { error: code }, detail: 'the port does not speak TLS', fix: 'check the URL: scheme https:// and the TLS port of the gateway' };
  }
  return {
    ...BASE, status: 'fail', data: { error: code },
    detail: `the TLS exchange failed: ${oneLine(probe.error.message)}`,
    fix: 'check the connection and server checks above; retry with `openssl s_client -connect HOST:PORT -cert client.crt -key client.key` for details',
  };
}

function judgeResponse(probe: Extract<HttpsProbeResult, { kind: 'response' }>, ctx: MtlsContext): DoctorCheck {
  const rejection = recogniseGatewayRejection(probe.status, probe.body);
  const data = { httpStatus: probe.status, protocol: probe.protocol, gatewayPage: rejection?.kind };
  if (!rejection) {
    return {
      ...BASE, status: 'pass', data,
      detail: ctx.presented
        ? `the gateway accepted our certificate (${probe.protocol ?? 'TLS'}; HTTP ${probe.status} without headers)`
        : `the gateway answered without a client certificate (HTTP ${probe.status}); it may not require one`,
    };
  }
  const page = `HTTP ${probe.status} "${rejection.text}"`;
  switch (rejection.kind) {
    case 'plain-http':
      return { ...BASE, status: 'fail', code: 'NOT_TLS', data, detail: `the gateway answered ${page}`, fix: 'use an https:// URL' };
    case 'no-certificate':
      if (!ctx.presented) {
        return { ...BASE, status: 'pass', data, detail: `the deployment requires a client certificate (the gateway answers ${page} without one)` };
      }
      return {
        ...BASE, status: 'fail', code: 'GATEWAY_NO_CERT', data,
        detail: `the gateway answered ${page} instead of a TLS alert: our certificate did not reach it; ${NO_REFRESH_NOTE}`,
        fix: 'check for a TLS-terminating proxy between this machine and the gateway, and that http.proxySupport is "on" or "off"',
      };
    case 'certificate-error':
      return {
        ...BASE, status: 'fail', code: 'GATEWAY_REJECTED_CERT', data,
        detail: `the gateway answered ${page} instead of a TLS alert: it rejected our certificate${becauseOf(ctx)}; ${NO_REFRESH_NOTE}`,
        fix: rejectionFix(ctx),
      };
  }
}

/** "because it expired on ..." when the local check knows; the gateway's page never says why. */
function becauseOf(ctx: MtlsContext): string {
  const expired = ownExpiry(ctx);
  if (expired) return ` (${expired})`;
  if (ctx.own) return ` (it is valid here, so most likely the gateway does not trust its issuer ${ctx.own.issuer}, or it was revoked)`;
  return '';
}

function rejectionFix(ctx: MtlsContext): string {
  if (ownExpiry(ctx)) return 'renew the certificate: mtls-tray renew';
  const issuer = ctx.own ? ` (${ctx.own.issuer})` : '';
  return `have the gateway trust our certificate's issuer${issuer} in its client CA list, or get a certificate from the CA it trusts`;
}

function ownExpiry(ctx: MtlsContext): string | undefined {
  if (!ctx.own) return undefined;
  if (ctx.now.getTime() > ctx.own.notAfter.getTime()) return `our certificate expired on ${ctx.own.notAfter.toISOString()}`;
  if (ctx.now.getTime() < ctx.own.notBefore.getTime()) return `our certificate is not valid before ${ctx.own.notBefore.toISOString()}`;
  return undefined;
}

function oneLine(message: string): string {
  return message.split('\n')[0]?.trim() ?? '';
}
