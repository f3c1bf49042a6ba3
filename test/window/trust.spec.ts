// Issue 17 in the window: the status view's "Workspace trust" section, against the real handlers
// and service. A profile with a CA bundle shows the same snippets as `mtls-tray trust snippet`
// with a format and image picker, and the copy buttons put exactly the service's text on the
// clipboard (the harness records clipboard writes); a profile without a bundle shows why no
// snippet is needed and the command that adds one.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from './harness';
import { test } from './fixtures';
import { makeCa } from './pki';

let pki: string;
test.beforeAll(() => {
  pki = mkdtempSync(join(tmpdir(), 'mtls-window-trust-'));
});
test.afterAll(() => rmSync(pki, { recursive: true, force: true }));

test('workspace trust: the snippets per format and image, copied exactly; without a CA bundle, the reason', async ({ newSession }) => {
  const s = await newSession({ editors: ['Code'] });
  const { page } = s;
  const ca = makeCa(pki, 'corp-root');
  await s.service.init({ url: 'https://coder.example.com', name: 'Public', identity: { kind: 'self-signed' }, noSettings: true });
  await s.service.init({ url: 'https://coder.corp.example', name: 'Corp', identity: { kind: 'self-signed' }, caBundlePem: ca.cert, editors: ['code'], proxyConsent: true });
  await s.open();
  const view = page.getByTestId('status-view');
  await view.locator('h1', { hasText: 'Corp' }).waitFor();
  const box = view.getByTestId('trust');
  await box.waitFor();
  const pre = box.getByTestId('trust-snippet');
  const expected = async (format: 'dockerfile' | 'shell' | 'terraform', distro?: 'debian' | 'alpine' | 'rhel') =>
    (await s.service.trustSnippet('corp', distro ? { format, distro } : { format })).snippet!;

  // Dockerfile for Debian/Ubuntu first: the exact text of the CLI.
  assert.equal(await pre.getAttribute('data-format'), 'dockerfile');
  assert.equal(await pre.textContent(), await expected('dockerfile'));
  assert.match(await pre.innerText(), /^COPY mtls-tray-corp\.crt \/usr\/local\/share\/ca-certificates\/mtls-tray-corp\.crt$/m);
  assert.match(await box.getByTestId('trust-message').innerText(), /put mtls-tray-corp\.crt in the build context/);
  await box.getByRole('button', { name: 'Copy snippet' }).click();
  await until(() => s.clipboard.length === 1);
  assert.equal(s.clipboard[0], await expected('dockerfile'));
  await box.getByRole('button', { name: 'Copy CA bundle' }).click();
  await until(() => s.clipboard.length === 2);
  assert.equal(s.clipboard[1], ca.cert, 'the CA file to put beside the Dockerfile');
  await s.shot('status-trust-dockerfile');

  // Alpine: the image picker changes the RUN line.
  await box.getByLabel('Workspace image').selectOption('alpine');
  await pre.filter({ hasText: 'apk add --no-cache ca-certificates' }).waitFor();
  assert.equal(await pre.textContent(), await expected('dockerfile', 'alpine'));

  // The shell form: no image to pick (it finds the store where it runs), the CA inline.
  await box.getByLabel('Format').selectOption('shell');
  await box.locator('[data-testid="trust-snippet"][data-format="shell"]').waitFor();
  assert.equal(await box.getByLabel('Workspace image').isVisible(), false);
  assert.match(await pre.innerText(), /-----BEGIN CERTIFICATE-----/);
  await box.getByRole('button', { name: 'Copy snippet' }).click();
  await until(() => s.clipboard.length === 3);
  assert.equal(s.clipboard[2], await expected('shell'));
  await s.shot('status-trust-shell');

  // Terraform for an RHEL image: the env block points at the anchors directory.
  await box.getByLabel('Format').selectOption('terraform');
  await box.locator('[data-testid="trust-snippet"][data-format="terraform"]').waitFor();
  assert.equal(await box.getByLabel('Workspace image').isVisible(), true);
  await box.getByLabel('Workspace image').selectOption('rhel');
  await pre.filter({ hasText: 'NODE_EXTRA_CA_CERTS = "/etc/pki/ca-trust/source/anchors/mtls-tray-corp.crt"' }).waitFor();
  await box.getByRole('button', { name: 'Copy snippet' }).click();
  await until(() => s.clipboard.length === 4);
  assert.equal(s.clipboard[3], await expected('terraform', 'rhel'));
  assert.match(await box.innerText(), /mtls-tray trust snippet --profile corp --format terraform --distro rhel --out DIR/);

  // A profile without a CA bundle: the message, no snippet, no copy button.
  await page.getByRole('button', { name: 'Show Public' }).click();
  await view.locator('h1', { hasText: 'Public' }).waitFor();
  const none = view.getByTestId('trust-none');
  await none.waitFor();
  assert.match(await none.innerText(), /has no CA bundle: its deployment is checked against the platform's default trust .* only needed for a private CA; add one with mtls-tray edit --profile public --ca-bundle FILE/);
  assert.equal(await none.locator('code').innerText(), 'mtls-tray edit --profile public --ca-bundle FILE');
  assert.equal(await view.getByTestId('trust-snippet').count(), 0);
  await s.shot('status-trust-none');
});
