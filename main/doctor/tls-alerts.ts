/**
 * Names the TLS alert behind a failed handshake or request, from the error Node raises.
 *
 * OpenSSL reports a received alert twice: in the message ("... tlsv1 alert unknown ca ...
 * SSL alert number 48") and in Node's error code (`ERR_SSL_TLSV1_ALERT_UNKNOWN_CA`). We read
 * the number first (it is exact), then the code, then OpenSSL's text, so an error that went
 * through a wrapper that kept only one of them is still named.
 */

export interface TlsAlert {
  number: number;
  /** RFC 8446 name, e.g. `unknown_ca`. */
  name: string;
  /** Why a server sends it to a client presenting a certificate, in the user's terms. */
  likelyCause: string;
  fix: string;
  /** Whether the Coder extension reacts by running `coder.tlsCertRefreshCommand` (DESIGN.md §1). */
  triggersRefresh: boolean;
}

/** The alerts on which the extension runs its refresh command: bad, revoked, expired, unknown certificate. */
export const REFRESH_TRIGGER_ALERTS: readonly number[] = [42, 44, 45, 46];

interface AlertFacts {
  name: string;
  likelyCause: string;
  fix: string;
}

const ASK_ADMIN = 'ask the deployment administrator which client certificates the gateway accepts';

const ALERTS: Record<number, AlertFacts> = {
  10: { name: 'unexpected_message', likelyCause: 'the TLS conversation broke (a middlebox or a non-TLS service on that port?)', fix: 'check that the URL points at the TLS gateway of the deployment' },
  20: { name: 'bad_record_mac', likelyCause: 'the connection was corrupted in transit (a middlebox rewriting traffic?)', fix: 'retry without VPN or proxy in the path' },
  40: { name: 'handshake_failure', likelyCause: 'the server requires a client certificate and none it accepts was sent (TLS 1.2), or no cipher suite in common', fix: 'make sure coder.tlsCertFile and coder.tlsKeyFile point at the active credentials' },
  42: { name: 'bad_certificate', likelyCause: 'the server could not verify our certificate (damaged, bad signature, or refused by its policy)', fix: 'renew the certificate; if that does not help, ' + ASK_ADMIN },
  43: { name: 'unsupported_certificate', likelyCause: 'the server does not accept this kind of certificate (key type, or no clientAuth extended key usage)', fix: 'issue a certificate with extendedKeyUsage=clientAuth and a key type the server supports' },
  44: { name: 'certificate_revoked', likelyCause: 'the issuing CA revoked our certificate', fix: 'obtain a new certificate (rotate)' },
  45: { name: 'certificate_expired', likelyCause: 'our certificate has expired (or is not yet valid) by the server\'s clock', fix: 'renew the certificate; check the clocks of this machine and the server' },
  46: { name: 'certificate_unknown', likelyCause: 'the server rejected our certificate for an unspecified reason', fix: 'renew the certificate; if that does not help, ' + ASK_ADMIN },
  47: { name: 'illegal_parameter', likelyCause: 'the server found a malformed field in the handshake', fix: 'retry; if it persists, report it with the output of `openssl s_client`' },
  48: { name: 'unknown_ca', likelyCause: 'the server does not trust the CA that issued our certificate', fix: 'have the gateway trust our issuer (add it to its client CA list) or get a certificate from the CA it trusts' },
  49: { name: 'access_denied', likelyCause: 'our certificate is valid but the server\'s policy denies this identity', fix: 'ask the deployment administrator to allow this certificate\'s subject' },
  50: { name: 'decode_error', likelyCause: 'the server could not parse part of the handshake (our certificate?)', fix: 're-issue the certificate; check that the PEM files are not damaged' },
  51: { name: 'decrypt_error', likelyCause: 'a signature did not verify: our key may not match our certificate', fix: 'check that coder.tlsKeyFile is the key of coder.tlsCertFile, or rotate' },
  70: { name: 'protocol_version', likelyCause: 'no TLS version in common with the server', fix: 'the server must allow TLS 1.2 or 1.3' },
  71: { name: 'insufficient_security', likelyCause: 'the server requires stronger cipher suites than offered', fix: 'update the editor (its Node/Electron) or relax the gateway\'s cipher list' },
  80: { name: 'internal_error', likelyCause: 'the server failed internally during the handshake', fix: 'retry; if it persists, check the gateway\'s error log' },
  86: { name: 'inappropriate_fallback', likelyCause: 'a protocol downgrade was detected', fix: 'retry without a TLS-intercepting proxy' },
  90: { name: 'user_canceled', likelyCause: 'the server cancelled the handshake', fix: 'retry; check the gateway\'s error log' },
  109: { name: 'missing_extension', likelyCause: 'the handshake lacked an extension the server requires', fix: 'update the editor or relax the gateway\'s TLS settings' },
  110: { name: 'unsupported_extension', likelyCause: 'the server got an extension it did not offer', fix: 'retry without a TLS-intercepting proxy' },
  112: { name: 'unrecognized_name', likelyCause: 'the server has no site for the name we sent (SNI)', fix: 'check the URL host and coder.tlsAltHost: the name sent must be one the gateway serves' },
  113: { name: 'bad_certificate_status_response', likelyCause: 'an OCSP status response was rejected', fix: 'check the gateway\'s OCSP stapling' },
  115: { name: 'unknown_psk_identity', likelyCause: 'a pre-shared key was not recognised', fix: 'retry; a stale session may be cached' },
  116: { name: 'certificate_required', likelyCause: 'the server requires a client certificate and none was sent', fix: 'set coder.tlsCertFile and coder.tlsKeyFile to the active credentials' },
  120: { name: 'no_application_protocol', likelyCause: 'no application protocol (ALPN) in common', fix: 'the gateway must accept http/1.1' },
};

const BY_NAME = new Map<string, number>(Object.entries(ALERTS).map(([n, a]) => [a.name, Number(n)]));

export function tlsAlertByNumber(number: number): TlsAlert | undefined {
  const facts = ALERTS[number];
  if (!facts) return undefined;
  return { number, ...facts, triggersRefresh: REFRESH_TRIGGER_ALERTS.includes(number) };
}

/** The alert an error reports, or undefined when it is not about a received TLS alert. */
export function identifyTlsAlert(err: unknown): TlsAlert | undefined {
  const { code, message } = errorText(err);

  const numbered = /ssl alert number (\d+)/i.exec(message);
  if (numbered?.[1]) {
    const alert = tlsAlertByNumber(Number(numbered[1]));
    if (alert) return alert;
  }

  // Node: ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED, ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED,
  // ERR_SSL_TLSV1_UNRECOGNIZED_NAME (no ALERT_ in that one).
  const coded = /^ERR_SSL_(?:SSLV3|TLSV1|TLSV13)_(?:ALERT_)?([A-Z_]+)$/.exec(code);
  if (coded?.[1]) {
    const n = lookupName(coded[1].toLowerCase());
    if (n !== undefined) return tlsAlertByNumber(n);
  }

  // OpenSSL text: "sslv3 alert certificate expired", "tlsv1 alert unknown ca".
  const texted = /(?:sslv3|tlsv1|tlsv13) alert ([a-z ]+?)(?::|$)/i.exec(message);
  if (texted?.[1]) {
    const n = lookupName(texted[1].trim().toLowerCase().replace(/ /g, '_'));
    if (n !== undefined) return tlsAlertByNumber(n);
  }
  return undefined;
}

/** OpenSSL's alert texts are the RFC names with spaces ("unknown ca"), so one map serves both. */
function lookupName(name: string): number | undefined {
  return BY_NAME.get(name);
}

function errorText(err: unknown): { code: string; message: string } {
  if (typeof err === 'string') return { code: '', message: err };
  if (err && typeof err === 'object') {
    const e = err as { code?: unknown; message?: unknown };
    return {
      code: typeof e.code === 'string' ? e.code : '',
      message: typeof e.message === 'string' ? e.message : '',
    };
  }
  return { code: '', message: '' };
}
