/**
 * The real-world inputs of discovery, for the CLI and the app (tests pass their own).
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { discoverEditors, selectTargets, type DiscoveryContext, type EditorTarget, type TargetSelection } from './editor-discovery';

export function processDiscoveryContext(): DiscoveryContext & { cwd: string } {
  return { env: process.env, platform: process.platform, homedir: homedir(), exists: existsSync, cwd: process.cwd() };
}

/** `--editor`/`--settings-file` as the CLI gets them → the files to work on. */
export function targetsFor(sel: TargetSelection, ctx: DiscoveryContext & { cwd: string } = processDiscoveryContext()): EditorTarget[] {
  return selectTargets(discoverEditors(ctx), sel, ctx);
}
