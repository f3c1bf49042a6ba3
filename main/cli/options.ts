/**
 * Options several commands share, declared once so their spelling and parsing cannot drift
 * apart: --profile, the editor-settings flags, and turning their values into service requests.
 */
import { EDITOR_IDS, isEditorId, type EditorId } from '../base/vocabulary';
import type { AppService, OperationResultDto, SettingsRequest } from '../services/app-service';
import { list, str, UsageError, type ParsedArgs } from './args';
import type { Command, CommandContext, CommandResult } from './command';
import { formatSettingsResults } from './format';

export const PROFILE_OPTION = { profile: { type: 'string' } } as const;

/** Which settings files a command writes: the editors found, or the ones named. */
export const EDITOR_OPTIONS = {
  editor: { type: 'string', multiple: true },
  'settings-file': { type: 'string', multiple: true },
} as const;

export const SETTINGS_OPTIONS = { ...EDITOR_OPTIONS, 'dry-run': { type: 'boolean' }, 'proxy-support': { type: 'boolean' } } as const;

/** For commands that configure the editors as a side effect (init, import, csr import-cert). */
export const SIDE_SETTINGS_OPTIONS = { ...EDITOR_OPTIONS, 'no-settings': { type: 'boolean' }, 'proxy-support': { type: 'boolean' } } as const;

export function profileOf(values: ParsedArgs['values']): string | undefined {
  return str(values.profile);
}

/**
 * A command whose only option is --profile (renew, rotate, rollback, status, doctor, csr show):
 * the spec's usage line is derived from its name, and `run` gets the profile asked for.
 */
export function profileCommand(c: { name: string; summary: string; run(ctx: CommandContext, profile: string | undefined): Promise<CommandResult> }): Command {
  return {
    name: c.name,
    summary: c.summary,
    usage: `${c.name} [--profile NAME]`,
    options: PROFILE_OPTION,
    positionals: [0, 0],
    run: (ctx, { values }) => c.run(ctx, profileOf(values)),
  };
}

export function editorsOf(values: ParsedArgs['values']): EditorId[] | undefined {
  const ids = list(values.editor);
  if (ids.length === 0) return undefined;
  for (const id of ids) {
    if (!isEditorId(id)) throw new UsageError(`unknown editor "${id}"; use one of ${EDITOR_IDS.join(', ')}`);
  }
  return ids as EditorId[];
}

/** The editor-settings flags as the service takes them (init adds --no-settings itself). */
export function settingsRequest(values: ParsedArgs['values'], ctx: CommandContext): SettingsRequest {
  const req: SettingsRequest = {};
  const editors = editorsOf(values);
  if (editors) req.editors = editors;
  const files = list(values['settings-file']).map((f) => ctx.path(f));
  if (files.length) req.settingsFiles = files;
  if (values['dry-run']) req.dryRun = true;
  if (values['proxy-support']) req.proxyConsent = true;
  return req;
}

/** A profile to import: an mtls-tray:// link as it is, anything else the name of a file. */
export function readProfileSource(source: string, ctx: CommandContext): string {
  return source.startsWith('mtls-tray://') ? source : ctx.readText(source, 'profile file');
}

export function stripUndef<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) as Partial<T>;
}

/** settings apply and settings remove: one write per file, or with --dry-run the diff it would make. */
export async function changeSettings(ctx: CommandContext, values: ParsedArgs['values'], change: 'applySettings' | 'removeSettings'): Promise<CommandResult> {
  const req = settingsRequest(values, ctx);
  const res = await ctx.service[change](req);
  return { json: res, text: formatSettingsResults(res, Boolean(req.dryRun)) };
}

/** renew, rotate, rollback: one generation swap of a profile, reported by the service's own sentence. */
export function generationCommand(name: string, summary: string, op: (service: AppService, profile: string | undefined) => Promise<OperationResultDto>): Command {
  return profileCommand({
    name,
    summary,
    async run({ service }, profile) {
      const res = await op(service, profile);
      return { json: res, text: res.message };
    },
  });
}

/** --header NAME=VALUE, as the service takes headers (it checks names and values). */
export function parseHeaders(raw: string[]): Array<{ name: string; value: string }> {
  return raw.map((h) => {
    const i = h.indexOf('=');
    if (i <= 0) throw new UsageError(`--header must be NAME=VALUE, not "${h}"`);
    return { name: h.slice(0, i), value: h.slice(i + 1) };
  });
}

/** settings apply, remove and show: the same editor-settings options, no positionals. */
export function settingsCommand(name: string, summary: string, usage: string, run: (ctx: CommandContext, values: ParsedArgs['values']) => Promise<CommandResult>): Command {
  return { name, summary, usage, options: SETTINGS_OPTIONS, positionals: [0, 0], run: (ctx, { values }) => run(ctx, values) };
}
