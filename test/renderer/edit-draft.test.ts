// The edit dialog's pure rules on plain Node: the request carries only what the user changed,
// header rows become setHeaders/removeHeaders the service applies to exactly those rows, the
// window's own checks, and where main's errors go.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EditableProfileDto } from '../../main/ipc/contract';
import { changesAnything, checkDraft, draftFrom, editChoice, editFieldForError } from '../../renderer/edit-draft';

const values: EditableProfileDto = {
  name: 'Acme',
  altHost: null,
  hasCaBundle: true,
  headers: [{ name: 'X-Team', value: 'platform' }, { name: 'X-Pin', value: '{{cert.spki.sha256}}' }],
  sans: ['email:{user}@acme.example', 'DNS:laptop'],
  days: 30,
  keyAlgorithm: 'ecdsa-p256',
};

test('an untouched draft asks for nothing (SAN templates and placeholders round-trip as typed)', () => {
  const d = draftFrom(values);
  assert.equal(d.sans, 'email:{user}@acme.example\nDNS:laptop');
  assert.deepEqual(editChoice(values, d, false), {});
  assert.deepEqual(editChoice(values, d, true), { dryRun: true });
  assert.equal(changesAnything(editChoice(values, d, true)), false);
  assert.deepEqual(checkDraft(d), {});
});

test('each field is sent only when it changed; empty alt host removes it; the bundle is a token or null', () => {
  const d = draftFrom(values);
  d.name = '  Acme EU ';
  d.altHost = 'coder.internal.example';
  d.days = '45';
  d.keyAlgorithm = 'rsa-3072';
  d.sans = 'email:{user}@acme.example\n\nDNS:laptop\nDNS:desk\n';
  d.caBundle = { kind: 'file', file: { token: 'tok', name: 'ca.pem' } };
  assert.deepEqual(editChoice(values, d, false), { name: 'Acme EU', caBundleFile: 'tok', altHost: 'coder.internal.example', sans: ['email:{user}@acme.example', 'DNS:laptop', 'DNS:desk'], days: 45, keyAlgorithm: 'rsa-3072' });
  d.caBundle = { kind: 'remove' };
  assert.equal(editChoice(values, d, false).caBundleFile, null);
  assert.equal('caBundleFile' in editChoice({ ...values, hasCaBundle: false }, d, false), false, 'removing a bundle that is not there asks nothing');
  const withAlt = { ...values, altHost: 'old.example' };
  const d2 = draftFrom(withAlt);
  d2.altHost = '  ';
  assert.deepEqual(editChoice(withAlt, d2, false), { altHost: null });
});

test('headers: added, replaced, renamed and removed rows become setHeaders and removeHeaders; blank rows are ignored', () => {
  const d = draftFrom(values);
  d.headers[0]!.value = 'platform-eu'; // replaced
  d.headers.splice(1, 1); // X-Pin removed
  d.headers.push({ name: ' X-New ', value: 'v={{cert.serial}}' }, { name: '', value: '' });
  assert.deepEqual(editChoice(values, d, false), { removeHeaders: ['X-Pin'], setHeaders: [{ name: 'X-Team', value: 'platform-eu' }, { name: 'X-New', value: 'v={{cert.serial}}' }] });
  // A change of case only is a replacement in place, not a removal.
  const c = draftFrom(values);
  c.headers[0]!.name = 'x-team';
  assert.deepEqual(editChoice(values, c, false), { setHeaders: [{ name: 'x-team', value: 'platform' }] });
  // A rename: the old name goes, the new one comes.
  const r = draftFrom(values);
  r.headers[1]!.name = 'X-Key';
  assert.deepEqual(editChoice(values, r, false), { removeHeaders: ['X-Pin'], setHeaders: [{ name: 'X-Key', value: '{{cert.spki.sha256}}' }] });
});

test("the window's own checks name the field", () => {
  const d = draftFrom(values);
  d.name = '';
  d.altHost = 'not a host';
  d.headers.push({ name: 'x-team', value: 'again' });
  d.sans = 'email:{{user}}@acme.example';
  d.days = '0';
  const e = checkDraft(d);
  assert.match(e.name!, /Give the profile a name/);
  assert.match(e.altHost!, /is not a host name/);
  assert.match(e.headers!, /"x-team" is given twice/);
  assert.match(e.sans!, /single braces/);
  assert.match(e.days!, /between 1 and 3650/);
  const n = draftFrom(values);
  n.sans = '\n';
  assert.match(checkDraft(n).sans!, /at least one name/);
  const bad = draftFrom(values);
  bad.headers[0]!.name = 'X Team';
  assert.match(checkDraft(bad).headers!, /^Header 1: .*not a valid header name/);
});

test("main's errors go to their field; file errors to the CA bundle when one was sent; the rest is general", () => {
  assert.equal(editFieldForError({ code: 'CA_BUNDLE_EMPTY', field: 'caBundle' }, {}), 'caBundle');
  assert.equal(editFieldForError({ code: 'BAD_IPC_ARGUMENTS', field: 'altHost' }, {}), 'altHost');
  assert.equal(editFieldForError({ code: 'HEADER_INVALID', field: 'headers' }, {}), 'headers');
  assert.equal(editFieldForError({ code: 'BAD_IPC_ARGUMENTS', field: 'setHeaders' }, {}), 'headers');
  assert.equal(editFieldForError({ code: 'SAN_INVALID', field: 'sans' }, {}), 'sans');
  assert.equal(editFieldForError({ code: 'PROFILE_NAME_TAKEN', field: 'name' }, {}), 'name');
  assert.equal(editFieldForError({ code: 'FILE_NOT_TEXT' }, { caBundleFile: 'tok' }), 'caBundle');
  assert.equal(editFieldForError({ code: 'FILE_NOT_TEXT' }, {}), 'general');
  assert.equal(editFieldForError({ code: 'DISK_FULL' }, { caBundleFile: 'tok' }), 'general');
});
