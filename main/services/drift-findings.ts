/**
 * Drift findings as the service reports them (issue 17): the settings layer's and the store's
 * sentences (settings/drift.ts, store/published.ts) with the source that Restore and Keep
 * theirs name and the terminal command that fixes them. Used by status, the drift report and
 * the tray's watch, so they all say the same thing.
 */
import { DRIFT_FILES_SOURCE } from '../base/vocabulary';
import { quotePosixIfNeeded } from '../base/shell-quote';
import { describeSettingDrift, settingsDrift } from '../settings/drift';
import type { PathContext } from '../settings/setting-paths';
import { describePublishedDrift, type PublishedDrift } from '../store/published';
import type { DriftFindingDto } from './app-service';
import type { ServiceContext } from './context';
import type { EditorTarget } from './ports';

/** The source that names the data dir's published files (an editor's is its settings.json path). */
export const FILES_SOURCE = DRIFT_FILES_SOURCE;

export function pathContext(ctx: ServiceContext): PathContext {
  return { platform: ctx.platform, env: ctx.env, homedir: ctx.homedir };
}

/** `mtls-tray settings apply --editor ID` (or `--settings-file PATH` for a file named by path). */
export function applyCommandFor(t: Pick<EditorTarget, 'id' | 'settingsPath'>): string {
  return t.id === 'custom' ? `mtls-tray settings apply --settings-file ${quotePosixIfNeeded(t.settingsPath)}` : `mtls-tray settings apply --editor ${t.id}`;
}

/** The drifted coder.* keys of a managed editor, worded once. */
export function settingFindings(ctx: ServiceContext, t: Pick<EditorTarget, 'id' | 'name' | 'settingsPath'>, values: Readonly<Record<string, unknown>>, desired: Record<string, string | undefined>): DriftFindingDto[] {
  const fix = `Restore in mtls-tray's window, or run \`${applyCommandFor(t)}\` (one write); to keep these values, choose Keep theirs`;
  return settingsDrift(values, desired, pathContext(ctx)).map((d) => ({ source: t.settingsPath, kind: 'setting', what: d.key, message: describeSettingDrift(d, t.name, true), fix }));
}

export const FILES_FIX = 'Restore in mtls-tray\'s window, or run `mtls-tray settings apply`: both re-publish the active generation (or, when its own files were changed, the newest intact one) and the scripts';

/** When re-publishing leaves something: what it cannot do, and what the user can. */
export const REPUBLISH_LEFT = 'There is no intact generation to publish it from (or something that is not mtls-tray\'s is in the way): put the file back, or make the identity again with `mtls-tray init`; `mtls-tray doctor` shows what is left.';

export function fileFindings(drift: readonly PublishedDrift[]): DriftFindingDto[] {
  return drift.map((d) => ({ source: FILES_SOURCE, kind: 'file', what: d.path, message: describePublishedDrift(d), fix: FILES_FIX }));
}
