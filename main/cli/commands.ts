/**
 * The command table of DESIGN.md §5: each command's options, usage and help text, and the
 * function that runs it against the AppService. Reading files named on the command line
 * happens here (so errors name the file); everything else is the service's job.
 */
import type { CommandSpec } from './args';

const profileOpt = { profile: { type: 'string' } } as const;
const settingsOpts = {
  editor: { type: 'string', multiple: true },
  'settings-file': { type: 'string', multiple: true },
  'dry-run': { type: 'boolean' },
  'proxy-support': { type: 'boolean' },
} as const;

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'init',
    summary: 'create a profile: make or import the identity, write it, configure the editors',
    usage: 'init --url URL [--name NAME] <source> [--san SAN]... [--key ALG] [--days N] [--ca-bundle FILE] [--alt-host HOST] [--header NAME=VALUE]... [--editor ID]... [--settings-file PATH]... [--no-settings] [--proxy-support]',
    options: {
      url: { type: 'string' },
      name: { type: 'string' },
      'self-signed': { type: 'boolean' },
      csr: { type: 'string' },
      'local-ca': { type: 'boolean' },
      'import-pem': { type: 'string', multiple: true },
      chain: { type: 'string' },
      'import-p12': { type: 'string' },
      'passphrase-file': { type: 'string' },
      'from-profile': { type: 'string' },
      san: { type: 'string', multiple: true },
      key: { type: 'string' },
      days: { type: 'string' },
      'ca-bundle': { type: 'string' },
      'alt-host': { type: 'string' },
      header: { type: 'string', multiple: true },
      editor: { type: 'string', multiple: true },
      'settings-file': { type: 'string', multiple: true },
      'no-settings': { type: 'boolean' },
      'proxy-support': { type: 'boolean' },
      yes: { type: 'boolean' },
    },
    positionals: [0, 1],
    details: [
      'Sources (exactly one):',
      '  --self-signed                 a new key and a self-signed client certificate',
      '  --csr OUT.csr                 a new key and a certificate request for your CA; finish with `csr import-cert`',
      '  --local-ca                    a local CA on this machine that issues your certificate (and can sign teammates\' CSRs)',
      '  --import-pem CERT KEY         an existing certificate and key (PEM; PKCS#1, PKCS#8, SEC1 or encrypted PKCS#8); --chain FILE',
      '  --import-p12 FILE             a PKCS#12 (.p12/.pfx) file; --passphrase-file F (or - for stdin)',
      '  --from-profile FILE           a teammate\'s .mtlsprofile file or mtls-tray:// link',
      'SANs: DNS:name, IP:addr, email:addr, URI:uri; a bare value is guessed (IP, e-mail, URI, else DNS).',
      'Keys: ecdsa-p256 (default), ecdsa-p384, rsa-2048, rsa-3072, rsa-4096. --days: validity (default 30).',
      '--ca-bundle FILE: CAs that verify the deployment\'s server (becomes coder.tlsCaFile); without it the system trust applies.',
      '--proxy-support: also set http.proxySupport to "on" where it is unset or "override" (needed for the client certificate to be sent).',
      'Editors: code, code-insiders, vscodium, cursor, windsurf, code-server (default: every installed one).',
    ].join('\n'),
  },
  { name: 'status', summary: 'certificate report with warnings', usage: 'status [--profile NAME]', options: profileOpt, positionals: [0, 0] },
  { name: 'renew', summary: 'same key, new certificate', usage: 'renew [--profile NAME]', options: profileOpt, positionals: [0, 0] },
  { name: 'rotate', summary: 'new key and certificate', usage: 'rotate [--profile NAME]', options: profileOpt, positionals: [0, 0] },
  {
    name: 'refresh',
    summary: 'for coder.tlsCertRefreshCommand: renew if needed; exit 0 only with valid credentials in place',
    usage: 'refresh',
    options: {},
    positionals: [0, 0],
  },
  { name: 'switch', summary: 'make another profile the active one', usage: 'switch NAME', options: {}, positionals: [1, 1] },
  { name: 'rollback', summary: 'make the previous generation current again', usage: 'rollback [--profile NAME]', options: profileOpt, positionals: [0, 0] },
  { name: 'list', summary: 'list profiles', usage: 'list', options: {}, positionals: [0, 0] },
  {
    name: 'csr import-cert',
    summary: 'complete a --csr profile with the certificate your CA issued',
    usage: 'csr import-cert FILE [--profile NAME] [--editor ID]... [--settings-file PATH]... [--no-settings] [--proxy-support]',
    options: { ...profileOpt, editor: { type: 'string', multiple: true }, 'settings-file': { type: 'string', multiple: true }, 'no-settings': { type: 'boolean' }, 'proxy-support': { type: 'boolean' } },
    positionals: [1, 1],
  },
  {
    name: 'csr show',
    summary: 'print the pending certificate request of a --csr profile',
    usage: 'csr show [--profile NAME]',
    options: profileOpt,
    positionals: [0, 0],
  },
  {
    name: 'ca sign',
    summary: "a --local-ca profile signs a teammate's CSR",
    usage: 'ca sign CSR --out CERT [--days N] [--allow-san PATTERN]... [--profile NAME]',
    options: { out: { type: 'string' }, days: { type: 'string' }, 'allow-san': { type: 'string', multiple: true }, ...profileOpt },
    positionals: [1, 1],
    details: 'SANs copied from the CSR: by default its DNS, email and URI names (IP SANs are refused); with --allow-san only those matching a pattern such as "email:*@example.com" (* matches within the value).',
  },
  {
    name: 'ca cert',
    summary: "the local CA's certificate, for the server's client-CA list",
    usage: 'ca cert [--out FILE] [--profile NAME]',
    options: { out: { type: 'string' }, ...profileOpt },
    positionals: [0, 0],
  },
  {
    name: 'export',
    summary: 'write the profile for a teammate (.mtlsprofile; no private key unless --with-identity)',
    usage: 'export [--profile NAME] --out FILE [--with-identity --passphrase-file F] | export --link',
    options: { ...profileOpt, out: { type: 'string' }, 'with-identity': { type: 'boolean' }, 'passphrase-file': { type: 'string' }, link: { type: 'boolean' } },
    positionals: [0, 0],
  },
  {
    name: 'import',
    summary: "import a teammate's profile file or mtls-tray:// link (shows what it sets, asks unless --yes)",
    usage: 'import FILE|LINK [--yes] [--passphrase-file F] [--editor ID]... [--settings-file PATH]... [--no-settings] [--proxy-support]',
    options: {
      yes: { type: 'boolean' },
      'passphrase-file': { type: 'string' },
      editor: { type: 'string', multiple: true },
      'settings-file': { type: 'string', multiple: true },
      'no-settings': { type: 'boolean' },
      'proxy-support': { type: 'boolean' },
    },
    positionals: [1, 1],
  },
  { name: 'doctor', summary: 'probe the deployment: is it my certificate, the server, or the editor?', usage: 'doctor [--profile NAME]', options: profileOpt, positionals: [0, 0] },
  { name: 'settings apply', summary: 'point the editors at the stable paths (one write per file)', usage: 'settings apply [--editor ID]... [--settings-file PATH]... [--dry-run] [--proxy-support]', options: settingsOpts, positionals: [0, 0] },
  { name: 'settings show', summary: 'the coder.* settings of every editor', usage: 'settings show [--editor ID]... [--settings-file PATH]...', options: settingsOpts, positionals: [0, 0] },
  { name: 'settings remove', summary: 'put back what the settings were before mtls-tray', usage: 'settings remove [--editor ID]... [--settings-file PATH]... [--dry-run]', options: settingsOpts, positionals: [0, 0] },
];

export function globalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'mtls-tray: a client certificate for Coder behind mutual TLS that keeps working.',
    '',
    'Usage: mtls-tray [--data-dir DIR] [--json] <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Global options (before or after the command):',
    '  --data-dir DIR   where profiles and credentials live (env MTLS_TRAY_HOME; default per platform)',
    '  --json           machine-readable output on stdout, errors as JSON on stderr',
    '  -h, --help       help for mtls-tray or for one command',
    '',
    'Exit status: 0 success, 1 failure, 2 bad usage.',
  ].join('\n');
}

export function commandHelp(spec: CommandSpec): string {
  return [`Usage: mtls-tray ${spec.usage}`, '', spec.summary, ...(spec.details ? ['', spec.details] : [])].join('\n');
}
