// `status`, run by scripts and editors, must start without evaluating the certificate-making
// libraries: @peculiar/x509 (with reflect-metadata and tsyringe), its @peculiar/asn1-*
// schemas and asn1js, and node-forge. In the esbuild bundle a module runs at start-up when
// anything on the start path imports it statically, however lazily its own code loads
// libraries; require.cache cannot see that (the bundle has no node_modules to cache).
//
// So this builds the CLI with the options of scripts/build.mjs plus one plugin that appends
// a marker to every file: "package P (or our module M) was evaluated". The bundle then runs
// through the real launcher (V8 code cache included) on a real profile, and reports at exit
// which it evaluated: none of those packages, and none of the modules only making.ts
// reaches (found from esbuild's metafile). The same check sees the loads where they belong (init, a .p12
// import, an export with the identity), so a marker that never fires cannot pass for a fast
// start. The shipped dist/cli.js is checked too, through the one global side effect these
// libraries have: reflect-metadata defines Reflect.getMetadata.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { build, type Metafile, type Plugin } from 'esbuild';
import { CLI, ROOT, ensureBuilt } from './cli-harness';

/** Packages `status` must not evaluate. */
const HEAVY = ['@peculiar/x509', 'reflect-metadata', 'tsyringe', 'asn1js', '@peculiar/asn1-schema', '@peculiar/asn1-x509', '@peculiar/asn1-pfx', '@peculiar/asn1-pkcs8', '@peculiar/asn1-cms', 'node-forge'];
const isHeavy = (pkg: string) => HEAVY.includes(pkg) || pkg.startsWith('@peculiar/asn1-');

/**
 * What a marker calls a file: the innermost package of a node_modules path ("@scope/name" or
 * "name"), else the project-relative path of one of our modules ("main/credentials/keys.ts").
 */
function unitOf(path: string): string {
  const m = /.*[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(path);
  return (m ? m[1]! : relative(ROOT, path)).replace(/\\/g, '/');
}

const MARK = '__mtlsEvaluated';
function markEvaluation(instrumented: Set<string>): Plugin {
  return {
    name: 'mark-evaluation',
    setup(b) {
      b.onLoad({ filter: /\.[cm]?[jt]s$/ }, (args) => {
        const unit = unitOf(args.path);
        if (unit.startsWith('..')) return undefined;
        instrumented.add(unit);
        // Appended, not prepended: a "use strict" directive must stay first. It runs when the
        // module's body has run, i.e. exactly when the bundle evaluates that module.
        const contents = `${readFileSync(args.path, 'utf8')}\n;globalThis.${MARK}.add(${JSON.stringify(unit)});\n`;
        return { contents, loader: args.path.endsWith('.ts') ? 'ts' : 'js', resolveDir: dirname(args.path) };
      });
    },
  };
}

/** Our modules a static `import` chain reaches from `from` (dynamic import() and lazy require() not followed). */
function staticClosure(meta: Metafile, from: string): Set<string> {
  const seen = new Set<string>();
  const visit = (p: string) => {
    if (seen.has(p) || !meta.inputs[p]) return;
    seen.add(p);
    for (const i of meta.inputs[p]!.imports) if (i.kind === 'import-statement') visit(i.path);
  };
  visit(from);
  return new Set([...seen].filter((p) => p.startsWith('main/')));
}

const BANNER = `globalThis.${MARK} = new Set();
process.on('exit', () => { if (process.env.MTLS_EVALUATED_OUT) require('fs').writeFileSync(process.env.MTLS_EVALUATED_OUT, JSON.stringify([...globalThis.${MARK}].sort())); });`;

test('the built CLI: status --json evaluates none of the certificate-making libraries; making and importing do', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mtls-lazy-bundle-'));
  try {
    const out = join(dir, 'dist');
    mkdirSync(out);
    const { cliBundleOptions } = (await import(pathToFileURL(join(ROOT, 'scripts', 'cli-bundle.mjs')).href)) as { cliBundleOptions: (o: object) => Parameters<typeof build>[0] };
    const instrumented = new Set<string>();
    const built = await build(cliBundleOptions({ entry: join(ROOT, 'main', 'cli', 'bin.ts'), outfile: join(out, 'cli-main.js'), sourcemap: false, metafile: true, absWorkingDir: ROOT, banner: { js: BANNER }, plugins: [markEvaluation(instrumented)] }));
    for (const pkg of HEAVY) assert.ok(instrumented.has(pkg), `${pkg} is in the bundle and carries a marker`);
    // The heavy half of the engine: what making.ts pulls in that reading.ts does not.
    const readingSide = staticClosure(built.metafile!, 'main/credentials/reading.ts');
    const makingOnly = [...staticClosure(built.metafile!, 'main/credentials/making.ts')].filter((m) => !readingSide.has(m));
    for (const m of ['main/credentials/making.ts', 'main/credentials/pkcs12-write.ts', 'main/credentials/certificate-builder.ts']) assert.ok(makingOnly.includes(m), `${m} is on the making side`);
    copyFileSync(join(ROOT, 'scripts', 'cli-launcher.cjs'), join(out, 'cli.js'));

    const home = join(dir, 'home');
    mkdirSync(join(home, '.config', 'Code', 'User'), { recursive: true });
    const env = { PATH: process.env.PATH, HOME: home, LANG: 'C.UTF-8', XDG_CACHE_HOME: join(dir, 'cache') };
    let runs = 0;
    const run = (dataDir: string, args: string[]): { stdout: string; evaluated: string[] } => {
      const record = join(dir, `evaluated-${++runs}.json`);
      const r = spawnSync(process.execPath, [join(out, 'cli.js'), '--data-dir', dataDir, ...args], { env: { ...env, MTLS_EVALUATED_OUT: record }, cwd: dir, encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
      return { stdout: r.stdout, evaluated: JSON.parse(readFileSync(record, 'utf8')) as string[] };
    };
    const data = join(dir, 'data');

    const init = run(data, ['init', '--url', 'https://coder.lazy.test', '--self-signed', '--san', 'email:dev@lazy.test', '--no-settings']);
    for (const pkg of HEAVY.filter((p) => p !== 'node-forge')) assert.ok(init.evaluated.includes(pkg), `init --self-signed evaluates ${pkg}`);
    for (const m of makingOnly) assert.ok(init.evaluated.includes(m), `init --self-signed evaluates ${m}`);

    // Twice: the first run writes the V8 code cache, the second starts from it.
    for (const pass of ['compiled', 'from the code cache']) {
      const status = run(data, ['status', '--json']);
      assert.ok(JSON.stringify(JSON.parse(status.stdout)).includes('coder.lazy.test'), 'status reported the profile');
      assert.deepEqual(status.evaluated.filter(isHeavy), [], `status (${pass}): no certificate-making library`);
      assert.deepEqual(status.evaluated.filter((m) => makingOnly.includes(m)), [], `status (${pass}): no module of the making half`);
      assert.ok(status.evaluated.includes('main/credentials/report.ts'), 'but the reading half, which it uses');
    }
    const list = run(data, ['list', '--json']).evaluated;
    assert.deepEqual(list.filter((m) => isHeavy(m) || makingOnly.includes(m)), [], 'list neither');

    // node-forge: reading a .p12 needs it, and only that does.
    writeFileSync(join(dir, 'pass'), 'lazy bundle pass\n');
    const key = join(dir, 'p12.key');
    const cert = join(dir, 'p12.crt');
    const openssl = (args: string[]) => assert.equal(spawnSync('openssl', args, { cwd: dir }).status, 0, `openssl ${args.join(' ')}`);
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-subj', '/CN=p12', '-days', '2', '-addext', 'extendedKeyUsage=clientAuth']);
    openssl(['pkcs12', '-export', '-in', cert, '-inkey', key, '-out', join(dir, 'id.p12'), '-passout', 'pass:lazy bundle pass']);
    const imported = run(join(dir, 'data2'), ['init', '--url', 'https://coder.p12.test', '--name', 'p12', '--import-p12', join(dir, 'id.p12'), '--passphrase-file', join(dir, 'pass'), '--no-settings']);
    assert.ok(imported.evaluated.includes('node-forge'), `--import-p12 evaluates node-forge (got ${imported.evaluated.join(', ')})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the shipped dist/cli.js: status leaves Reflect.getMetadata undefined, init --self-signed defines it', () => {
  ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'mtls-lazy-dist-'));
  try {
    const probe = join(dir, 'probe.cjs');
    writeFileSync(probe, `process.on('exit', () => require('fs').writeFileSync(process.env.PROBE_OUT, typeof Reflect.getMetadata));\n`);
    const env = { PATH: process.env.PATH, HOME: join(dir, 'home'), LANG: 'C.UTF-8', XDG_CACHE_HOME: join(dir, 'cache') };
    mkdirSync(join(dir, 'home'));
    const data = join(dir, 'data');
    const run = (args: string[]): string => {
      const outFile = join(dir, `probe-${args[0]}.txt`);
      const r = spawnSync(process.execPath, ['--require', probe, CLI, '--data-dir', data, ...args], { env: { ...env, PROBE_OUT: outFile }, cwd: dir, encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
      return readFileSync(outFile, 'utf8');
    };
    assert.equal(run(['init', '--url', 'https://coder.lazy.test', '--self-signed', '--no-settings']), 'function', 'making a certificate loads reflect-metadata');
    assert.equal(run(['status', '--json']), 'undefined', 'status does not');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
