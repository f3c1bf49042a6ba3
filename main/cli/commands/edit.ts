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
  summary: 'change a profile: name, CA bundle, alt host, headers, SANs, validity, key algorithm',
  usage: 'edit [--profile NAME] [--name NAME] [--ca-bundle FILE | --no-ca-bundle] [--alt-host HOST | --no-alt-host] [--header NAME=VALUE]... [--remove-header NAME]... [--san SAN]... [--days N] [--key ALG] [--dry-run]',
  options: EDIT_OPTIONS,
  positionals: [0, 0],
  details: [
    'A new CA bundle or new headers make a new generation with the same key and certificate.',
    'Alt host, and having a CA bundle or headers at all, change the editors\' settings: one write per editor, only where a value changes.',
    'SANs, --days and --key apply from the next `renew` (SANs, days) or `rotate` (key); SANs may use {user} and {hostname}.',
    '--dry-run prints the exact settings diff and writes nothing.',
  ].join('\n'),
  async run(ctx, { values }) {
    const req = editRequest(ctx, values);
    const { profileId: _p, dryRun: _d, ...fields } = req;
    if (Object.keys(fields).length === 0) throw new UsageError('edit: nothing to change; give at least one option (see mtls-tray edit --help)');
    const res = await ctx.service.editProfile(req);
    return { json: res, text: formatEdit(res) };
  },
};
