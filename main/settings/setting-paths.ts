/**
 * Comparing what a settings.json says with what we would write, the way the Coder extension
 * reads it: in `coder.tlsCertFile`/`tlsKeyFile`/`tlsCaFile` a user may write `${env:VAR}`, a
 * leading `~` or `${userHome}`, and on Windows `C:/x` and `c:\X` name the same file. Used by
 * the drift comparison (drift.ts), so `settings show`, `status` and the doctor say whether an editor is configured
 * the same way. Pure.
 */
import { envVar, pathApiFor } from './editor-discovery';
import type { CoderKey } from './owned-keys';

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
