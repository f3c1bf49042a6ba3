/**
 * What every use case of the AppService shares: the data directory, its store and profiles,
 * the clock, the local identity words, and the ports to the settings writer and the doctor.
 * Made once by createAppService and handed to each use case module as its first argument.
 */
import type { Pkcs12Reader } from './pkcs12-off-thread';
import { join } from 'node:path';
import { UserError } from '../base/errors';
import { canRenewUnattended, type Profile } from '../profiles/profile';
import { ProfileRepo } from '../profiles/profile-repo';
import { planRenewal, type RenewalPlan } from '../profiles/renewal-policy';
import { settingsValues } from '../settings/settings-values';
import { resolveDataDir } from '../store/data-dir';
import type { LayoutKind } from '../store/pointers';
import { openStore, type CredentialStore, type GenerationInfo } from '../store/store';
import { createDoctorPort } from './doctor-adapter';
import { localVars, type LocalIdentityVars } from './identity-inputs';
import type { DoctorPort, SettingsPort } from './ports';
import { createSettingsPort } from './settings-adapter';

export interface AppServiceOptions {
  /** --data-dir; else MTLS_TRAY_HOME or the platform default. */
  dataDir?: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  homedir: string;
  /** How the refresh script starts the CLI again: [node, dist/cli.js] or [app binary, --cli]. */
  cliCommand: string[];
  now?: () => Date;
  vars?: LocalIdentityVars;
  log?: (message: string) => void;
  settings?: SettingsPort;
  doctor?: DoctorPort;
  /** The store's on-disk layout (default: the platform's, see store/pointers.ts). */
  layout?: LayoutKind;
  /** The app's PKCS#12 reader on a worker thread (pkcs12-off-thread.ts); without one, in-process. */
  readPkcs12?: Pkcs12Reader;
}

export interface ServiceContext {
  readonly dataDir: string;
  readonly store: CredentialStore;
  readonly repo: ProfileRepo;
  readonly now: () => Date;
  readonly vars: LocalIdentityVars;
  readonly settings: SettingsPort;
  readonly doctor: DoctorPort;
  readonly platform: NodeJS.Platform;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** For `~` and `${userHome}` in settings paths, as the extension expands them. */
  readonly homedir: string;
  readonly cliCommand: readonly string[];
  /** Where the editors whose settings we wrote are remembered. */
  readonly targetsFile: string;
  /** A profile named by id or display name; else the active one, or the only one. */
  resolveId(profileId?: string): Promise<string>;
  readonly readPkcs12?: Pkcs12Reader | undefined;
}

export function createServiceContext(o: AppServiceOptions): ServiceContext {
  const dataDir = resolveDataDir({ env: o.env, platform: o.platform, homedir: o.homedir, override: o.dataDir });
  const now = o.now ?? (() => new Date());
  const store = openStore({ dataDir, platform: o.platform, env: o.env, homedir: o.homedir, now, ...(o.layout ? { layout: o.layout } : {}), logger: { info: (m) => o.log?.(m), warn: (m) => o.log?.(`warning: ${m}`) } });
  const repo = new ProfileRepo(store.layout.profilesDir);
  return {
    dataDir,
    store,
    repo,
    now,
    vars: o.vars ?? localVars(o.env),
    settings: o.settings ?? createSettingsPort({ env: o.env, platform: o.platform, homedir: o.homedir, backupDir: join(dataDir, 'settings-backups') }),
    doctor: o.doctor ?? createDoctorPort({ env: { ...o.env } as NodeJS.ProcessEnv, homeDir: o.homedir, ...(o.now ? { now: o.now } : {}) }),
    platform: o.platform,
    env: o.env,
    homedir: o.homedir,
    cliCommand: o.cliCommand,
    targetsFile: join(dataDir, 'settings-targets.json'),
    resolveId: (profileId) => resolveId(store, repo, profileId),
    readPkcs12: o.readPkcs12,
  };
}

async function resolveId(store: CredentialStore, repo: ProfileRepo, profileId?: string): Promise<string> {
  if (profileId !== undefined) {
    const ids = await repo.ids();
    if (ids.includes(profileId)) return profileId;
    // Accept the display name too, as people type what they see in `list`.
    const byName: string[] = [];
    for (const id of ids) if ((await repo.read(id).catch(() => null))?.name === profileId) byName.push(id);
    if (byName.length === 1) return byName[0]!;
    // Profiles made before names were unique may share one: never pick one silently.
    if (byName.length > 1) throw new UserError('AMBIGUOUS_PROFILE', `${byName.length} profiles are named "${profileId}": ${byName.join(', ')}`, `Name one by its id, e.g. mtls-tray switch ${byName[0]}, or rename one with: mtls-tray edit --profile ${byName[1]} --name NEW-NAME`);
    throw new UserError('NO_SUCH_PROFILE', `There is no profile "${profileId}"`, 'See the profiles with: mtls-tray list');
  }
  const active = await store.getActive();
  if (active) return active;
  const ids = await repo.ids();
  if (ids.length === 1) return ids[0]!;
  throw new UserError('NO_PROFILE', ids.length ? 'No profile is active' : 'There is no profile yet', ids.length ? 'Pick one with --profile NAME or `mtls-tray switch NAME`' : 'Create one with: mtls-tray init --url https://coder.example.com --self-signed');
}

/** The profile read by id, name, or the active one. */
export async function readProfile(ctx: ServiceContext, profileId?: string): Promise<Profile> {
  return ctx.repo.read(await ctx.resolveId(profileId));
}

/** The one renewal classifier: the profile's own policy over its current certificate. */
/** `now`: pass the caller's moment so numbers shown together (status) come from one clock reading. */
export function planFor(ctx: ServiceContext, p: Profile, info: Pick<GenerationInfo, 'notBefore' | 'notAfter' | 'serial'>, now: Date = ctx.now()): RenewalPlan {
  return planRenewal({ validity: validityOf(info), policy: p.renewal, now, canRenew: canRenewOnItsOwn(ctx, p) });
}

export function validityOf(info: Pick<GenerationInfo, 'notBefore' | 'notAfter' | 'serial'>) {
  return { notBefore: new Date(info.notBefore), notAfter: new Date(info.notAfter), serial: info.serial };
}

/** What of a profile decides its settings: CA bundle or not, alt host, headers or none (an
 *  edit that adds the first header or removes the last changes coder.headerCommand). */
export type SettingsShape = Pick<Profile, 'hasCaBundle' | 'altHost'> & { headers: readonly unknown[] };

/** The settings values that point the editors at our stable paths for this profile. */
export function desiredValues(ctx: ServiceContext, p: SettingsShape): Record<string, string | undefined> {
  return settingsValues({ paths: ctx.store.paths, platform: ctx.platform, hasCa: p.hasCaBundle, altHost: p.altHost ?? null, hasHeaders: p.headers.length > 0 }).values;
}

/**
 * The half of the credential engine that makes and imports, loaded by the commands that need it.
 * A lazy `require`, not `import()`: bundled, both stay lazy, but unbundled `import()` of a
 * TypeScript file takes Node's ESM path, which Playwright's loader (the window tests drive this
 * service in-process) cannot serve in a CommonJS package.
 */
export const making = async (): Promise<typeof import('../credentials/making')> => require('../credentials/making');
export type Making = Awaited<ReturnType<typeof making>>;

/** The renewal classifier asked for this machine: our own identity, or a CA-issued one with an issuer command here. */
export function canRenewOnItsOwn(ctx: ServiceContext, p: Profile): boolean {
  return canRenewUnattended(p, ctx.repo.hasIssuerCommand(p.id));
}
