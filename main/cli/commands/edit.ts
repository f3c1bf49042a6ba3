/**
 * `edit`: change a profile after init (DESIGN §2.1). A new CA bundle or new headers make a new
 * generation (same key, same certificate); alt host and having a CA bundle or headers at all
 * change the editors' settings (one write per editor, only when a value changes); SANs,
 * validity and key algorithm apply from the next renew or rotate. --dry-run shows the diff.
 */
import { isKeyAlgorithm, KEY_ALGORITHMS } from '../../base/vocabulary';
import type { EditRequest, EditResultDto } from '../../services/app-service';
import { list, positiveInt, str, UsageError, type ParsedArgs } from '../args';
import type { Command, CommandContext } from '../command';
import { formatSettingsResults } from '../format';
import { parseHeaders, PROFILE_OPTION, profileOf } from '../options';

/**
 * Options are a table so others can add theirs (e.g. --issuer-command) without touching the
 * rest: each reads its values into the request.
 */
export const EDIT_OPTIONS = {
  ...PROFILE_OPTION,
  name: { type: 'string' },
  'ca-bundle': { type: 'string' },
  'no-ca-bundle': { type: 'boolean' },
  'alt-host': { type: 'string' },
  'no-alt-host': { type: 'boolean' },
  header: { type: 'string', multiple: true },
  'remove-header': { type: 'string', multiple: true },
  san: { type: 'string', multiple: true },
  days: { type: 'string' },
  key: { type: 'string' },
  'dry-run': { type: 'boolean' },
  'issuer-command': { type: 'string' },
  'no-issuer-command': { type: 'boolean' },
  'issuer-timeout': { type: 'string' },
} as const;

export function editRequest(ctx: CommandContext, v: ParsedArgs['values']): EditRequest {
  const req: EditRequest = {};
  const profile = profileOf(v);
  if (profile !== undefined) req.profileId = profile;
  const name = str(v.name);
  if (name !== undefined) req.name = name;
  const ca = str(v['ca-bundle']);
  if (ca !== undefined && v['no-ca-bundle']) throw new UsageError('edit: give either --ca-bundle FILE or --no-ca-bundle');
  if (ca !== undefined) req.caBundlePem = ctx.readText(ca, 'CA bundle');
  if (v['no-ca-bundle']) req.caBundlePem = null;
  const alt = str(v['alt-host']);
  if (alt !== undefined && v['no-alt-host']) throw new UsageError('edit: give either --alt-host HOST or --no-alt-host');
  if (alt !== undefined) req.altHost = alt;
  if (v['no-alt-host']) req.altHost = null;
  const headers = list(v.header);
  if (headers.length) req.setHeaders = parseHeaders(headers);
  const remove = list(v['remove-header']);
  if (remove.length) req.removeHeaders = remove;
  const sans = list(v.san);
  if (sans.length) req.sans = sans;
  const days = positiveInt(str(v.days), '--days', 3650);
  if (days !== undefined) req.days = days;
  const key = str(v.key);
  if (key !== undefined) {
    if (!isKeyAlgorithm(key)) throw new UsageError(`--key must be one of ${KEY_ALGORITHMS.join(', ')}, not "${key}"`);
    req.keyAlgorithm = key;
  }
  if (v['dry-run']) req.dryRun = true;
  return req;
}

export function formatEdit(res: EditResultDto): string {
  const p = res.profile;
  const lines = [`${res.dryRun ? 'Would change' : 'Changed'} profile ${p.name} (${p.id}): ${res.changed.length ? res.changed.join(', ') : 'nothing'}.`];
  if (res.newGeneration) lines.push(res.dryRun ? 'A new generation would be made (same key, same certificate).' : `New generation ${res.generation} (same key, same certificate).`);
  if (res.settings.length) lines.push(formatSettingsResults(res.settings, res.dryRun));
  else if (res.changed.length) lines.push('Editor settings: no change.');
  for (const n of res.notices) lines.push(`note: ${n}`);
  return lines.join('\n');
}

export const editCommand: Command = {
  name: 'edit',
  summary: 'change a profile: name, CA bundle, alt host, headers, SANs, validity, key algorithm, issuer command',
  usage: 'edit [--profile NAME] [--name NAME] [--ca-bundle FILE | --no-ca-bundle] [--alt-host HOST | --no-alt-host] [--header NAME=VALUE]... [--remove-header NAME]... [--san SAN]... [--days N] [--key ALG] [--issuer-command CMD | --no-issuer-command] [--issuer-timeout SECONDS] [--dry-run]',
  options: EDIT_OPTIONS,
  positionals: [0, 0],
  details: [
    'A new CA bundle or new headers make a new generation with the same key and certificate.',
    'Alt host, and having a CA bundle or headers at all, change the editors\' settings: one write per editor, only where a value changes.',
    'SANs, --days and --key apply from the next `renew` (SANs, days) or `rotate` (key); SANs may use {user} and {hostname}.',
    '--dry-run prints the exact settings diff and writes nothing.',
    '--issuer-command CMD: renew this CA-issued profile automatically (tray, scheduler, refresh hook, `renew`).',
    '  CMD runs on this machine through the shell, with the certificate request (PEM) on stdin and',
    '  MTLS_TRAY_PROFILE, MTLS_TRAY_URL, MTLS_TRAY_CSR_FILE in its environment; it must print the issued',
    '  certificate (PEM, leaf first, optional chain) and exit 0. It is stored on this machine only and never exported.',
    '--issuer-timeout SECONDS: how long it may take (default 120).',
  ].join('\n'),
  async run(ctx, { values }) {
    const req = editRequest(ctx, values);
    const issuer = issuerChange(values);
    const { profileId: _p, dryRun: _d, ...fields } = req;
    if (Object.keys(fields).length === 0 && issuer === null) throw new UsageError('edit: nothing to change; give at least one option (see mtls-tray edit --help)');
    if (issuer !== null && req.dryRun) throw new UsageError('edit: --dry-run shows settings changes; the issuer command changes no setting, so set it without --dry-run');
    // The issuer command is local trust, kept beside profile.json (never in it): its own call.
    const set = issuer === null ? null : await ctx.service.setIssuerCommand(req.profileId, issuer);
    if (Object.keys(fields).length === 0) return { json: set, text: set!.message };
    const res = await ctx.service.editProfile(req);
    return { json: set ? { ...res, issuerCommand: set.issuerCommand } : res, text: [formatEdit(res), ...(set ? [set.message] : [])].join('\n') };
  },
};

/** --issuer-command CMD | --no-issuer-command, --issuer-timeout S: null when none is given. */
function issuerChange(v: ParsedArgs['values']): { command?: string | null; timeoutSeconds?: number } | null {
  const command = str(v['issuer-command']);
  const remove = Boolean(v['no-issuer-command']);
  const timeout = positiveInt(str(v['issuer-timeout']), '--issuer-timeout', 3600);
  if (command !== undefined && remove) throw new UsageError('edit: --issuer-command and --no-issuer-command exclude each other');
  if (command === undefined && !remove && timeout === undefined) return null;
  return { ...(remove ? { command: null } : command !== undefined ? { command } : {}), ...(timeout !== undefined ? { timeoutSeconds: timeout } : {}) };
}
