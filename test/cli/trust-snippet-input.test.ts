// Issue 17, `mtls-tray trust snippet` with bad or missing input: a profile without a CA bundle
// (a message, exit 0, nothing written), an unknown --format or --distro (usage error, exit 2,
// naming what works), --out into a directory that is missing, unwritable or holds a different
// file (an error naming the file, nothing written; --force replaces), a damaged stored bundle,
// and profile words that try to break out of the generated text.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildTrustSnippet } from '../../main/profiles/trust-snippet';
import { makeWorld } from './cli-harness';
import { debianRoot, runShellForm, trustWorld, type TrustWorld } from './trust-helpers';

const world = makeWorld('trust-input');
let tw: TrustWorld;
before(async () => {
  tw = await trustWorld(world);
});

const noBug = (s: string) => assert.doesNotMatch(s, /internal error|this is a bug/);

test('a profile without a CA bundle: the platform trust applies, exit 0, and nothing is written even with --out', () => {
  const w = makeWorld('trust-none');
  assert.equal(w.cli(['init', '--url', 'https://coder.public.test', '--name', 'Public', '--self-signed', '--no-settings']).code, 0);
  const r = w.cli(['trust', 'snippet', '--format', 'shell']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "Profile Public has no CA bundle: its deployment is checked against the platform's default trust (the public CAs), and so it is in workspaces. A trust snippet is only needed for a private CA; add one with `mtls-tray edit --profile public --ca-bundle FILE`.\n");
  const json = w.json(['trust', 'snippet']);
  assert.equal(json.hasCaBundle, false);
  assert.equal(json.snippet, null);
  assert.match(json.message, /only needed for a private CA/);
  const out = join(w.root, 'out');
  mkdirSync(out);
  const o = w.cli(['trust', 'snippet', '--out', out]);
  assert.equal(o.code, 0);
  assert.match(o.stdout, /Nothing was written to .*out\.\n$/);
  assert.deepEqual(readdirSync(out), []);
  // The fix it names works: with a CA bundle the snippet appears.
  writeFileSync(join(w.root, 'ca.crt'), tw.ca.certPem);
  assert.equal(w.cli(['edit', '--profile', 'public', '--ca-bundle', join(w.root, 'ca.crt')]).code, 0);
  assert.match(w.cli(['trust', 'snippet']).stdout, /^COPY mtls-tray-public\.crt /m);
});

test('unknown --format or --distro, --distro with shell, --force without --out: usage errors (exit 2) naming what works', () => {
  const cases: Array<[string[], RegExp]> = [
    [['--format', 'helm'], /unknown --format "helm"; use one of dockerfile, shell, terraform, e\.g\. mtls-tray trust snippet --format shell/],
    [['--distro', 'arch'], /unknown --distro "arch"; use one of debian, alpine, rhel, e\.g\. mtls-tray trust snippet --format dockerfile --distro alpine/],
    [['--format', 'shell', '--distro', 'alpine'], /--distro applies to --format dockerfile and terraform; the shell form finds the trust store of the system it runs on/],
    [['--force'], /--force only applies with --out DIR/],
    [['--format'], /trust snippet: Option '--format <value>' argument missing/],
    [['extra'], /unexpected argument "extra"; usage: mtls-tray trust snippet/],
  ];
  for (const [args, message] of cases) {
    const r = tw.w.cli(['trust', 'snippet', ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stdout, '');
    const j = tw.w.cli(['--json', 'trust', 'snippet', ...args]);
    assert.equal(JSON.parse(j.stderr).error.code, 'USAGE');
  }
  const bare = tw.w.cli(['trust']);
  assert.equal(bare.code, 2);
  assert.match(bare.stderr, /"trust" needs one of: snippet/);
});

test('--out: a missing directory, a different file in the way (refused, nothing written; --force replaces), a rerun (unchanged)', () => {
  const missing = join(tw.w.root, 'no-such-dir');
  const m = tw.w.cli(['--json', 'trust', 'snippet', '--out', missing]);
  assert.equal(m.code, 1);
  const me = JSON.parse(m.stderr).error;
  assert.equal(me.code, 'OUTPUT_DIR_MISSING');
  assert.match(me.message, /no-such-dir: no such directory; nothing was written/);
  assert.match(me.fix, /mkdir -p .*no-such-dir/);

  const notDir = join(tw.w.root, 'a-file');
  writeFileSync(notDir, 'x');
  const nd = tw.w.cli(['--json', 'trust', 'snippet', '--out', notDir]);
  assert.equal(JSON.parse(nd.stderr).error.code, 'PATH_NOT_DIRECTORY');

  const out = join(tw.w.root, 'context');
  mkdirSync(out);
  const crt = join(out, tw.caFileName);
  const snippetFile = join(out, `mtls-tray-${tw.id}.tf`);
  writeFileSync(crt, 'someone else\'s CA\n');
  const r = tw.w.cli(['trust', 'snippet', '--format', 'terraform', '--out', out]);
  assert.equal(r.code, 1);
  noBug(r.stderr);
  assert.equal(r.stderr, `mtls-tray: ${crt} exists and differs from the CA certificate; nothing was written\n  fix: Move it away, name another directory with --out DIR, or replace it with --force\n`);
  assert.deepEqual(readdirSync(out), [tw.caFileName], 'the snippet was not written either, and no temp file is left');
  assert.equal(readFileSync(crt, 'utf8'), 'someone else\'s CA\n');

  const f = tw.w.cli(['--json', 'trust', 'snippet', '--format', 'terraform', '--out', out, '--force']);
  assert.equal(f.code, 0, f.stderr);
  assert.deepEqual(JSON.parse(f.stdout).files.map((x: { status: string }) => x.status), ['replaced', 'written']);
  assert.equal(readFileSync(crt, 'utf8'), tw.ca.certPem);
  assert.match(readFileSync(snippetFile, 'utf8'), /^resource "coder_agent" "main" \{$/m);

  // Run again: both files already hold exactly this, so nothing is rewritten and nothing is refused.
  const again = tw.w.cli(['trust', 'snippet', '--format', 'terraform', '--out', out]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, new RegExp(`^Unchanged ${crt.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\nUnchanged `));

  // A different snippet format beside the same CA: the CA is unchanged, the new snippet is written.
  const sh = tw.w.json(['trust', 'snippet', '--format', 'shell', '--out', out]);
  assert.deepEqual(sh.files.map((x: { status: string }) => x.status), ['unchanged', 'written']);
  assert.equal(readdirSync(out).length, 3);
});

const canMount = process.platform === 'linux' && process.getuid?.() === 0 && spawnSync('mount', ['--version']).status === 0;

test('--out into a directory nobody may write: an error naming the file, nothing written', (t) => {
  const dir = join(tw.w.root, 'locked');
  mkdirSync(dir);
  let undo = () => {};
  if (process.getuid?.() !== 0) {
    chmodSync(dir, 0o555);
    undo = () => chmodSync(dir, 0o755);
  } else if (canMount) {
    // root writes through mode bits: a read-only mount is what stops root.
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', dir]);
    undo = () => void (spawnSync('umount', [dir]).status === 0 || spawnSync('umount', ['-l', dir]));
  } else {
    t.skip('running as root without mount: no directory here is unwritable');
    return;
  }
  try {
    const r = tw.w.cli(['--json', 'trust', 'snippet', '--format', 'shell', '--out', dir]);
    assert.equal(r.code, 1, r.stdout);
    noBug(r.stderr);
    const e = JSON.parse(r.stderr).error;
    assert.ok(['READ_ONLY_FS', 'PERMISSION_DENIED'].includes(e.code), e.code);
    assert.ok(e.message.includes(join(dir, tw.caFileName)), `names the file: ${e.message}`);
    assert.match(e.message, /nothing was changed/);
    assert.match(e.fix, /^Name a directory you can write with --out DIR \(`ls -ld .*locked` shows who owns this one/);
    assert.deepEqual(readdirSync(dir), []);
  } finally {
    undo();
  }
});

test('a stored CA bundle that is no longer only certificates is refused with the file and the edit command', () => {
  const w = makeWorld('trust-damaged');
  writeFileSync(join(w.root, 'ca.crt'), tw.ca.certPem);
  assert.equal(w.cli(['init', '--url', 'https://coder.corp.test', '--name', 'Damaged', '--self-signed', '--no-settings', '--ca-bundle', join(w.root, 'ca.crt')]).code, 0);
  const stored = join(w.dataDir, 'profiles', 'damaged', 'ca-bundle.crt');
  appendFileSync(stored, readFileSync(tw.ca.keyPath, 'utf8'));
  const out = join(w.root, 'out');
  mkdirSync(out);
  const r = w.cli(['--json', 'trust', 'snippet', '--out', out]);
  assert.equal(r.code, 1);
  const e = JSON.parse(r.stderr).error;
  assert.equal(e.code, 'CA_BUNDLE_INVALID');
  assert.ok(e.message.includes(stored), e.message);
  assert.match(e.message, /block 2 is a PRIVATE KEY, only certificates are allowed/);
  assert.equal(e.fix, 'Replace it with a PEM file of CERTIFICATE blocks only: mtls-tray edit --profile damaged --ca-bundle FILE');
  assert.doesNotMatch(r.stdout + r.stderr, /BEGIN PRIVATE KEY|BEGIN EC PRIVATE KEY/, 'the key is never echoed');
  assert.deepEqual(readdirSync(out), []);
});

test('profile words cannot break out: a name and URL with quotes, $(...) and line breaks stay inside comments', () => {
  const cwd = join(tw.w.root, 'hostile');
  mkdirSync(cwd);
  const name = "Evil'\n touch pwned-name; echo \"$(touch pwned-sub)\" `touch pwned-tick` \u2028 }\nEOT\nMTLS_TRAY_EOT\nMTLS_TRAY_CA";
  const url = 'https://coder.corp.test/$(touch pwned-url)/${HOME}/%{x}';
  for (const format of ['shell', 'terraform', 'dockerfile'] as const) {
    const s = buildTrustSnippet({ profile: { id: 'evil', name, url }, caBundlePem: tw.ca.certPem, caBundleFile: '/x/ca-bundle.crt', format, distro: 'debian' });
    const lines = s.text.split('\n');
    // The words appear only in comment lines: the first line (and, in Terraform, the embedded shell form's first line).
    assert.match(lines[0]!, /^# mtls-tray trust snippet .* for profile "Evil'\\n touch pwned-name; .*\\u2028 }\\nEOT\\nMTLS_TRAY_EOT\\nMTLS_TRAY_CA" at https:\/\/coder\.corp\.test\/\$\(touch pwned-url\)\/\$\{HOME\}\/%\{x\}$/);
    const mentions = lines.filter((l) => l.includes('pwned'));
    assert.equal(mentions.length, format === 'terraform' ? 2 : 1, format);
    for (const l of mentions) assert.match(l, /^\s*# mtls-tray trust snippet /, format);
    if (format === 'shell') {
      writeFileSync(join(cwd, 'evil.sh'), s.text);
      const root = debianRoot(cwd, 'root');
      const r = spawnSync('sh', ['-eu', join(cwd, 'evil.sh')], { cwd, env: { PATH: '/usr/bin:/bin', MTLS_TRAY_TRUST_ROOT: root }, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(readdirSync(cwd).filter((f) => f.includes('pwned')), [], 'nothing from the profile ran');
      assert.equal(readFileSync(join(root, 'usr/local/share/ca-certificates/mtls-tray-evil.crt'), 'utf8'), tw.ca.certPem);
    }
    if (format === 'terraform') {
      // Template sequences from the URL are in a comment, where Terraform does not interpolate; none in the heredoc is unescaped.
      const body = s.text.slice(s.text.indexOf('<<-MTLS_TRAY_EOT'), s.text.lastIndexOf('  MTLS_TRAY_EOT'));
      assert.doesNotMatch(body.split('\n').slice(1).join('\n'), /(^|[^$])\$\{|(^|[^%])%\{/m);
    }
  }
});

test('the PEM is re-encoded: text between blocks, headers or CRLF in the stored bundle never reach the snippet', () => {
  const crlf = tw.ca.certPem.replace(/\n/g, '\r\n');
  const twice = `${crlf}${tw.ca.certPem}`;
  const s = buildTrustSnippet({ profile: { id: 'x', name: 'X', url: 'https://x.test' }, caBundlePem: twice, caBundleFile: '/x', format: 'shell', distro: 'debian' });
  assert.equal(s.certificates, 1, 'the same certificate twice is emitted once');
  assert.equal(s.caPem, tw.ca.certPem);
  assert.ok(!s.text.includes('\r'));
  assert.throws(
    () => buildTrustSnippet({ profile: { id: 'x', name: 'X', url: 'https://x.test' }, caBundlePem: `${tw.ca.certPem}\n$(touch pwned)\n`, caBundleFile: '/data/ca-bundle.crt', format: 'shell', distro: 'debian' }),
    /the CA bundle \/data\/ca-bundle\.crt has text outside its PEM blocks/,
  );
});
