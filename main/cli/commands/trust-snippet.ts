/**
 * `trust snippet` (issue 17): the lines that make a workspace trust the profile's CA bundle, the
 * recipe of Coder's TLS guide generated. Printed to stdout (so `> file` captures exactly the
 * snippet), or with --out DIR written with the CA file beside it (output-dir.ts).
 */
import { TRUST_DISTROS, TRUST_FORMATS, isTrustDistro, isTrustFormat } from '../../base/vocabulary';
import { str, UsageError } from '../args';
import type { Command } from '../command';
import { PROFILE_OPTION, profileOf } from '../options';
import { writeFilesIntoDir } from '../output-dir';

const FORMAT_WORDS: Record<string, string> = { dockerfile: 'Dockerfile snippet', shell: 'startup-script snippet', terraform: 'Terraform snippet' };

export const trustSnippetCommand: Command = {
  name: 'trust snippet',
  summary: "lines that make a workspace trust the profile's CA bundle (Dockerfile, startup script, Terraform)",
  usage: 'trust snippet [--profile NAME] [--format dockerfile|shell|terraform] [--distro debian|alpine|rhel] [--out DIR [--force]]',
  options: { ...PROFILE_OPTION, format: { type: 'string' }, distro: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' } },
  positionals: [0, 0],
  details: [
    "For a deployment whose server certificate comes from a private CA (the profile's --ca-bundle): workspaces",
    'must trust it too, or they fail to download extensions or to build. Formats (default dockerfile):',
    '  dockerfile  COPY of <file>.crt into the trust store, its updater, ENV NODE_EXTRA_CA_CERTS',
    '  shell       POSIX sh for a startup script, CA inline: installs it into the Debian/Alpine or RHEL store,',
    '              runs the updater if present, exports NODE_EXTRA_CA_CERTS (root or passwordless sudo)',
    '  terraform   the shell form as a local, and a coder_agent env block with NODE_EXTRA_CA_CERTS',
    '--distro: the image for dockerfile and terraform (default debian); the shell form finds the store itself.',
    '--out DIR: writes the snippet and the CA file (mtls-tray-<profile id>.crt) into the existing DIR; a file that',
    'is already there unchanged is kept, a different one is refused unless --force (nothing is written then).',
    'A profile without a CA bundle uses the platform trust: the command says so, writes nothing and exits 0.',
  ].join('\n'),
  async run(ctx, { values }) {
    const format = str(values.format) ?? 'dockerfile';
    if (!isTrustFormat(format)) {
      throw new UsageError(`trust snippet: unknown --format "${format}"; use one of ${TRUST_FORMATS.join(', ')}, e.g. mtls-tray trust snippet --format shell`);
    }
    const distro = str(values.distro);
    if (distro !== undefined && !isTrustDistro(distro)) {
      throw new UsageError(`trust snippet: unknown --distro "${distro}"; use one of ${TRUST_DISTROS.join(', ')}, e.g. mtls-tray trust snippet --format ${format === 'shell' ? 'dockerfile' : format} --distro alpine`);
    }
    if (distro !== undefined && format === 'shell') {
      throw new UsageError('trust snippet: --distro applies to --format dockerfile and terraform; the shell form finds the trust store of the system it runs on (drop --distro)');
    }
    const out = str(values.out);
    if (values.force && out === undefined) throw new UsageError('trust snippet: --force only applies with --out DIR');

    const res = await ctx.service.trustSnippet(profileOf(values), { format, ...(distro ? { distro } : {}) });
    if (!res.hasCaBundle || res.snippet === null || res.caPem === null || res.fileName === null || res.caFileName === null) {
      return { json: res, text: out === undefined ? res.message : `${res.message}\nNothing was written to ${ctx.path(out)}.` };
    }
    if (out === undefined) return { json: res, text: res.snippet.trimEnd() };

    // The CA first: the snippet refers to it, so it never appears without it.
    const files = writeFilesIntoDir(
      ctx.path(out),
      [
        { name: res.caFileName, text: res.caPem, mode: 0o644, what: 'CA certificate' },
        { name: res.fileName, text: res.snippet, mode: format === 'shell' ? 0o755 : 0o644, what: FORMAT_WORDS[format] ?? 'snippet' },
      ],
      { force: Boolean(values.force) },
    );
    const lines = files.map((f) => `${f.status === 'unchanged' ? 'Unchanged' : f.status === 'replaced' ? 'Replaced' : 'Wrote'} ${f.path}`);
    return { json: { ...res, files }, text: [...lines, res.message].join('\n') };
  },
};
