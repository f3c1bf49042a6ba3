/**
 * Comparing what a settings.json says with what we would write, the way the Coder extension
 * reads it: in `coder.tlsCertFile`/`tlsKeyFile`/`tlsCaFile` a user may write `${env:VAR}`, a
 * leading `~` or `${userHome}`, and on Windows `C:/x` and `c:\X` name the same file. Used by
 * `settings show` and the doctor to say whether an editor is configured. Pure.
 */
import { envVar, pathApiFor } from './editor-discovery';
import { CODER_KEYS, listsKey, type CoderKey, type DesiredCoderSettings } from './owned-keys';

export interface PathContext {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  homedir: string;
}

/** The keys whose values are file paths (the rest are commands or a host name). */
export const PATH_KEYS: readonly CoderKey[] = ['coder.tlsCertFile', 'coder.tlsKeyFile', 'coder.tlsCaFile'];

/**
 * Expands a path setting like the extension does: `${env:VAR}` first (unset → empty), then a
 * leading `~`, then every `${userHome}`.
 */
export function expandSettingPath(value: string, ctx: PathContext): string {
  const withEnv = value.replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => envVar(ctx, name) ?? '');
  const withTilde = withEnv.startsWith('~') ? ctx.homedir + withEnv.slice(1) : withEnv;
  return withTilde.split('${userHome}').join(ctx.homedir);
}

/** Same file name after normalisation; case-insensitive on Windows and macOS (their default filesystems). */
export function samePath(a: string, b: string, platform: NodeJS.Platform): boolean {
  const p = pathApiFor(platform);
  const na = p.normalize(a);
  const nb = p.normalize(b);
  return platform === 'win32' || platform === 'darwin' ? na.toLowerCase() === nb.toLowerCase() : na === nb;
}

export interface SettingsMatch {
  /** Every key the caller lists has the wanted value. */
  configured: boolean;
  mismatched: CoderKey[];
}

/**
 * Whether `values` (from readCoderSettings) already say what `desired` says. An empty string
 * counts as unset, as it does for the extension.
 */
export function coderSettingsMatch(values: Readonly<Record<string, unknown>>, desired: DesiredCoderSettings, ctx: PathContext): SettingsMatch {
  const mismatched: CoderKey[] = [];
  for (const key of CODER_KEYS) {
    if (!listsKey(desired, key)) continue;
    const want = desired[key];
    const have = values[key];
    const haveSet = typeof have === 'string' && have !== '';
    let ok: boolean;
    if (want === undefined || want === null) ok = !haveSet && (have === undefined || have === '' || have === null);
    else if (!haveSet) ok = false;
    else if (PATH_KEYS.includes(key)) ok = samePath(expandSettingPath(have, ctx), expandSettingPath(want, ctx), ctx.platform);
    else if (key === 'coder.tlsAltHost') ok = have.toLowerCase() === want.toLowerCase();
    else ok = have === want;
    if (!ok) mismatched.push(key);
  }
  return { configured: mismatched.length === 0, mismatched };
}
