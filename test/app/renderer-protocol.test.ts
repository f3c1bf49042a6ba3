import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTENT_SECURITY_POLICY, createUiRequestHandler, uiAssetPath, UI_INDEX_URL } from '../../main/app/renderer-protocol';
import { tempDir } from './fakes';

function site() {
  const root = tempDir('mtls-ui-');
  const ui = join(root, 'renderer');
  mkdirSync(join(ui, 'views'), { recursive: true });
  writeFileSync(join(ui, 'index.html'), '<!doctype html><script src="index.js"></script>');
  writeFileSync(join(ui, 'index.js'), 'console.log(1)');
  writeFileSync(join(ui, 'views', 'a.css'), 'body{}');
  writeFileSync(join(root, 'secret.json'), '{"key":"-----BEGIN PRIVATE KEY-----"}');
  writeFileSync(join(ui, 'notes.txt'), 'not served');
  return { root, ui, handle: createUiRequestHandler(ui) };
}

test('serves our files with the CSP and nosniff headers and the right types', async () => {
  const s = site();
  const res = await s.handle(new Request(UI_INDEX_URL));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.equal(res.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.match(await res.text(), /index\.js/);
  const css = await s.handle(new Request('app://mtls-tray/views/a.css'));
  assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');
  assert.equal((await s.handle(new Request('app://mtls-tray/'))).status, 200, '/ is index.html');
});

test('the CSP allows only our own scripts and styles, no inline code, no network', () => {
  const d = Object.fromEntries(CONTENT_SECURITY_POLICY.split('; ').map((x) => [x.split(' ')[0], x.split(' ').slice(1).join(' ')]));
  assert.equal(d['default-src'], "'none'");
  assert.equal(d['script-src'], "'self'");
  assert.equal(d['style-src'], "'self'");
  assert.equal(d['img-src'], "'self' data:");
  assert.equal(d['connect-src'], "'none'");
  assert.equal(d['object-src'], "'none'");
  assert.equal(d['frame-ancestors'], "'none'");
  assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe-(inline|eval)/);
});

test('nothing outside the renderer directory, nor of an unknown type, nor from another host', async () => {
  const s = site();
  for (const url of [
    'app://mtls-tray/../secret.json',
    'app://mtls-tray/%2e%2e/secret.json',
    'app://mtls-tray/views/%2e%2e/%2e%2e/secret.json',
    'app://mtls-tray/..%2fsecret.json',
    'app://mtls-tray/..%5csecret.json',
    'app://mtls-tray/notes.txt',
    'app://mtls-tray/missing.js',
    'app://mtls-tray/index.js%00.html',
    'app://other/index.html',
    'file:///etc/passwd',
  ]) {
    const res = await s.handle(new Request(url));
    assert.equal(res.status, 404, url);
    assert.equal(res.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
  }
  assert.equal(uiAssetPath('app://mtls-tray/%E0%A4%A', s.ui), null, 'bad percent-encoding');
  assert.equal((await s.handle(new Request(UI_INDEX_URL, { method: 'POST', body: 'x' }))).status, 405);
});
