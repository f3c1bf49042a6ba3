/**
 * Workspace trust from the profile's CA bundle (issue 17): the lines that carry the CA the user
 * gave with `--ca-bundle` into a workspace image or startup script, as Coder's TLS guide tells
 * admins to (copy the CA into the image, set NODE_EXTRA_CA_CERTS, or add it to the system store).
 *
 * Pure text: the caller reads the bundle and writes files. It lives with the profiles because it
 * is what a profile's CA bundle means outside this machine, and it validates that bundle with the
 * same check every other reader uses (share-format.ts's checkCaBundle).
 *
 * Generated text is safe by construction, whatever the profile holds:
 * - the PEM is re-encoded from each certificate's DER (only CERTIFICATE blocks are accepted), so
 *   it holds nothing but BEGIN/END lines and base64: no `$`, `%`, quote or heredoc delimiter;
 * - the profile's name and URL appear only in comments, JSON-quoted, with every control
 *   character escaped, so no line break can end a comment;
 * - file names come from the profile id (lower-case letters, digits, hyphens), and the shell
 *   form quotes them anyway; it takes no input at run time but MTLS_TRAY_TRUST_ROOT, always
 *   quoted.
 */
import { X509Certificate } from 'node:crypto';
import { UserError } from '../base/errors';
import { scanPemBlocks } from '../base/pem-blocks';
import { assertProfileId } from '../base/profile-id';
import { quotePosix } from '../base/shell-quote';
import type { TrustDistro, TrustFormat } from '../base/vocabulary';
import { checkCaBundle } from './share-format';

export interface TrustSnippetInput {
  profile: { id: string; name: string; url: string };
  /** The profile's CA bundle as stored (it is validated again here). */
  caBundlePem: string;
  /** Where the bundle was read from, for error messages. */
  caBundleFile: string;
  format: TrustFormat;
  /** The image's distribution, for the forms that name a fixed path (dockerfile, terraform). */
  distro: TrustDistro;
}

export interface TrustSnippet {
  format: TrustFormat;
  /** null for the shell form: it finds the store of the system it runs on. */
  distro: TrustDistro | null;
  text: string;
  /** The snippet's file name for `--out DIR`. */
  fileName: string;
  /** `mtls-tray-<id>.crt`: the CA file's name beside the snippet and in the trust store. */
  caFileName: string;
  /** The bundle as it is emitted: canonical PEM, one certificate after another. */
  caPem: string;
  certificates: number;
  /** What NODE_EXTRA_CA_CERTS is set to; null for the shell form, which exports the path it installed to. */
  nodeExtraCaCerts: string | null;
}

/** Where each distribution's updater looks for locally added CAs (`*.crt`). */
export const TRUST_STORE_DIRS: Readonly<Record<TrustDistro, string>> = {
  debian: '/usr/local/share/ca-certificates',
  alpine: '/usr/local/share/ca-certificates',
  rhel: '/etc/pki/ca-trust/source/anchors',
};

const DISTRO_LABELS: Readonly<Record<TrustDistro, string>> = { debian: 'Debian/Ubuntu', alpine: 'Alpine', rhel: 'RHEL/Fedora' };

/** The Dockerfile's RUN line per distribution, and where its updater comes from. */
const DOCKER_RUN: Readonly<Record<TrustDistro, { run: string; note: string }>> = {
  debian: { run: 'update-ca-certificates', note: 'update-ca-certificates comes with the ca-certificates package.' },
  alpine: { run: 'apk add --no-cache ca-certificates && update-ca-certificates', note: 'apk adds the ca-certificates package (and its updater) first.' },
  rhel: { run: 'update-ca-trust', note: 'update-ca-trust comes with the ca-certificates package.' },
};

/** The shell's heredoc delimiter and Terraform's; neither can occur in canonical PEM. */
const SH_EOF = 'MTLS_TRAY_CA';
const HCL_EOF = 'MTLS_TRAY_EOT';
const PEM_LINE = /^(?:-----(?:BEGIN|END) CERTIFICATE-----|[A-Za-z0-9+/]{1,64}={0,2})$/;

/** The CA file's base name, from the profile id: `mtls-tray-<id>`. */
export function trustCertName(profileId: string): string {
  return `mtls-tray-${assertProfileId(profileId)}`;
}

/**
 * The bundle checked (only parseable CERTIFICATE blocks) and re-encoded from DER, without
 * repeats. The re-encoding is what makes it safe to embed in a heredoc of any language.
 */
export function canonicalCaPem(pem: string, where: string): { pem: string; count: number } {
  const checked = checkCaBundle(pem, where);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const block of scanPemBlocks(checked).blocks) {
    const canonical = new X509Certificate(block).toString().trim();
    if (seen.has(canonical)) continue;
    seen.add(canonical);
    out.push(canonical);
  }
  const text = `${out.join('\n')}\n`;
  // Belt and braces: what follows relies on this, so a surprise is a bug, never output.
  if (!text.trimEnd().split('\n').every((l) => PEM_LINE.test(l))) throw new Error('canonical PEM has an unexpected line');
  return { pem: text, count: out.length };
}

/** A profile's words inside a comment: JSON-quoted, control and line-separator characters escaped. */
function commentText(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function about(input: TrustSnippetInput, what: string): string {
  return `# mtls-tray trust snippet (${what}) for profile ${commentText(input.profile.name)} at ${commentText(input.profile.url).slice(1, -1)}`;
}

/** The command that makes this snippet again, for comments that point at it. */
function again(input: TrustSnippetInput, format: TrustFormat, extra = ''): string {
  const distro = input.distro !== 'debian' && format !== 'shell' ? ` --distro ${input.distro}` : '';
  return `mtls-tray trust snippet --profile ${input.profile.id} --format ${format}${distro}${extra}`;
}

export function buildTrustSnippet(input: TrustSnippetInput): TrustSnippet {
  const ca = canonicalCaPem(input.caBundlePem, `the CA bundle ${input.caBundleFile}`);
  const name = trustCertName(input.profile.id);
  const caFileName = `${name}.crt`;
  const common = { caFileName, caPem: ca.pem, certificates: ca.count };
  switch (input.format) {
    case 'dockerfile': {
      const path = `${TRUST_STORE_DIRS[input.distro]}/${caFileName}`;
      return { ...common, format: 'dockerfile', distro: input.distro, fileName: `${name}.dockerfile`, nodeExtraCaCerts: path, text: dockerfile(input, caFileName, path) };
    }
    case 'shell':
      return { ...common, format: 'shell', distro: null, fileName: `${name}.sh`, nodeExtraCaCerts: null, text: shellScript(input, caFileName, ca.pem) };
    case 'terraform': {
      const path = `${TRUST_STORE_DIRS[input.distro]}/${caFileName}`;
      return { ...common, format: 'terraform', distro: input.distro, fileName: `${name}.tf`, nodeExtraCaCerts: path, text: terraform(input, caFileName, path, ca.pem) };
    }
  }
}

/** COPY from the build context (a file beside the Dockerfile), as every builder supports; not a BuildKit-only heredoc. */
function dockerfile(input: TrustSnippetInput, caFileName: string, path: string): string {
  const v = DOCKER_RUN[input.distro];
  return [
    about(input, `Dockerfile, ${DISTRO_LABELS[input.distro]}`),
    `# Put ${caFileName} in the build context beside the Dockerfile, and these lines before any USER`,
    `# line (they need root). \`${again(input, 'dockerfile', ' --out DIR')}\` writes both files.`,
    `# ${v.note}`,
    `COPY ${caFileName} ${path}`,
    `RUN ${v.run}`,
    `ENV NODE_EXTRA_CA_CERTS=${path}`,
    '',
  ].join('\n');
}

/**
 * POSIX sh for a startup script, pasted or sourced: a function, so nothing in it can `exit` the
 * caller's script, and safe under `set -eu`. It writes the CA only when it differs (temp file,
 * then mv), picks the store by what exists (RHEL's anchors, else the Debian/Alpine directory),
 * runs the updater if there is one, and exports NODE_EXTRA_CA_CERTS. MTLS_TRAY_TRUST_ROOT puts
 * everything under another root (an image being built, a test); there the updater runs only when
 * it can be pointed at that root (Debian's update-ca-certificates), never at this machine's store.
 */
function shellScript(input: TrustSnippetInput, caFileName: string, pem: string): string {
  const dockerfileCmd = again(input, 'dockerfile');
  return [
    about(input, 'shell'),
    '# For a workspace startup script (POSIX sh; safe to run again): installs the deployment\'s CA',
    '# into the system trust store (Debian/Ubuntu/Alpine: /usr/local/share/ca-certificates,',
    '# RHEL/Fedora: /etc/pki/ca-trust/source/anchors), runs the store\'s updater when it is',
    '# installed, and exports NODE_EXTRA_CA_CERTS for Node (the VS Code server, extensions).',
    '# Needs root or passwordless sudo. MTLS_TRAY_TRUST_ROOT=DIR installs under DIR instead of /',
    '# (an image\'s root file system; the updater runs there only if it can be pointed at DIR).',
    'mtls_tray_ca() {',
    `  cat <<'${SH_EOF}'`,
    pem.trimEnd(),
    SH_EOF,
    '}',
    'mtls_tray_trust() {',
    '  _mt_root=${MTLS_TRAY_TRUST_ROOT:-}',
    '  _mt_root=${_mt_root%/}',
    '  _mt_rc=0',
    '  if [ -d "$_mt_root/etc/pki/ca-trust/source/anchors" ]; then',
    '    _mt_dir=$_mt_root/etc/pki/ca-trust/source/anchors',
    '    _mt_tool=update-ca-trust',
    '  else',
    '    _mt_dir=$_mt_root/usr/local/share/ca-certificates',
    '    _mt_tool=update-ca-certificates',
    '  fi',
    `  _mt_file=$_mt_dir/${quotePosix(caFileName)}`,
    '  _mt_sudo=',
    '  if [ -z "$_mt_root" ] && [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then',
    "    _mt_sudo='sudo -n'",
    '  fi',
    '  if ! mtls_tray_ca | cmp -s - "$_mt_file" 2>/dev/null; then',
    '    if ! { $_mt_sudo mkdir -p "$_mt_dir" && mtls_tray_ca | $_mt_sudo tee "$_mt_file.new" >/dev/null &&',
    '      $_mt_sudo chmod 644 "$_mt_file.new" && $_mt_sudo mv -f "$_mt_file.new" "$_mt_file"; }; then',
    '      $_mt_sudo rm -f "$_mt_file.new" 2>/dev/null',
    `      echo "mtls-tray: cannot write $_mt_file: run this as root or with passwordless sudo, or bake the CA into the image (${dockerfileCmd})" >&2`,
    '      return 1',
    '    fi',
    '  fi',
    '  if [ -z "$_mt_root" ]; then',
    '    _mt_up=$(PATH=$PATH:/usr/sbin:/sbin; command -v "$_mt_tool" 2>/dev/null) || _mt_up=',
    '  else',
    '    _mt_up=$(command -v "$_mt_tool" 2>/dev/null) || _mt_up=',
    '  fi',
    '  if [ -z "$_mt_up" ]; then',
    '    echo "mtls-tray: $_mt_tool is not installed; the CA is in place for when it is, and NODE_EXTRA_CA_CERTS covers Node" >&2',
    '  elif [ -z "$_mt_root" ]; then',
    '    $_mt_sudo "$_mt_up" >&2 || _mt_rc=1',
    '  elif [ "$_mt_tool" = update-ca-certificates ] && [ -f "$_mt_root/etc/ca-certificates.conf" ] && grep -q LOCALCERTSDIR "$_mt_up" 2>/dev/null; then',
    '    mkdir -p "$_mt_root/etc/ssl/certs" && "$_mt_up" --certsconf "$_mt_root/etc/ca-certificates.conf" \\',
    '      --certsdir "$_mt_root/usr/share/ca-certificates" --localcertsdir "$_mt_dir" \\',
    '      --etccertsdir "$_mt_root/etc/ssl/certs" --hooksdir "$_mt_root/etc/ca-certificates/update.d" >&2 || _mt_rc=1',
    '  else',
    '    echo "mtls-tray: not running $_mt_tool for $_mt_root (it would update this machine\'s store); run it in the image" >&2',
    '  fi',
    '  [ "$_mt_rc" = 0 ] || echo "mtls-tray: $_mt_tool failed: the system store may not trust the CA yet (NODE_EXTRA_CA_CERTS still covers Node)" >&2',
    '  if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ "$NODE_EXTRA_CA_CERTS" != "$_mt_file" ]; then',
    '    echo "mtls-tray: NODE_EXTRA_CA_CERTS was $NODE_EXTRA_CA_CERTS; Node reads one file, so it is now $_mt_file" >&2',
    '  fi',
    '  export NODE_EXTRA_CA_CERTS="$_mt_file"',
    '  unset _mt_root _mt_dir _mt_tool _mt_file _mt_sudo _mt_up',
    '  return "$_mt_rc"',
    '}',
    'mtls_tray_trust',
    '',
  ].join('\n');
}

/**
 * A `locals` value holding the shell form (so it can be joined with an existing startup script)
 * and the coder_agent arguments that use it. The script goes into an indented heredoc with
 * Terraform's template markers escaped (`${` -> `$${`, `%{` -> `%%{`), so Terraform hands the
 * agent exactly the shell form's text.
 */
function terraform(input: TrustSnippetInput, caFileName: string, path: string, pem: string): string {
  const local = `mtls_tray_trust_${input.profile.id.replace(/-/g, '_')}`;
  const script = shellScript(input, caFileName, pem).trimEnd().split('\n');
  if (script.some((l) => l.trim() === HCL_EOF || l.trim() === '')) throw new Error('the shell form cannot go into a Terraform heredoc');
  const body = script.map((l) => `    ${l.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{')}`);
  return [
    about(input, `Terraform, ${DISTRO_LABELS[input.distro]} image`),
    '# Merge into your template\'s coder_agent and keep its other arguments (arch, os, ...); if it',
    `# has a startup_script already, run both: join("\\n", [local.${local}, <<-EOT ... EOT]).`,
    '# The script installs the CA as root or with passwordless sudo; for a workspace user with',
    `# neither, bake the CA into the image instead: ${again(input, 'dockerfile')}.`,
    'locals {',
    `  ${local} = <<-${HCL_EOF}`,
    ...body,
    `  ${HCL_EOF}`,
    '}',
    '',
    'resource "coder_agent" "main" {',
    '  env = {',
    `    NODE_EXTRA_CA_CERTS = "${path}"`,
    '  }',
    `  startup_script = local.${local}`,
    '}',
    '',
  ].join('\n');
}

/** The message for a profile without a CA bundle: nothing to carry, and how to add one. */
export function noCaBundleMessage(profile: { id: string; name: string }): string {
  return [
    `Profile ${profile.name} has no CA bundle: its deployment is checked against the platform's default trust (the public CAs), and so it is in workspaces.`,
    `A trust snippet is only needed for a private CA; add one with \`mtls-tray edit --profile ${profile.id} --ca-bundle FILE\`.`,
  ].join(' ');
}

/** A stored bundle that no longer passes the check: say which file, and how to replace it. */
export function invalidStoredBundle(err: unknown, profileId: string): unknown {
  if (!(err instanceof UserError) || !err.code.startsWith('CA_BUNDLE')) return err;
  return new UserError(err.code, err.message, `Replace it with a PEM file of CERTIFICATE blocks only: mtls-tray edit --profile ${profileId} --ca-bundle FILE`, err.field);
}
