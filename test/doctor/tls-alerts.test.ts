import assert from 'node:assert/strict';
import { test } from 'node:test';
import { identifyTlsAlert, REFRESH_TRIGGER_ALERTS, tlsAlertByNumber } from '../../main/doctor';

// Messages as Node 20 / OpenSSL 3 print them (captured from real handshakes).
const UNKNOWN_CA = Object.assign(
  new Error('80FCEB42E17F0000:error:0A000418:SSL routines:ssl3_read_bytes:tlsv1 alert unknown ca:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number 48'),
  { code: 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA' },
);

test('the alert number in OpenSSL\'s message names the alert', () => {
  const a = identifyTlsAlert(UNKNOWN_CA);
  assert.equal(a?.number, 48);
  assert.equal(a?.name, 'unknown_ca');
  assert.equal(a?.triggersRefresh, false);
  assert.match(a?.likelyCause ?? '', /does not trust the CA that issued our certificate/);
});

test('Node\'s error code alone is enough (wrappers that drop the message)', () => {
  assert.equal(identifyTlsAlert({ code: 'ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED', message: '' })?.number, 45);
  assert.equal(identifyTlsAlert({ code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' })?.number, 116);
  assert.equal(identifyTlsAlert({ code: 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE' })?.number, 42);
  assert.equal(identifyTlsAlert({ code: 'ERR_SSL_TLSV1_ALERT_ACCESS_DENIED' })?.number, 49);
  // The one OpenSSL reason without "ALERT_" in it.
  assert.equal(identifyTlsAlert({ code: 'ERR_SSL_TLSV1_UNRECOGNIZED_NAME' })?.number, 112);
});

test('OpenSSL\'s alert text alone is enough (a string from a log)', () => {
  assert.equal(identifyTlsAlert('error:0A000415:SSL routines::sslv3 alert certificate expired')?.number, 45);
  assert.equal(identifyTlsAlert('write EPROTO ...:sslv3 alert handshake failure:../ssl/x.c:1')?.number, 40);
  assert.equal(identifyTlsAlert('sslv3 alert certificate unknown')?.number, 46);
});

test('errors that are not alerts are not named as alerts', () => {
  assert.equal(identifyTlsAlert(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })), undefined);
  assert.equal(identifyTlsAlert(Object.assign(new Error('unable to get local issuer certificate'), { code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' })), undefined);
  assert.equal(identifyTlsAlert('SSL alert number 255'), undefined);
  assert.equal(identifyTlsAlert(undefined), undefined);
  assert.equal(identifyTlsAlert(42), undefined);
});

test('exactly alerts 42/44/45/46 make the extension run its refresh command', () => {
  assert.deepEqual([...REFRESH_TRIGGER_ALERTS], [42, 44, 45, 46]);
  for (const n of [40, 42, 43, 44, 45, 46, 48, 49, 51, 116]) {
    assert.equal(tlsAlertByNumber(n)?.triggersRefresh, [42, 44, 45, 46].includes(n), `alert ${n}`);
  }
  assert.equal(tlsAlertByNumber(7), undefined);
});
