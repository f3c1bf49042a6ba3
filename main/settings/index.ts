/**
 * Editor settings: discovery of every VS Code-family user settings.json, and one-write
 * apply/remove of the keys mtls-tray owns. No Electron here: the CLI and tests run it on Node.
 */
export { CODER_KEYS, OWNED_KEYS, PROXY_SUPPORT_KEY, isCoderKey, proxySupportKeepsAgent, proxySupportNeedsChange } from './owned-keys';
export type { CoderKey, DesiredCoderSettings, OwnedKey } from './owned-keys';
export { codeServerUserDataDir, customSettingsTarget, desktopAppDataDir, discoverEditors, selectTargets } from './editor-discovery';
export type { DiscoveryContext, EditorTarget, TargetSelection } from './editor-discovery';
export { DEFAULT_MAX_ATTEMPTS, applySettings, applySettingsFile, removeSettings, removeSettingsFile } from './apply-settings';
export type { ApplyRequest, RemoveRequest } from './apply-settings';
export type { SettingsFileResult, SettingsWarning } from './settings-result';
export type { KeyChange } from './settings-update';
export type { ValueState } from './jsonc-text';
export { describeEditor, readCoderSettings } from './read-coder-settings';
export type { CoderSettingsSnapshot, EditorSettingsState } from './read-coder-settings';
export { processDiscoveryContext, targetsFor } from './discovery-context';
export { expandSettingPath, samePath } from './setting-paths';
export type { PathContext } from './setting-paths';
export { coderSettingsMatch, describeSettingDrift, sameSettingValue, settingsDrift } from './drift';
export type { SettingDrift, SettingsMatch } from './drift';
