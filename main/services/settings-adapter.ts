/** The editor-settings writer (main/settings) as the AppService's SettingsPort. */
import { existsSync } from 'node:fs';
import { applySettingsFile, discoverEditors, readCoderSettings, removeSettingsFile, selectTargets, type SettingsFileResult } from '../settings';
import type { SettingsFileResultDto } from './app-service';
import type { SettingsPort } from './ports';

export function createSettingsPort(o: { env: Readonly<Record<string, string | undefined>>; platform: NodeJS.Platform; homedir: string; backupDir: string }): SettingsPort {
  const discover = () => discoverEditors({ env: o.env, platform: o.platform, homedir: o.homedir, exists: existsSync });
  return {
    discover,
    // The CLI hands absolute paths, so the working directory only matters to other callers.
    select: (sel) => selectTargets(discover(), sel, { platform: o.platform, exists: existsSync, cwd: process.cwd() }),
    async apply(target, desired, opts) {
      return dto(await applySettingsFile(target, { backupDir: o.backupDir, desired, proxyConsent: opts.proxyConsent, dryRun: opts.dryRun, platform: o.platform }));
    },
    async remove(target, opts) {
      return dto(await removeSettingsFile(target, { backupDir: o.backupDir, dryRun: opts.dryRun, platform: o.platform, ...(opts.ownedValues ? { ownedValues: opts.ownedValues } : {}) }));
    },
    async read(target) {
      const snap = await readCoderSettings(target.settingsPath);
      const values = Object.fromEntries(Object.entries(snap.values).filter(([, v]) => v !== undefined));
      return { exists: snap.exists, values };
    },
  };
}

function dto(r: SettingsFileResult): SettingsFileResultDto {
  return {
    editor: r.editor,
    path: r.path,
    changed: r.changed,
    wrote: r.wrote,
    keys: r.keys,
    reloadKeys: r.reloadKeys,
    diff: r.diff,
    notices: [...r.notices, ...r.warnings.map((w) => `${w.code}: ${w.message}. ${w.fix}`)],
    ...(r.error ? { error: r.error } : {}),
  };
}
