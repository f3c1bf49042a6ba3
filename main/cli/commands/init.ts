/** `init`: create a profile (make or import the identity, write it, configure the editors). */
import { isUserError, UserError } from '../../base/errors';
import { DEFAULT_KEY_ALGORITHM, EDITOR_IDS, isKeyAlgorithm, KEY_ALGORITHMS, type EditorId } from '../../base/vocabulary';
import { checkCaBundle } from '../../profiles/share-format';
import type { InitRequest } from '../../services/app-service';
import { list, positiveInt, str, UsageError, type ParsedArgs } from '../args';
import type { Command, CommandContext, CommandResult } from '../command';
import { formatCreated } from '../format';
import { initSource } from '../identity-source';
import { editorsOf, parseHeaders, readProfileSource, settingsRequest, SIDE_SETTINGS_OPTIONS, stripUndef } from '../options';

export const initCommand: Command = {
  name: 'init',
  summary: 'create a profile: make or import the identity, write it, configure the editors',
  usage: 'init --url URL [--name NAME] <source> [--san SAN]... [--key ALG] [--days N] [--ca-bundle FILE] [--alt-host HOST] [--header NAME=VALUE]... [--issuer-command CMD [--issuer-timeout S]] [--editor ID]... [--settings-file PATH]... [--no-settings] [--proxy-support]',
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
    'issuer-command': { type: 'string' },
    'issuer-timeout': { type: 'string' },
    ...SIDE_SETTINGS_OPTIONS,
    yes: { type: 'boolean' },
  },
  // The second positional is --import-pem's KEY (`--import-pem CERT KEY`).
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
    '  {user} and {hostname} in a SAN become your login name and short host name (e.g. --san \'email:{user}@example.com\');',
    '  a shared profile keeps them as placeholders, so each teammate gets a certificate with their own names.',
    `Keys: ${KEY_ALGORITHMS.map((k) => (k === DEFAULT_KEY_ALGORITHM ? `${k} (default)` : k)).join(', ')}. --days: validity (default 30).`,
    '--ca-bundle FILE: CAs that verify the deployment\'s server (becomes coder.tlsCaFile); without it the system trust applies.',
    '--issuer-command CMD: renew a CA-issued profile automatically: CMD (run on this machine through the shell) gets the CSR on stdin and prints the certificate; with --csr the profile is complete as soon as it answers. Never exported.',
    '--proxy-support: also set http.proxySupport to "on" where it is unset or "override" (needed for the client certificate to be sent).',
    `Editors: ${EDITOR_IDS.join(', ')} (default: every installed one).`,
  ].join('\n'),

  async run(ctx, { values: v, positionals }) {
    if (v['import-pem'] !== undefined && positionals.length === 1) v['import-pem'] = [...list(v['import-pem']), positionals[0]!];
    else if (positionals.length) throw new UsageError(`init: unexpected argument "${positionals[0]}"`);
    const url = str(v.url);
    const { identity, profileSource, csrOut, passphrase, passphraseGuessed } = await initSource(v, ctx);
    // Checked before --url and the rest, so the first complaint stays the one it always was.
    const editors = editorsOf(v);
    if (profileSource) return fromProfile(ctx, v, profileSource, { editors, passphrase });
    if (!url) throw new UsageError('init needs --url URL (the address of your Coder deployment)');
    const req = initRequest(ctx, v, { url, identity: identity! });
    const res = await ctx.service.init(req).catch((err: unknown) => {
      if (passphraseGuessed && isUserError(err) && err.code === 'BAD_PASSPHRASE') {
        throw new UserError('BAD_PASSPHRASE', `${str(v['import-p12'])} is protected by a passphrase (it does not open without one).`, 'Give it with --passphrase-file F (use - to read it from stdin).', 'passphrase');
      }
      throw err;
    });
    if (csrOut && res.csrPem) ctx.writeFile(csrOut, res.csrPem, 0o644);
    return {
      json: { ...res, ...(csrOut ? { csrFile: csrOut } : {}) },
      text: formatCreated(res) + (csrOut ? `\nCertificate request written to ${csrOut}; send it to your CA, then run: mtls-tray csr import-cert CERT.pem` : ''),
    };
  },
};

/** --from-profile: an import that shows what the profile sets first (no question: init is the consent). */
async function fromProfile(ctx: CommandContext, v: ParsedArgs['values'], source: string, { editors, passphrase }: { editors: EditorId[] | undefined; passphrase: string | undefined }): Promise<CommandResult> {
  const common = { editors, noSettings: Boolean(v['no-settings']), proxyConsent: Boolean(v['proxy-support']) };
  // --san and --name override the shared profile's SAN template and name.
  const overrides = stripUndef({ name: str(v.name), sans: list(v.san).length ? list(v.san) : undefined });
  const text = readProfileSource(source, ctx);
  const preview = await ctx.service.previewImport(text, overrides);
  if (!ctx.json) ctx.stdout(`${preview.review.join('\n')}\n`);
  const res = await ctx.service.importProfile(text, { ...overrides, ...stripUndef(common), ...(passphrase !== undefined ? { passphrase } : {}) });
  return { json: res, text: formatCreated(res) };
}

function initRequest(ctx: CommandContext, v: ParsedArgs['values'], req: InitRequest): InitRequest {
  const name = str(v.name);
  if (name) req.name = name;
  const sans = list(v.san);
  if (sans.length) req.sans = sans;
  const key = str(v.key);
  if (key !== undefined) {
    if (!isKeyAlgorithm(key)) throw new UsageError(`--key must be one of ${KEY_ALGORITHMS.join(', ')}, not "${key}"`);
    req.keyAlgorithm = key;
  }
  const days = positiveInt(str(v.days), '--days', 3650);
  if (days !== undefined) req.days = days;
  const ca = str(v['ca-bundle']);
  // Checked here too, so a bad bundle is reported with its file name.
  if (ca) req.caBundlePem = checkCaBundle(ctx.readText(ca, 'CA bundle'), `the CA bundle ${ctx.path(ca)}`);
  const alt = str(v['alt-host']);
  if (alt) req.altHost = alt;
  const headers = list(v.header);
  if (headers.length) req.headers = parseHeaders(headers);
  const issuer = str(v['issuer-command']);
  if (issuer !== undefined) req.issuerCommand = issuer;
  const issuerTimeout = positiveInt(str(v['issuer-timeout']), '--issuer-timeout', 3600);
  if (issuerTimeout !== undefined) req.issuerTimeoutSeconds = issuerTimeout;
  Object.assign(req, settingsRequest(v, ctx));
  if (v['no-settings']) req.noSettings = true;
  return req;
}
