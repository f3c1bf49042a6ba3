/**
 * The settings mtls-tray owns in a user settings.json, and the shape of the state a caller
 * asks for. Only these top-level keys are ever added, changed or removed; everything else in
 * the file is the user's and is left byte for byte as it was.
 */

/** The Coder extension's client-TLS settings (all `scope: application`: user settings only). */
export const CODER_KEYS = [
  'coder.tlsCertFile',
  'coder.tlsKeyFile',
  'coder.tlsCaFile',
  'coder.tlsAltHost',
  'coder.headerCommand',
  'coder.tlsCertRefreshCommand',
] as const;

export type CoderKey = (typeof CODER_KEYS)[number];

/** VS Code's proxy switch: anything but `on`/`off` replaces the extension's agent (no client cert). */
export const PROXY_SUPPORT_KEY = 'http.proxySupport';

/** Every key we may write: the Coder keys in the order we insert them, then the proxy switch. */
export const OWNED_KEYS = [...CODER_KEYS, PROXY_SUPPORT_KEY] as const;

export type OwnedKey = (typeof OWNED_KEYS)[number];

/**
 * What the caller wants: for each Coder key it lists, a string value, or `undefined`/`null`
 * meaning "must be absent" (e.g. `coder.tlsCaFile` for a profile without a CA bundle). Keys it
 * does not list are left alone, whatever their value.
 */
export type DesiredCoderSettings = Partial<Record<CoderKey, string | null | undefined>>;

/** Values of `http.proxySupport` for which VS Code leaves an extension's own agent in place. */
export function proxySupportKeepsAgent(value: unknown): boolean {
  return value === 'on' || value === 'off';
}

/**
 * Values we replace with `on` when the user consents: unset (VS Code's default is `override`),
 * `override` and `fallback`. Both of the latter make @vscode/proxy-agent swap in its own agent
 * even when the caller passed one, so the client certificate is not sent.
 */
export function proxySupportNeedsChange(value: unknown): boolean {
  return value === undefined || value === 'override' || value === 'fallback';
}

export function isCoderKey(key: string): key is CoderKey {
  return (CODER_KEYS as readonly string[]).includes(key);
}

/** `desired[key]` is listed (even as undefined/null): the caller wants a say over that key. */
export function listsKey(desired: DesiredCoderSettings, key: CoderKey): boolean {
  return Object.prototype.hasOwnProperty.call(desired, key);
}
