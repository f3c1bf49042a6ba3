// The coder.* settings that point the Coder extension at the store (DESIGN.md §1, §4).
// Pure: from the stable paths to the values, quoted for the shell that will run them.
// The editor-settings writer (another module) decides how to write them.
import type { CoderKey } from './owned-keys';
import type { StablePaths } from '../store/layout';
import { quoteCmdIfNeeded, quotePosixIfNeeded } from '../base/shell-quote';

/** The keys we set: the settings writer's own list, so the two can never disagree. */
export { CODER_KEYS as SETTING_KEYS } from './owned-keys';
export type SettingKey = CoderKey;

export interface SettingsValuesInput {
  paths: Pick<StablePaths, 'cert' | 'key' | 'ca' | 'headerCommand' | 'refreshCommand'>;
  platform: NodeJS.Platform;
  /** Whether the active profile has a CA bundle (ca.crt). Without one the key stays unset:
   *  an empty or absent CA file would replace the platform's trust store. */
  hasCa: boolean;
  altHost?: string | null | undefined;
  /** Whether the active profile has at least one header. Without one coder.headerCommand stays
   *  unset, so the extension starts no process per request (DESIGN §3); the script stays installed. */
  hasHeaders: boolean;
  /** The store's scriptLocation.notice, when the scripts had to move out of a `%` path. */
  scriptNotice?: string | undefined;
}

export interface SettingsValues {
  /** undefined = the key must be absent from settings.json. */
  values: Record<SettingKey, string | undefined>;
  notices: string[];
}

/** A script path as the extension's child_process.exec will run it: sh -c, or cmd.exe on Windows. */
export function commandValue(scriptPath: string, platform: NodeJS.Platform): string {
  return platform === 'win32' ? quoteCmdIfNeeded(scriptPath) : quotePosixIfNeeded(scriptPath);
}

export function settingsValues(i: SettingsValuesInput): SettingsValues {
  const notices: string[] = i.scriptNotice ? [i.scriptNotice] : [];
  // The extension expands ${userHome}, ${env:X} and a leading ~ in these paths.
  for (const [what, path] of [['certificate', i.paths.cert], ['header command', i.paths.headerCommand]] as const) {
    if (/\$\{(userHome|env:)/.test(path)) {
      notices.push(`The ${what} path ${path} contains "\${", which the Coder extension would expand as a variable; choose a data directory without it.`);
    }
  }
  const altHost = i.altHost?.trim();
  return {
    values: {
      'coder.tlsCertFile': i.paths.cert,
      'coder.tlsKeyFile': i.paths.key,
      'coder.tlsCaFile': i.hasCa ? i.paths.ca : undefined,
      'coder.tlsAltHost': altHost ? altHost : undefined,
      'coder.headerCommand': i.hasHeaders ? commandValue(i.paths.headerCommand, i.platform) : undefined,
      'coder.tlsCertRefreshCommand': commandValue(i.paths.refreshCommand, i.platform),
    },
    notices,
  };
}
