import { buildRenderer, launchBrowser, openSession, serveDir } from './harness';
(async () => {
const dir = await buildRenderer(); const site = await serveDir(dir); const browser = await launchBrowser();
const s = await openSession(browser, site, { editors: ['Code'] });
await s.service.init({ url: 'https://coder.bench.test', name: 'Bench', identity: { kind: 'self-signed' }, editors: ['code'] });
await s.open(); await s.page.getByTestId('status-view').waitFor();
for (let i = 0; i < 3; i++) {
  const r = await s.page.evaluate(`(async () => { const t0 = performance.now(); await window.mtlsTray.invoke('profiles:list'); const t1 = performance.now(); await window.mtlsTray.invoke('status:get'); const t2 = performance.now(); await Promise.all([window.mtlsTray.invoke('status:get'), window.mtlsTray.invoke('profiles:list')]); return [t1-t0, t2-t1, performance.now()-t2]; })()`);
  const t = performance.now(); await s.service.status(); const a = performance.now() - t; const t2 = performance.now(); await s.service.listProfiles();
  console.log(r, a, performance.now() - t2);
}
await s.close(); await browser.close(); await site.close();
})();
