// Issue 17, `mtls-tray trust snippet`: the snippets' semantics, for real. A Node process started
// with the NODE_EXTRA_CA_CERTS the snippet sets reaches an nginx gateway whose server certificate
// chains to a private CA (openssl), and fails without it. The shell form, run by sh against a temp
// root, puts the CA where update-ca-certificates (Debian's own, pointed at that root) and RHEL's
// anchors expect it, twice without change. The Dockerfile lines are exact per distribution and,
// applied to a temp root, give the same working NODE_EXTRA_CA_CERTS. The Terraform form passes
// `terraform fmt` and hands the agent exactly the shell form (where terraform is installed;
// otherwise its HCL structure is checked).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startNginxGateway, type Gateway } from '../helpers/nginx-gateway';
import { makeWorld } from './cli-harness';
import { cleanEnv, DEBIAN_UPDATER, debianRoot, parseProbe, probe, probeArgs, rhelRoot, runShellForm, trustWorld, type TrustWorld } from './trust-helpers';

const world = makeWorld('trust');
let tw: TrustWorld;
let gw: Gateway;

before(async () => {
  tw = await trustWorld(world);
  const server = await tw.ca.issue({ cn: 'coder.corp.test', sans: ['DNS:coder.corp.test', 'DNS:localhost', 'IP:127.0.0.1'], usage: 'server' });
  // Server authentication only: the question is whether the workspace trusts the server.
  gw = await startNginxGateway({ serverCertPem: server.certPem, serverKeyPem: server.keyPem, verifyClient: 'off' });
});
after(async () => {
  await gw?.stop();
});

const snippet = (format: string, ...more: string[]) => {
  const r = tw.w.cli(['trust', 'snippet', '--format', format, ...more]);
  assert.equal(r.code, 0, r.stderr);
  return `${r.stdout}`;
};

test('without the CA, Node fails against the private-CA gateway (the problem the snippet solves)', () => {
  const res = probe(gw.url, cleanEnv());
  assert.equal(res.ok, false);
  assert.equal(res.code, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
});

test('shell form against a temp root: Node started with its NODE_EXTRA_CA_CERTS reaches nginx', () => {
  const script = join(tw.w.root, 'trust.sh');
  writeFileSync(script, snippet('shell'));
  const root = debianRoot(tw.w.root, 'node-root');
  // Sourced, as in a startup script; the exported value reaches the Node process it starts.
  const r = runShellForm(script, root, { after: `printf 'NODE_EXTRA_CA_CERTS=%s\\n' "$NODE_EXTRA_CA_CERTS"\nexec "${process.execPath}" ${probeArgs(gw.url).map((a) => `'${a.replace(/'/g, `'"'"'`)}'`).join(' ')}` });
  assert.equal(r.code, 0, r.stderr);
  const installed = join(root, 'usr', 'local', 'share', 'ca-certificates', tw.caFileName);
  assert.match(r.stdout, new RegExp(`^NODE_EXTRA_CA_CERTS=${installed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
  const res = parseProbe(r.stdout);
  assert.deepEqual({ ok: res.ok, status: res.status }, { ok: true, status: 200 }, JSON.stringify(res));
  assert.match(res.body ?? '', /^ok /, 'the answer came from nginx');
  // And the same Node without the variable still fails: it is the variable, not the machine.
  assert.equal(probe(gw.url, cleanEnv()).code, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
});

test('--out DIR: Node with NODE_EXTRA_CA_CERTS=DIR/<name>.crt reaches nginx; the file is the CA, re-encoded', () => {
  const out = join(tw.w.root, 'out-node');
  mkdirSync(out);
  const r = tw.w.cli(['trust', 'snippet', '--format', 'dockerfile', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(readdirSync(out).sort(), [tw.caFileName, `mtls-tray-${tw.id}.dockerfile`].sort());
  const caFile = join(out, tw.caFileName);
  assert.equal(statSync(caFile).mode & 0o777, 0o644);
  assert.equal(readFileSync(caFile, 'utf8'), tw.ca.certPem, 'openssl wrote canonical PEM already: the same bytes');
  const res = probe(gw.url, cleanEnv({ NODE_EXTRA_CA_CERTS: caFile }));
  assert.deepEqual({ ok: res.ok, status: res.status }, { ok: true, status: 200 }, JSON.stringify(res));
});

test('shell form: installs where update-ca-certificates and RHEL expect it, idempotent when run twice', (t) => {
  const script = join(tw.w.root, 'trust-twice.sh');
  writeFileSync(script, snippet('shell'));
  const ca = tw.ca.certPem;

  // Debian/Ubuntu-like root, with Debian's own updater pointed at it.
  const deb = debianRoot(tw.w.root, 'debian-root');
  const file = join(deb, 'usr', 'local', 'share', 'ca-certificates', tw.caFileName);
  const first = runShellForm(script, deb, { after: 'env | grep -c "^_mt_" || true' });
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stdout.trim(), '0', 'no helper variables are left in the caller\'s shell');
  assert.equal(readFileSync(file, 'utf8'), ca);
  assert.equal(statSync(file).mode & 0o777, 0o644);
  assert.deepEqual(readdirSync(dirname(file)), [tw.caFileName], 'no temp file left');
  const bundle = join(deb, 'etc', 'ssl', 'certs', 'ca-certificates.crt');
  if (DEBIAN_UPDATER) {
    assert.match(first.stderr, /1 added, 0 removed/, first.stderr);
    assert.ok(readFileSync(bundle, 'utf8').includes(ca.trim()), "the updater's bundle holds the CA");
    const link = join(deb, 'etc', 'ssl', 'certs', `mtls-tray-${tw.id}.pem`);
    assert.equal(readFileSync(link, 'utf8'), ca, 'and its per-CA link points at our file');
    // curl trusting exactly that bundle reaches nginx: the store is right, not only Node.
    const curl = spawnSync('curl', ['-sS', '--cacert', bundle, gw.url], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(curl.status, 0, curl.stderr);
    assert.match(curl.stdout, /^ok /);
  } else {
    t.diagnostic('update-ca-certificates is not installed (Debian: apt-get install ca-certificates): its bundle was not checked');
  }
  const before1 = statSync(file);
  const bundleBefore = existsSync(bundle) ? readFileSync(bundle, 'utf8') : null;
  const second = runShellForm(script, deb);
  assert.equal(second.code, 0, second.stderr);
  const after1 = statSync(file);
  assert.equal(after1.ino, before1.ino, 'an unchanged CA is not written again');
  assert.equal(after1.mtimeMs, before1.mtimeMs);
  if (DEBIAN_UPDATER) {
    assert.match(second.stderr, /0 added, 0 removed/, second.stderr);
    assert.equal(readFileSync(bundle, 'utf8'), bundleBefore);
  }

  // RHEL-like root: the anchors directory exists, so the CA goes there (and nowhere else).
  const rhel = rhelRoot(tw.w.root, 'rhel-root');
  for (let i = 0; i < 2; i++) {
    const r = runShellForm(script, rhel, { after: 'printf %s "$NODE_EXTRA_CA_CERTS"' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, join(rhel, 'etc', 'pki', 'ca-trust', 'source', 'anchors', tw.caFileName));
    // update-ca-trust cannot be pointed at another root, and this machine's is absent anyway.
    assert.match(r.stderr, /update-ca-trust (is not installed|for .*run it in the image)/);
  }
  assert.equal(readFileSync(join(rhel, 'etc', 'pki', 'ca-trust', 'source', 'anchors', tw.caFileName), 'utf8'), ca);
  assert.equal(existsSync(join(rhel, 'usr')), false, 'nothing in the Debian location of an RHEL root');

  // No updater at all (PATH without sbin): still exit 0, the CA in place, and a note.
  const bare = debianRoot(tw.w.root, 'bare-root');
  const noUpdater = runShellForm(script, bare, { path: '/usr/bin:/bin', after: 'printf %s "$NODE_EXTRA_CA_CERTS"' });
  assert.equal(noUpdater.code, 0, noUpdater.stderr);
  assert.match(noUpdater.stderr, /update-ca-certificates is not installed; the CA is in place/);
  assert.equal(readFileSync(join(bare, 'usr', 'local', 'share', 'ca-certificates', tw.caFileName), 'utf8'), ca);

  // A root with neither location yet: the Debian/Alpine directory is made.
  const empty = join(tw.w.root, 'empty-root');
  mkdirSync(empty);
  assert.equal(runShellForm(script, `${empty}/`, { path: '/usr/bin:/bin' }).code, 0);
  assert.equal(readFileSync(join(empty, 'usr', 'local', 'share', 'ca-certificates', tw.caFileName), 'utf8'), ca);
});

test('shell form: dash and bash run it alike; a store directory it cannot make fails with the reason and stops the script', () => {
  const script = join(tw.w.root, 'trust-shells.sh');
  writeFileSync(script, snippet('shell'));
  for (const shell of ['dash', 'bash']) {
    const root = debianRoot(tw.w.root, `${shell}-root`);
    const r = runShellForm(script, root, { shell, path: '/usr/bin:/bin', after: 'printf %s "$NODE_EXTRA_CA_CERTS"' });
    assert.equal(r.code, 0, `${shell}: ${r.stderr}`);
    assert.equal(r.stdout, join(root, 'usr', 'local', 'share', 'ca-certificates', tw.caFileName));
  }
  // A file where the store directory belongs: mkdir fails; the snippet says what to do and returns 1.
  const blocked = join(tw.w.root, 'blocked-root');
  mkdirSync(join(blocked, 'usr', 'local', 'share'), { recursive: true });
  writeFileSync(join(blocked, 'usr', 'local', 'share', 'ca-certificates'), 'not a directory');
  const r = runShellForm(script, blocked, { path: '/usr/bin:/bin', after: 'echo reached' });
  assert.equal(r.code, 1, 'a startup script under set -e stops here');
  assert.doesNotMatch(r.stdout, /reached/);
  assert.match(r.stderr, /mtls-tray: cannot write .*ca-certificates\/mtls-tray-[a-z0-9-]+\.crt: run this as root or with passwordless sudo, or bake the CA into the image \(mtls-tray trust snippet --profile [a-z0-9-]+ --format dockerfile\)/);
});

/** The Dockerfile lines without comments, as instructions. */
function instructions(text: string): string[] {
  const lines = text.trimEnd().split('\n');
  for (const l of lines) assert.match(l, /^(#( .*)?|(COPY|RUN|ENV) \S.*)$/, `not a comment or a known instruction: ${l}`);
  assert.ok(!lines.some((l) => l.endsWith('\\')), 'no line continuations');
  return lines.filter((l) => !l.startsWith('#'));
}

test('Dockerfile: exact lines per distribution, COPY source = the CA file, ENV = the COPY destination', () => {
  const name = tw.caFileName;
  const expected: Record<string, string[]> = {
    debian: [`COPY ${name} /usr/local/share/ca-certificates/${name}`, 'RUN update-ca-certificates', `ENV NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/${name}`],
    alpine: [`COPY ${name} /usr/local/share/ca-certificates/${name}`, 'RUN apk add --no-cache ca-certificates && update-ca-certificates', `ENV NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/${name}`],
    rhel: [`COPY ${name} /etc/pki/ca-trust/source/anchors/${name}`, 'RUN update-ca-trust', `ENV NODE_EXTRA_CA_CERTS=/etc/pki/ca-trust/source/anchors/${name}`],
  };
  for (const [distro, want] of Object.entries(expected)) {
    const text = distro === 'debian' ? snippet('dockerfile') : snippet('dockerfile', '--distro', distro);
    assert.deepEqual(instructions(text), want, distro);
    assert.match(text.split('\n')[0]!, /^# mtls-tray trust snippet \(Dockerfile, .*\) for profile "Corp \(prod\)" at https:\/\/coder\.corp\.test$/);
    assert.ok(!text.includes('BEGIN CERTIFICATE'), 'the CA goes beside the Dockerfile, not into it');
  }
  assert.equal(snippet('dockerfile', '--distro', 'debian'), snippet('dockerfile'), 'debian is the default');
  const json = tw.w.json(['trust', 'snippet']);
  assert.equal(json.format, 'dockerfile');
  assert.equal(json.nodeExtraCaCerts, `/usr/local/share/ca-certificates/${name}`);
  assert.equal(json.caPem, tw.ca.certPem);
});

test('Dockerfile applied to a temp root (COPY, RUN update-ca-certificates, ENV): Node with its ENV reaches nginx', (t) => {
  const context = join(tw.w.root, 'docker-context');
  mkdirSync(context);
  assert.equal(tw.w.cli(['trust', 'snippet', '--out', context]).code, 0);
  const text = readFileSync(join(context, `mtls-tray-${tw.id}.dockerfile`), 'utf8');
  const root = debianRoot(tw.w.root, 'image-root');
  const env: Record<string, string> = {};
  for (const line of instructions(text)) {
    const [op, ...rest] = line.split(' ');
    if (op === 'COPY') {
      const [src, dest] = rest as [string, string];
      mkdirSync(dirname(join(root, dest)), { recursive: true });
      copyFileSync(join(context, src), join(root, dest));
    } else if (op === 'RUN') {
      assert.equal(rest.join(' '), 'update-ca-certificates');
      if (!DEBIAN_UPDATER) {
        t.diagnostic('update-ca-certificates is not installed: RUN skipped');
        continue;
      }
      const r = spawnSync(DEBIAN_UPDATER, ['--certsconf', join(root, 'etc/ca-certificates.conf'), '--certsdir', join(root, 'usr/share/ca-certificates'), '--localcertsdir', join(root, 'usr/local/share/ca-certificates'), '--etccertsdir', join(root, 'etc/ssl/certs'), '--hooksdir', join(root, 'etc/ca-certificates/update.d')], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /1 added/);
    } else if (op === 'ENV') {
      const [k, v] = rest.join(' ').split('=') as [string, string];
      env[k] = v.startsWith('/') ? join(root, v) : v;
    }
  }
  assert.ok(env.NODE_EXTRA_CA_CERTS, 'the Dockerfile sets NODE_EXTRA_CA_CERTS');
  const res = probe(gw.url, cleanEnv(env));
  assert.deepEqual({ ok: res.ok, status: res.status }, { ok: true, status: 200 }, JSON.stringify(res));
});

/** HCL structure without terraform: heredocs closed, no template sequence left unescaped in them, braces balanced outside. */
function checkHclStructure(text: string): { heredocs: Array<{ delimiter: string; body: string[] }> } {
  const lines = text.split('\n');
  const heredocs: Array<{ delimiter: string; body: string[] }> = [];
  let depth = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trimStart().startsWith('#')) continue;
    const open = /<<-?([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(line);
    depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && l.trim() === open[1]);
    assert.ok(end > i, `heredoc ${open[1]} opened on line ${i + 1} is closed`);
    const body = lines.slice(i + 1, end);
    for (const b of body) {
      assert.doesNotMatch(b, /(^|[^$])\$\{/, `unescaped \${ in the heredoc: ${b}`);
      assert.doesNotMatch(b, /(^|[^%])%\{/, `unescaped %{ in the heredoc: ${b}`);
    }
    heredocs.push({ delimiter: open[1]!, body });
    i = end;
  }
  assert.equal(depth, 0, 'braces balance outside heredocs');
  return { heredocs };
}

const TERRAFORM = spawnSync('terraform', ['version'], { encoding: 'utf8' }).status === 0;

test('Terraform: valid HCL; the agent gets exactly the shell form; env sets NODE_EXTRA_CA_CERTS per distribution', (t) => {
  const text = snippet('terraform');
  const { heredocs } = checkHclStructure(text);
  assert.equal(heredocs.length, 1);
  assert.ok(heredocs[0]!.body.some((l) => l.trim() === '-----BEGIN CERTIFICATE-----'), 'the CA is inline');
  assert.match(text, new RegExp(`resource "coder_agent" "main" \\{\\n  env = \\{\\n    NODE_EXTRA_CA_CERTS = "/usr/local/share/ca-certificates/${tw.caFileName}"\\n  \\}\\n  startup_script = local\\.mtls_tray_trust_${tw.id.replace(/-/g, '_')}\\n\\}\\n$`));
  assert.match(snippet('terraform', '--distro', 'rhel'), new RegExp(`NODE_EXTRA_CA_CERTS = "/etc/pki/ca-trust/source/anchors/${tw.caFileName}"`));
  if (!TERRAFORM) {
    t.diagnostic('terraform is not installed: HCL checked structurally only');
    return;
  }
  const dir = join(tw.w.root, 'tf');
  mkdirSync(dir);
  writeFileSync(join(dir, 'snippet.tf'), text);
  const tfEnv = cleanEnv({ TF_CLI_CONFIG_FILE: '/dev/null', TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' });
  const fmt = spawnSync('terraform', ['fmt', '-check', '-diff', '-no-color', 'snippet.tf'], { cwd: dir, env: tfEnv, encoding: 'utf8' });
  assert.equal(fmt.status, 0, `terraform fmt: ${fmt.stdout}${fmt.stderr}`);
  // The locals alone (coder_agent needs the coder provider, which is not reachable here), applied: the value the agent gets.
  const evalDir = join(tw.w.root, 'tf-eval');
  mkdirSync(evalDir);
  const locals = text.slice(0, text.indexOf('resource "coder_agent"'));
  const local = `mtls_tray_trust_${tw.id.replace(/-/g, '_')}`;
  writeFileSync(join(evalDir, 'main.tf'), `${locals}\noutput "script" {\n  value = local.${local}\n}\n`);
  for (const args of [['init', '-input=false', '-no-color'], ['apply', '-auto-approve', '-input=false', '-no-color']]) {
    const r = spawnSync('terraform', args, { cwd: evalDir, env: tfEnv, encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, `terraform ${args[0]}: ${r.stdout}${r.stderr}`);
  }
  const out = spawnSync('terraform', ['output', '-raw', 'script'], { cwd: evalDir, env: tfEnv, encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  assert.equal(out.stdout, snippet('shell'), 'Terraform hands the agent the shell form byte for byte');
});
