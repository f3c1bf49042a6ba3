/**
 * Recognises the HTTP error pages nginx-style gateways send when they refuse a client
 * certificate. With `ssl_verify_client on`, nginx completes the TLS handshake whatever
 * certificate it gets and answers the first request with HTTP 400 instead of a TLS alert
 * (internally 496 "no certificate" and 495 "certificate error"). The Coder extension only
 * reacts to TLS alerts, so these pages never trigger `coder.tlsCertRefreshCommand`.
 */

export type GatewayRejectionKind = 'no-certificate' | 'certificate-error' | 'plain-http';

export interface GatewayRejection {
  kind: GatewayRejectionKind;
  /** The page's own words, as quoted in the report. */
  text: string;
}

const PAGES: ReadonlyArray<{ kind: GatewayRejectionKind; text: string; status: number }> = [
  { kind: 'no-certificate', text: 'No required SSL certificate was sent', status: 496 },
  { kind: 'certificate-error', text: 'The SSL certificate error', status: 495 },
  { kind: 'plain-http', text: 'The plain HTTP request was sent to HTTPS port', status: 497 },
];

export function recogniseGatewayRejection(status: number, body: string): GatewayRejection | undefined {
  for (const page of PAGES) {
    // nginx's own status codes show through when an operator maps them with `error_page`.
    if (status === page.status) return { kind: page.kind, text: page.text };
    if (status === 400 && body.includes(page.text)) return { kind: page.kind, text: page.text };
  }
  return undefined;
}
