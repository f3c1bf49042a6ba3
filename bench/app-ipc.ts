// What the Electron app's own layers cost on top of the work they forward, measured on plain
// Node with the real AppService over a temp data directory (no Electron binary needed):
//   1. `status:get` through sender check + argument validation + handler, against calling
//      service.status() directly;
//   2. validating a full `wizard:create` request, against structuredClone of the same
//      arguments (the copy Electron's IPC makes of every call anyway);
//   3. one renewal-scheduler pass over 10 profiles (nothing due), against the service reads
//      the pass cannot avoid (listProfiles + status of each).
// Run: node --import tsx bench/app-ipc.ts. Writes bench/results/app-ipc.json.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createMemoryPreferences } from '../main/app/preferences';
import { createFileTokenStore } from '../main/ipc/file-tokens';
import { createIpcHandlers } from '../main/ipc/handlers';
import { createIpcDispatcher } from '../main/ipc/sender-check';
import { validateArgs } from '../main/ipc/validate-args';
import { createRenewalScheduler } from '../main/scheduler/renewal-scheduler';
import { createAppService } from '../main/services/create-app-service';

const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const root = resolve(__dirname, '..');
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const r3 = (x: number) => Math.round(x * 1000) / 1000;

/** Median per-call time of fn and ref, interleaved sample by sample, `batch` calls per sample. */
async function compare(fn: () => unknown, ref: () => unknown, batch: number): Promise<[number, number]> {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < RUNS + 3; i++) {
    let t = performance.now();
    for (let j = 0; j < batch; j++) await fn();
    const ta = (performance.now() - t) / batch;
    t = performance.now();
    for (let j = 0; j < batch; j++) await ref();
    const tb = (performance.now() - t) / batch;
    if (i >= 3) {
      a.push(ta);
      b.push(tb);
    }
  }
  return [median(a), median(b)];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mtls-bench-app-'));
  try {
    const home = join(dir, 'home');
    mkdirSync(home, { recursive: true });
    const service = createAppService({
      dataDir: join(dir, 'data'),
      env: { HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_DATA_HOME: join(home, '.local/share') },
      platform: process.platform,
      homedir: home,
      cliCommand: [process.execPath, join(root, 'dist/cli.js')],
    });
    for (let i = 0; i < 10; i++) await service.init({ url: 'https://coder.bench.test', name: `Bench ${i}`, identity: { kind: 'self-signed' }, noSettings: true });

    const handlers = createIpcHandlers({
      service,
      files: createFileTokenStore(),
      confirmIssuerCommand: async () => true,
    chooseOpenFile: async () => null,
      chooseSaveFile: async () => null,
      writeFile: async () => {},
      clipboardWriteText: () => {},
      onStateChanged: () => {},
    });
    const dispatch = createIpcDispatcher(handlers, { isOurWindow: (id) => id === 1, uiScheme: 'app', uiHost: 'mtls-tray' });
    const sender = { windowId: 1, frameUrl: 'app://mtls-tray/index.html', isMainFrame: true };

    const rows = [];
    const [ipc, direct] = await compare(() => dispatch('status:get', sender, ['bench-3']), () => service.status('bench-3'), 5);
    rows.push({ operation: 'status:get through the IPC layer (sender check, validation, handler)', reference: 'service.status() called directly', oursMedianMs: r3(ipc), referenceMedianMs: r3(direct), ratio: +(ipc / direct).toFixed(2), runs: RUNS });

    const wizard = [{
      url: 'https://coder.example.com', name: 'Team prod', identity: { kind: 'import-pem', certFile: 'A'.repeat(43), keyFile: 'B'.repeat(43), chainFile: 'C'.repeat(43) },
      sans: ['email:me@example.com', 'DNS:laptop.example.com'], keyAlgorithm: 'ecdsa-p256', days: 30, altHost: 'coder.internal',
      headers: [{ name: 'X-Team', value: 'infra' }, { name: 'X-Cert', value: '{{cert.sha256}}' }], editors: ['code', 'cursor'], proxyConsent: true,
    }];
    const [val, clone] = await compare(() => validateArgs('wizard:create', wizard), () => structuredClone(wizard), 2000);
    rows.push({ operation: 'validate a full wizard:create request', reference: 'structuredClone of the same arguments (IPC copies them anyway)', oursMedianMs: r3(val), referenceMedianMs: r3(clone), ratio: +(val / clone).toFixed(2), runs: RUNS });

    const scheduler = createRenewalScheduler({
      service,
      now: () => new Date(),
      timers: { set: () => 0, clear: () => {} },
      notify: () => {},
      memory: createMemoryPreferences(),
    });
    scheduler.start();
    await scheduler.idle();
    const [pass, reads] = await compare(
      async () => {
        scheduler.poke();
        await scheduler.idle();
      },
      async () => {
        for (const p of await service.listProfiles()) await service.status(p.id);
      },
      1,
    );
    scheduler.stop();
    rows.push({ operation: 'renewal scheduler pass, 10 profiles, nothing due', reference: 'the reads it needs: listProfiles + status of each', oursMedianMs: r3(pass), referenceMedianMs: r3(reads), ratio: +(pass / reads).toFixed(2), runs: RUNS });

    console.log('| operation | ours (median ms) | reference (median ms) | ratio |');
    console.log('|---|---|---|---|');
    for (const r of rows) console.log(`| ${r.operation} | ${r.oursMedianMs} | ${r.reference}: ${r.referenceMedianMs} | ${r.ratio}x |`);
    mkdirSync(join(root, 'bench/results'), { recursive: true });
    writeFileSync(
      join(root, 'bench/results/app-ipc.json'),
      `${JSON.stringify({ rows, target: [{ operation: rows[0]!.operation, maxRatio: 1.2, met: rows[0]!.ratio <= 1.2 }], notes: ['plain Node, real AppService over a temp data dir; Electron\'s own IPC transport is not included (no binary here)'] }, null, 2)}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
