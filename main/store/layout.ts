// The on-disk layout of DESIGN.md §2, as pure path arithmetic. Every path the editor sees
// goes through `active/current/`, so renew, rotate and rollback never change a setting.
import type { posix } from 'node:path';
import { pathApiFor } from './data-dir';
import { assertProfileId, isProfileId } from '../base/profile-id';

export const FILE_NAMES = {
  cert: 'client.crt',
  key: 'client.key',
  ca: 'ca.crt',
  headers: 'headers',
  manifest: 'generation.json',
} as const;

export const SCRIPT_NAMES = {
  headerCommand: 'coder-header-command',
  refresh: 'coder-cert-refresh',
} as const;


/** The paths editor settings point at; they never change while the data dir stays put. */
export interface StablePaths {
  dataDir: string;
  cert: string;
  key: string;
  ca: string;
  headers: string;
  /** The scripts; outside the data dir when its path contains `%` (see script-location.ts). */
  headerCommand: string;
  refreshCommand: string;
}

export class Layout {
  readonly p: typeof posix;
  constructor(
    readonly dataDir: string,
    readonly platform: NodeJS.Platform,
    /** Directory of the two scripts: `<data>/bin` unless relocated. */
    readonly scriptDir: string,
  ) {
    this.p = pathApiFor(platform);
  }

  get binDir(): string { return this.p.join(this.dataDir, 'bin'); }
  get profilesDir(): string { return this.p.join(this.dataDir, 'profiles'); }
  /** The `active` symlink of the links layout; a real directory in the fixed layout. */
  get activeLink(): string { return this.p.join(this.dataDir, 'active'); }
  /** Fixed layout: the file naming the active profile (the links layout's `active` link). */
  get activeProfileFile(): string { return this.p.join(this.dataDir, 'active-profile'); }
  get lockFile(): string { return this.p.join(this.dataDir, 'writer.lock'); }
  get activeCurrentDir(): string { return this.p.join(this.dataDir, 'active', 'current'); }

  profileDir(id: string): string { return this.p.join(this.profilesDir, assertProfileId(id)); }
  generationsDir(id: string): string { return this.p.join(this.profileDir(id), 'generations'); }
  generationDir(id: string, n: number): string { return this.p.join(this.generationsDir(id), String(n)); }
  /** `current`: a symlink in the links layout, a file holding the number in the fixed one. */
  currentLink(id: string): string { return this.p.join(this.profileDir(id), 'current'); }

  /** Link targets are relative so the whole data dir can be moved or restored from a backup. */
  activeTarget(id: string): string { return this.p.join('profiles', assertProfileId(id)); }
  currentTarget(n: number): string { return this.p.join('generations', String(n)); }

  headerScript(platform = this.platform): string {
    return this.p.join(this.scriptDir, SCRIPT_NAMES.headerCommand + (platform === 'win32' ? '.cmd' : ''));
  }
  refreshScript(platform = this.platform): string {
    return this.p.join(this.scriptDir, SCRIPT_NAMES.refresh + (platform === 'win32' ? '.cmd' : ''));
  }

  stablePaths(): StablePaths {
    const cur = this.activeCurrentDir;
    return {
      dataDir: this.dataDir,
      cert: this.p.join(cur, FILE_NAMES.cert),
      key: this.p.join(cur, FILE_NAMES.key),
      ca: this.p.join(cur, FILE_NAMES.ca),
      headers: this.p.join(cur, FILE_NAMES.headers),
      headerCommand: this.headerScript(),
      refreshCommand: this.refreshScript(),
    };
  }
}

/** `generations/<n>` link target -> n, or null when it is not one of ours. */
export function generationNumberOf(target: string): number | null {
  const m = /^generations[\\/]([1-9][0-9]{0,8})$/.exec(target);
  return m && m[1] ? Number(m[1]) : null;
}

/** `profiles/<id>` link target -> id, or null. */
export function profileIdOfTarget(target: string): string | null {
  const m = /^profiles[\\/]([^\\/]+)$/.exec(target);
  return m && isProfileId(m[1]) ? m[1] : null;
}

export function isGenerationName(name: string): boolean {
  return /^[1-9][0-9]{0,8}$/.test(name);
}
