// The on-disk credential store, the scripts the editor runs, and the settings values that
// point at them (DESIGN.md §2-3). Plain Node: no Electron anywhere below this directory.
export { resolveDataDir, APP_DIR_NAME } from './data-dir';
export type { DataDirInput } from './data-dir';
export { Layout, FILE_NAMES, SCRIPT_NAMES } from './layout';
export type { StablePaths } from './layout';
export { CredentialStore, openStore } from './store';
export type { StoreOptions, GenerationFiles, GenerationInfo, CurrentCredentials, WriteMeta } from './store';
export { defaultLayoutKind } from './pointers';
export type { LayoutKind } from './pointers';
export { MIRROR_ORDER } from './active-mirror';
export type { GenerationOperation } from './manifest';
export type { RecoveryReport, StoreLogger } from './recovery';
export { silentLogger } from './recovery';
export { acquireWriterLock, readLockHolder, isHolderAlive } from './writer-lock';
export type { HeldLock, LockHolder, LockOptions } from './writer-lock';
export { validateHeaders, renderHeadersFile, PLACEHOLDERS } from './headers';
export type { HeaderSpec } from './headers';
export { certFacts, keyMatchesCert } from './cert-facts';
export type { CertFacts } from './cert-facts';
export { headerCommandScriptSh, headerCommandScriptCmd, refreshScriptSh, refreshScriptCmd } from './scripts';
export type { CliInvocation } from './scripts';
export { resolveScriptLocation } from './script-location';
export type { ScriptLocation, ScriptLocationInput } from './script-location';
// Renew, rotate and the refresh hook are the renewal use case's (main/services/reissue.ts and
// refresh.ts), built on these primitives.
