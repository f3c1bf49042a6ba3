// The window's cost: the size of the renderer bundle (bytes and gzip) and how fast it paints in
// Chromium, median over many loads. References, measured in the same run:
//  - first contentful paint of the same page without our script (HTML + CSS only: the floor);
//  - for the first real view (status of a profile, drawn from the real IPC handlers and
//    service), the service's own status() + listProfiles() called directly in Node, so the ratio
//    is what the window adds on top of the work it must wait for.
// Writes bench/results/renderer.json. Needs Chromium (CHROMIUM_PATH or /usr/bin/chromium).
import { mkdirSync, readFileSync, statSync, writeFileSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { findChromium } from '../test/helpers/find-chromium';
import { buildRenderer, launchBrowser, openSession, serveDir } from '../test/window/harness';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
const r2 = (x: number) => +x.toFixed(2);

async function main(): Promise<void> {
  if (!findChromium()) {
    console.error('bench/renderer: no Chromium found (set CHROMIUM_PATH or apt-get install chromium)');
    process.exit(1);
  }
  const dir = await buildRenderer();
  const size = (f: string) => {
    const buf = readFileSync(join(dir, f));
    return { bytes: statSync(join(dir, f)).size, gzip: gzipSync(buf, { level: 9 }).length };
  };
  const sizes = { 'index.js': size('index.js'), 'styles.css': size('styles.css'), 'index.html': size('index.html') };

  // The floor: the same HTML and CSS with the script tag removed.
  const staticDir = mkdtempSync(join(tmpdir(), 'mtls-bench-static-'));
  copyFileSync(join(dir, 'styles.css'), join(staticDir, 'styles.css'));
  writeFileSync(join(staticDir, 'index.html'), readFileSync(join(dir, 'index.html'), 'utf8').replace(/<script[^>]*><\/script>/, ''));

  const site = await serveDir(dir);
  const staticSite = await serveDir(staticDir);
  const browser = await launchBrowser();
  const s = await openSession(browser, site, { editors: ['Code'] });
  try {
    await s.service.init({ url: 'https://coder.bench.test', name: 'Bench', identity: { kind: 'self-signed' }, sans: ['email:dev@bench.test'], editors: ['code'], proxyConsent: true });
    const page = s.page;
    // Polled with evaluate (CDP), not waitForFunction: the page's CSP forbids the eval that uses.
    const fcp = async (): Promise<number> => {
      for (let i = 0; i < 500; i++) {
        const v = (await page.evaluate("(performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || 0")) as number;
        if (v > 0) return v;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error('no first-contentful-paint entry');
    };

    const oursFcp: number[] = [];
    const oursView: number[] = [];
    const navToView: number[] = [];
    const refFcp: number[] = [];
    const refService: number[] = [];
    // Warm-up (Chromium caches, tsx, the service's first read), then interleave so load hits both alike.
    for (let i = 0; i < 3; i++) {
      await s.open();
      await page.getByTestId('status-view').waitFor();
    }
    for (let i = 0; i < RUNS; i++) {
      await page.goto(`${site.url}/index.html`);
      await page.getByTestId('status-view').waitFor();
      oursFcp.push(await fcp());
      const [boot, view] = (await page.evaluate("['mtls-tray:boot', 'mtls-tray:first-view'].map((n) => performance.getEntriesByName(n)[0].startTime)")) as [number, number];
      oursView.push(view - boot);
      navToView.push(view);

      await page.goto(`${staticSite.url}/index.html`);
      refFcp.push(await fcp());

      const t = performance.now();
      await Promise.all([s.service.status(), s.service.listProfiles()]);
      refService.push(performance.now() - t);
    }
    if ((await s.problems()).length) throw new Error(`page problems: ${(await s.problems()).join('; ')}`);

    const rows = [
      { operation: 'first contentful paint (index.html + CSS + bundle)', reference: 'same page without the script', oursMedianMs: r2(median(oursFcp)), referenceMedianMs: r2(median(refFcp)), ratio: r2(median(oursFcp) / median(refFcp)), runs: RUNS },
      { operation: 'script start to first view: status of a profile over the real IPC handlers, drawn', reference: 'service.status() + listProfiles() in Node', oursMedianMs: r2(median(oursView)), referenceMedianMs: r2(median(refService)), ratio: r2(median(oursView) / median(refService)), runs: RUNS },
    ];
    const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
    const notes = [
      `bundle dist/renderer/index.js: ${sizes['index.js'].bytes} bytes (${kib(sizes['index.js'].bytes)}), ${sizes['index.js'].gzip} bytes gzip (${kib(sizes['index.js'].gzip)}); no runtime dependencies`,
      `styles.css: ${sizes['styles.css'].bytes} bytes (${sizes['styles.css'].gzip} gzip); index.html: ${sizes['index.html'].bytes} bytes`,
      `navigation to first view drawn: ${r2(median(navToView))} ms median (page load + IPC + service + drawing)`,
      'IPC here is Playwright\'s exposeFunction (CDP round trips), slower than Electron\'s ipcRenderer.invoke, so the window overhead is an upper bound',
    ];
    console.log('| operation | ours (median ms) | reference (median ms) | ratio |');
    console.log('|---|---|---|---|');
    for (const r of rows) console.log(`| ${r.operation} | ${r.oursMedianMs} | ${r.referenceMedianMs} (${r.reference}) | ${r.ratio}x |`);
    console.log(`| bundle size, index.js | ${sizes['index.js'].bytes} B (${sizes['index.js'].gzip} B gzip) | — | — |`);
    console.log(`| bundle size, styles.css | ${sizes['styles.css'].bytes} B (${sizes['styles.css'].gzip} B gzip) | — | — |`);
    mkdirSync(join(__dirname, 'results'), { recursive: true });
    writeFileSync(
      join(__dirname, 'results', 'renderer.json'),
      `${JSON.stringify({ name: 'renderer', date: new Date().toISOString(), node: process.version, chromium: browser.version(), sizes, notes, rows }, null, 2)}\n`,
    );
  } finally {
    await s.close();
    await browser.close();
    await site.close();
    await staticSite.close();
    rmSync(staticDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
