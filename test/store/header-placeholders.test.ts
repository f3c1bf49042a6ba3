// Placeholders are looked up as own properties of the table: names that every object inherits
// (__proto__, constructor, toString, hasOwnProperty) are unknown placeholders, refused at input,
// never an internal error or "[object Object]" in a header.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderHeadersFile, validateHeaders } from '../../main/store/headers';
import { isUserErr, selfSigned } from './helpers';

test('inherited names are unknown placeholders, refused with the list of real ones', async () => {
  for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
    assert.throws(() => validateHeaders([{ name: 'X-Pin', value: `{{${name}}}` }]), isUserErr('HEADER_INVALID', new RegExp(`unknown placeholder \\{\\{${name}\\}\\}`)), name);
  }
  const { cert: certPem } = await selfSigned();
  assert.throws(() => renderHeadersFile([{ name: 'X-Pin', value: '{{constructor}}' }], certPem), isUserErr('HEADER_INVALID', /unknown placeholder/));
  assert.match(renderHeadersFile([{ name: 'X-Pin', value: '{{cert.spki.sha256}}' }], certPem), /^X-Pin=[0-9a-f]{64}\n$/);
});
