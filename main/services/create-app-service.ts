/**
 * The AppService over a data directory: profiles, credentials, generations, editor settings
 * and the doctor, composed from the plain-Node modules. The CLI creates one per run; the
 * tray app keeps one for its lifetime. No electron here.
 */
import { X509Certificate } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../base/errors';
// Reading credentials (status, list, refresh) uses only the light half of the engine; the
// half that makes and imports them (and with it @peculiar/x509 and node-forge) is loaded by
// the commands that need it, so a CLI start that only reports does not pay for it.
import * as creds from '../credentials/reading';
import type { San } from '../credentials/reading';
import { canRenewUnattended, DEFAULT_RENEWAL_POLICY, PROFILE_SCHEMA_VERSION, type Profile } from '../profiles/profile';
import { checkDeploymentUrl } from '../profiles/profile-schema';
import { ProfileRepo } from '../profiles/profile-repo';
import { planRenewal } from '../profiles/renewal-policy';
import {
  checkCaBundle,
  describeSharedProfile,
  expandSanTemplate,
  identityForTeammate,
  parseProfileLink,
  parseSharedProfile,
  profileToLink,
  serializeSharedProfile,
  SHARE_FORMAT,
  SHARE_VERSION,
  type SharedProfile,
} from '../profiles/share-format';
import { proxySupportKeepsAgent } from '../settings';
import { resolveDataDir } from '../store/data-dir';
import { writeFileAtomic } from '../base/fs-atomic';
import { isoSeconds } from '../store/cert-facts';
import { renderHeadersFile } from '../store/headers';
import { refreshActive } from '../store/refresh';
import { renewProfile, rotateProfile } from '../store/reissue';
import { settingsValues } from '../settings/settings-values';
import { openStore, type CredentialStore, type CurrentCredentials, type GenerationInfo } from '../store/store';
import type {
  AppService,
  CertificateReportDto,
  DoctorReportDto,
  EditorId,
  EditorStateDto,
  IdentityInput,
  ImportPreviewDto,
  InitRequest,
  InitResultDto,
  OperationResultDto,
  ProfileSummaryDto,
  RefreshResultDto,
  SettingsFileResultDto,
  SettingsRequest,
  StatusDto,
} from './app-service';
import { createDoctorPort } from './doctor-adapter';
import { checkAltHost, checkHeaders, checkName, defaultCommonName, defaultSans, DEFAULT_DAYS, localVars, nameAndId, normaliseSans, type LocalIdentityVars } from './identity-inputs';
import type { DoctorPort, EditorTarget, SettingsPort } from './ports';
import { createSettingsPort } from './settings-adapter';

const making = () => import('../credentials/making');

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
}

const MAX_HISTORY = 10;

export function createAppService(o: AppServiceOptions): AppService {
  return new MtlsTrayService(o);
}

interface Identity {
  certPem: string;
  keyPem: string;
  chainPem: string;
}

class MtlsTrayService implements AppService {
  readonly dataDir: string;
  readonly store: CredentialStore;
  private readonly repo: ProfileRepo;
  private readonly now: () => Date;
  private readonly vars: LocalIdentityVars;
  private readonly settings: SettingsPort;
  private readonly doctorPort: DoctorPort;
  private readonly targetsFile: string;

  constructor(private readonly o: AppServiceOptions) {
    this.dataDir = resolveDataDir({ env: o.env, platform: o.platform, homedir: o.homedir, override: o.dataDir });
    this.now = o.now ?? (() => new Date());
    this.vars = o.vars ?? localVars();
    this.store = openStore({ dataDir: this.dataDir, platform: o.platform, env: o.env, homedir: o.homedir, now: this.now, logger: { info: (m) => o.log?.(m), warn: (m) => o.log?.(`warning: ${m}`) } });
    this.repo = new ProfileRepo(this.store.layout.profilesDir);
    this.settings = o.settings ?? createSettingsPort({ env: o.env, platform: o.platform, homedir: o.homedir, backupDir: join(this.dataDir, 'settings-backups') });
    this.doctorPort = o.doctor ?? createDoctorPort({ env: { ...o.env } as NodeJS.ProcessEnv, homeDir: o.homedir, ...(o.now ? { now: o.now } : {}) });
    this.targetsFile = join(this.dataDir, 'settings-targets.json');
  }

  // ---------------------------------------------------------------- profiles

  private async resolveId(profileId?: string): Promise<string> {
    if (profileId !== undefined) {
      const ids = await this.repo.ids();
      if (ids.includes(profileId)) return profileId;
      // Accept the display name too, as people type what they see in `list`.
      for (const id of ids) if ((await this.repo.read(id)).name === profileId) return id;
      throw new UserError('NO_SUCH_PROFILE', `There is no profile "${profileId}"`, 'See the profiles with: mtls-tray list');
    }
    const active = await this.store.getActive();
    if (active) return active;
    const ids = await this.repo.ids();
    if (ids.length === 1) return ids[0]!;
    throw new UserError('NO_PROFILE', ids.length ? 'No profile is active' : 'There is no profile yet', ids.length ? 'Pick one with --profile NAME or `mtls-tray switch NAME`' : 'Create one with: mtls-tray init --url https://coder.example.com --self-signed');
  }

  private planFor(p: Profile, info: Pick<GenerationInfo, 'notBefore' | 'notAfter' | 'serial'>) {
    return planRenewal({ validity: validityOf(info), policy: p.renewal, now: this.now(), canRenew: canRenewUnattended(p) });
  }

  /** `cur`: the current generation when the caller has read it already (status); else it is read here. */
  private async summary(p: Profile, active: string | null, cur?: CurrentCredentials | null): Promise<ProfileSummaryDto> {
    let notAfter: string | null = null;
    let daysLeft: number | null = null;
    let level: ProfileSummaryDto['level'] = p.pending ? 'pending' : 'broken';
    if (!p.pending) {
      try {
        const current = cur === undefined ? await this.store.readCurrent(p.id) : cur;
        if (current) {
          notAfter = current.info.notAfter;
          const plan = this.planFor(p, current.info);
          daysLeft = plan.daysLeft;
          level = plan.warning === 'expired' || plan.warning === 'not-yet-valid' ? 'expired' : plan.warning === 'days-7' || plan.warning === 'days-1' || plan.warning === 'lifetime-80' ? 'expiring' : 'ok';
        }
      } catch {
        level = 'broken';
      }
    }
    return { id: p.id, name: p.name, url: p.url, altHost: p.altHost ?? null, source: p.source, pending: p.pending, active: p.id === active, canRenew: canRenewUnattended(p), notAfter, daysLeft, level };
  }

  async listProfiles(): Promise<ProfileSummaryDto[]> {
    const active = await this.store.getActive();
    const out: ProfileSummaryDto[] = [];
    for (const id of await this.repo.ids()) out.push(await this.summary(await this.repo.read(id), active));
    return out;
  }

  async status(profileId?: string): Promise<StatusDto | null> {
    if (profileId === undefined && (await this.repo.ids()).length === 0) return null;
    const id = await this.resolveId(profileId);
    const p = await this.repo.read(id);
    const active = await this.store.getActive();
    const cur = p.pending ? null : await this.store.readCurrent(id);
    const editors = await this.editorStates(p);
    let report: CertificateReportDto | null = null;
    let renewal: StatusDto['renewal'] = null;
    if (cur) {
      const localCa = p.source === 'local-ca' ? await this.repo.readLocalCa(id) : null;
      const r = creds.certificateReport(cur.cert, { keyPem: cur.key, now: this.now(), ...(localCa ? { trustedCaPem: localCa.certPem } : {}), certFile: this.store.paths.cert, keyFile: this.store.paths.key });
      report = reportDto(r);
      if (!canRenewUnattended(p)) {
        // The engine's fix says "renew"; a CA-issued certificate is renewed by its CA.
        const fix = p.source === 'csr' ? 'Ask your CA for a new certificate, then run `mtls-tray csr import-cert CERT.pem` (a new CSR: `mtls-tray init --csr`).' : 'Get a new certificate from your CA and import it with `mtls-tray init --import-pem CERT KEY` or `--import-p12 FILE`.';
        for (const w of report.warnings) if (w.code === 'EXPIRED' || w.code === 'EXPIRING_SOON') w.fix = fix;
      }
      const dropping = editors.filter((e) => e.configured && !proxySupportKeepsAgent(e.proxySupport));
      if (dropping.length) {
        const w = creds.makeWarning('PROXY_SUPPORT_OVERRIDE', { value: dropping[0]!.proxySupport ?? 'override', editors: dropping.map((e) => e.name) });
        report.warnings.push({ code: w.code, severity: w.severity, message: w.message, fix: w.fix });
      }
      const plan = this.planFor(p, cur.info);
      renewal = { action: plan.next.action, at: plan.next.at?.toISOString() ?? null, renewAt: plan.renewAt.toISOString(), reason: plan.next.reason };
    }
    const gens = p.pending ? [] : await this.store.listGenerations(id);
    const paths = this.store.paths;
    const values = this.desiredValues(p);
    return {
      profile: await this.summary(p, active, cur),
      report,
      renewal,
      files: { cert: paths.cert, key: paths.key, ca: p.hasCaBundle ? paths.ca : null, headers: paths.headers, headerCommand: paths.headerCommand, refreshCommand: paths.refreshCommand },
      settingsValues: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v ?? null])),
      editors,
      generations: gens.slice(0, MAX_HISTORY).map((g) => ({ number: g.number, current: g.current, createdAt: g.createdAt, serial: g.serial, fingerprintSha256: g.fingerprintSha256, notAfter: g.notAfter })),
    };
  }

  private desiredValues(p: Pick<Profile, 'hasCaBundle' | 'altHost'>): Record<string, string | undefined> {
    return settingsValues({ paths: this.store.paths, platform: this.o.platform, hasCa: p.hasCaBundle, altHost: p.altHost ?? null }).values;
  }

  // ---------------------------------------------------------------- init

  /** A new key with either a self-signed certificate or a CSR: the identities we make on our own. */
  private async newKey(
    mk: Awaited<ReturnType<typeof making>>,
    kind: 'self-signed' | 'csr',
    o: { keyAlgorithm: Profile['keyAlgorithm']; sans: San[]; commonName: string; days: number },
  ): Promise<{ identity: Identity | null; pending: { keyPem: string; csrPem: string } | null }> {
    const keyPem = await mk.generateKey(o.keyAlgorithm);
    if (kind === 'csr') return { identity: null, pending: { keyPem, csrPem: await mk.createCsr({ keyPem, sans: o.sans, commonName: o.commonName }) } };
    const certPem = await mk.createSelfSignedClientCert({ keyPem, sans: o.sans, commonName: o.commonName, days: o.days, now: this.now() });
    return { identity: { keyPem, certPem, chainPem: '' }, pending: null };
  }

  async init(req: InitRequest): Promise<InitResultDto> {
    const url = checkDeploymentUrl(req.url, 'init', 'url');
    const altHost = checkAltHost(req.altHost);
    const headers = checkHeaders(req.headers);
    const caBundle = req.caBundlePem !== undefined ? checkCaBundle(req.caBundlePem, 'the CA bundle') : null;
    const keyAlgorithm = req.keyAlgorithm ?? 'ecdsa-p256';
    const days = req.days ?? DEFAULT_DAYS;
    const { name, id } = nameAndId(url, req.name, new Set(await this.store.listProfiles()));
    let sans = req.sans?.length ? normaliseSans(req.sans) : defaultSans(this.vars);
    const commonName = defaultCommonName(this.vars);

    let identity: Identity | null = null;
    let pending: { keyPem: string; csrPem: string } | null = null;
    let localCa: { certPem: string; keyPem: string } | null = null;
    let source: Profile['source'];
    const parsedSans = sans.map((s) => creds.parseSan(s));
    const kind = req.identity.kind;
    const mk = await making();
    switch (kind) {
      case 'self-signed':
      case 'csr': {
        source = kind;
        ({ identity, pending } = await this.newKey(mk, kind, { keyAlgorithm, sans: parsedSans, commonName, days }));
        break;
      }
      case 'local-ca': {
        source = 'local-ca';
        localCa = await mk.createLocalCa({ commonName: `mtls-tray local CA (${name})`.slice(0, 64), now: this.now() });
        const keyPem = await mk.generateKey(keyAlgorithm);
        identity = { keyPem, certPem: await mk.issueClientCert({ ca: localCa, publicKeyPem: keyPem, sans: parsedSans, commonName, days, now: this.now() }), chainPem: '' };
        break;
      }
      case 'import-pem':
      case 'import-p12': {
        source = 'imported';
        identity = importIdentity(mk, req.identity);
        // An imported certificate keeps the SANs its CA gave it.
        sans = sansOfCert(identity.certPem);
        break;
      }
      default:
        throw new UserError('INVALID_SOURCE', `unknown identity source ${String(kind)}`);
    }

    const profile: Profile = {
      schema: PROFILE_SCHEMA_VERSION,
      id,
      name,
      url,
      source,
      pending: pending !== null,
      keyAlgorithm: identity ? (keyAlgorithmOfPem(identity.keyPem) ?? keyAlgorithm) : keyAlgorithm,
      sans,
      commonName,
      validityDays: days,
      renewal: { ...DEFAULT_RENEWAL_POLICY },
      headers,
      hasCaBundle: caBundle !== null,
      createdAt: isoSeconds(this.now()),
    };
    if (altHost) profile.altHost = altHost;
    return this.createProfile(profile, { identity, pending, localCa, caBundle, operation: source === 'imported' ? 'import' : 'create' }, req);
  }

  /** Writes a new profile and its first generation; on failure the half-made profile is removed. */
  private async createProfile(
    profile: Profile,
    parts: { identity: Identity | null; pending: { keyPem: string; csrPem: string } | null; localCa: { certPem: string; keyPem: string } | null; caBundle: string | null; operation: 'create' | 'import' },
    req: { editors?: EditorId[]; settingsFiles?: string[]; noSettings?: boolean; proxyConsent?: boolean },
  ): Promise<InitResultDto> {
    const notices: string[] = [];
    await this.store.withWriteLock(`create ${profile.id}`, async () => {
      if ((await this.store.listProfiles()).includes(profile.id)) throw new UserError('PROFILE_EXISTS', `A profile "${profile.id}" exists already`, 'Choose another --name');
      try {
        await this.store.createProfileDir(profile.id);
        await this.repo.write(profile);
        if (parts.caBundle) await this.repo.writeCaBundle(profile.id, parts.caBundle);
        if (parts.localCa) await this.repo.writeLocalCa(profile.id, parts.localCa.certPem, parts.localCa.keyPem);
        if (parts.pending) await this.repo.writePending(profile.id, parts.pending.keyPem, parts.pending.csrPem);
        if (parts.identity) {
          await this.writeIdentity(profile, parts.identity, parts.caBundle, parts.operation);
          await this.store.setActive(profile.id);
        }
        const scripts = await this.store.installScripts({ argv: this.o.cliCommand });
        if (scripts.notice) notices.push(scripts.notice);
      } catch (err) {
        await rm(this.repo.dir(profile.id), { recursive: true, force: true });
        throw err;
      }
    });
    let settings: SettingsFileResultDto[] = [];
    if (parts.pending) {
      notices.push(`The certificate request is in ${this.repo.pendingCsrFile(profile.id)}: send it to your CA, then run \`mtls-tray csr import-cert CERT.pem\` (editor settings are applied then).`);
    } else if (!req.noSettings) {
      settings = await this.applyTo(profile, this.chooseTargets(req.editors, req.settingsFiles, true), { proxyConsent: Boolean(req.proxyConsent), dryRun: false });
      await this.rememberTargets(settings);
    }
    const active = await this.store.getActive();
    return { profile: await this.summary(profile, active), ...(parts.pending ? { csrPem: parts.pending.csrPem } : {}), settings, notices };
  }

  private async writeIdentity(profile: Profile, identity: Identity, caBundle: string | null, operation: string): Promise<GenerationInfo> {
    const cert = identity.chainPem ? `${identity.certPem.trimEnd()}\n${identity.chainPem.trimEnd()}\n` : identity.certPem;
    return this.store.writeGeneration(profile.id, { cert, key: identity.keyPem, ca: caBundle, headers: renderHeadersFile(profile.headers, identity.certPem) }, { operation });
  }

  // ---------------------------------------------------------------- renew, rotate, rollback

  private async issuerFor(p: Profile): Promise<{ certPem: string; keyPem: string } | undefined> {
    if (p.source !== 'local-ca') return undefined;
    const ca = await this.repo.readLocalCa(p.id);
    if (!ca) throw new UserError('LOCAL_CA_MISSING', `The local CA of profile ${p.id} is missing (${this.repo.localCaCertFile(p.id)})`);
    return ca;
  }

  private async requireRenewable(p: Profile, verb: string): Promise<void> {
    if (p.pending) throw new UserError('PROFILE_PENDING', `Profile ${p.id} is still waiting for its certificate`, `Run: mtls-tray csr import-cert CERT.pem --profile ${p.id}`);
    if (!canRenewUnattended(p)) {
      throw new UserError('CANNOT_RENEW', `Profile ${p.id} uses a certificate issued by your CA, so mtls-tray cannot ${verb} it`, `Get a new certificate from your CA and import it with \`mtls-tray init --import-pem\`, or make a CSR profile with \`mtls-tray init --csr\``);
    }
  }

  async renew(profileId?: string): Promise<OperationResultDto> {
    const id = await this.resolveId(profileId);
    const p = await this.repo.read(id);
    await this.requireRenewable(p, 'renew');
    const issuer = await this.issuerFor(p);
    const g = await renewProfile(this.store, id, { days: p.validityDays, headers: p.headers, now: this.now(), ...(issuer ? { issuer } : {}) });
    return { ok: true, profileId: id, generation: g.number, message: `Renewed ${p.name}: same key, new certificate valid until ${g.notAfter} (generation ${g.number}).` };
  }

  async rotate(profileId?: string): Promise<OperationResultDto> {
    const id = await this.resolveId(profileId);
    const p = await this.repo.read(id);
    await this.requireRenewable(p, 'rotate');
    const issuer = await this.issuerFor(p);
    const g = await rotateProfile(this.store, id, { days: p.validityDays, headers: p.headers, keyAlgorithm: p.keyAlgorithm, now: this.now(), ...(issuer ? { issuer } : {}) });
    return { ok: true, profileId: id, generation: g.number, message: `Rotated ${p.name}: new ${p.keyAlgorithm} key and certificate valid until ${g.notAfter} (generation ${g.number}).` };
  }

  async rollback(profileId?: string): Promise<OperationResultDto> {
    const id = await this.resolveId(profileId);
    const g = await this.store.rollback(id);
    return { ok: true, profileId: id, generation: g.number, message: `Rolled back ${id} to generation ${g.number} (certificate valid until ${g.notAfter}).` };
  }

  /** Identity source per profile, read before refreshActive asks for a (synchronous) hint. */
  private readonly sourceHint = new Map<string, Profile['source']>();

  async refresh(): Promise<RefreshResultDto> {
    for (const id of await this.repo.ids().catch(() => [])) {
      const p = await this.repo.read(id).catch(() => null);
      if (p) this.sourceHint.set(id, p.source);
    }
    const res = await refreshActive(this.store, {
      now: this.now(),
      rejected: true,
      canRenew: async (id) => canRenewUnattended(await this.repo.read(id)),
      renew: (id) => this.renew(id),
      describeManualFix: (id, problem) => {
        if (problem === 'no-active' || problem === 'missing') return 'run `mtls-tray init` to create a profile';
        const source = this.sourceHint.get(id);
        if (source === 'self-signed' || source === 'local-ca') return `run \`mtls-tray doctor\` to see why the server refuses the certificate of ${id}`;
        return `profile ${id} holds a certificate from your CA: get a new one and import it (\`mtls-tray init --import-pem\`), or run \`mtls-tray doctor\` to see why the server refuses it`;
      },
    });
    return { ok: res.ok, renewed: res.ok && res.action === 'renewed', message: res.message };
  }

  async switchProfile(profileId: string): Promise<{ profileId: string; settings: SettingsFileResultDto[] }> {
    const id = await this.resolveId(profileId);
    const p = await this.repo.read(id);
    await this.store.setActive(id);
    // Only the keys that differ between profiles (tlsAltHost, tlsCaFile) can change; files
    // whose text stays the same are not written at all.
    const targets = await this.configuredTargets();
    const settings = await this.applyTo(p, targets, { proxyConsent: false, dryRun: false });
    return { profileId: id, settings };
  }

  async renameProfile(profileId: string, name: string): Promise<ProfileSummaryDto> {
    const id = await this.resolveId(profileId);
    const p = await this.store.withWriteLock(`rename ${id}`, async () => {
      const cur = await this.repo.read(id);
      const next = { ...cur, name: checkName(name) };
      await this.repo.write(next);
      return next;
    });
    return this.summary(p, await this.store.getActive());
  }

  async deleteProfile(profileId: string): Promise<void> {
    const id = await this.resolveId(profileId);
    await this.store.withWriteLock(`delete ${id}`, async () => {
      if ((await this.store.getActive()) === id) throw new UserError('PROFILE_ACTIVE', `Profile ${id} is the active one and cannot be deleted`, 'Switch to another profile first');
      await rm(this.repo.dir(id), { recursive: true, force: true });
    });
  }

  // ---------------------------------------------------------------- CSR and local CA

  async pendingCsr(profileId?: string): Promise<string> {
    const id = await this.resolveId(profileId);
    const pend = await this.repo.readPending(id);
    if (!pend) throw new UserError('NOT_PENDING', `Profile ${id} has no pending certificate request`);
    return pend.csrPem;
  }

  async csrImportCert(certPem: string, profileId?: string, settingsReq: SettingsRequest & { noSettings?: boolean } = {}): Promise<OperationResultDto & { settings: SettingsFileResultDto[] }> {
    const id = await this.resolveId(profileId ?? (await this.onlyPendingProfile()));
    const p = await this.repo.read(id);
    const pend = await this.repo.readPending(id);
    if (!p.pending || !pend) throw new UserError('NOT_PENDING', `Profile ${id} is not waiting for a certificate`);
    const accepted = (await making()).acceptIssuedCertificate(certPem, pend.keyPem);
    const caBundle = p.hasCaBundle ? await this.repo.readCaBundle(id) : null;
    const next: Profile = { ...p, pending: false, sans: sansOfCert(accepted.certPem) };
    const g = await this.store.withWriteLock(`complete ${id}`, async () => {
      const gen = await this.writeIdentity(next, { certPem: accepted.certPem, keyPem: pend.keyPem, chainPem: accepted.chainPem }, caBundle, 'csr-complete');
      await this.repo.write(next);
      await this.repo.clearPending(id);
      if ((await this.store.getActive()) === null) await this.store.setActive(id);
      return gen;
    });
    // The profile had no credentials until now, so its editors were not configured at init.
    const settings = settingsReq.noSettings || (await this.store.getActive()) !== id ? [] : await this.applySettings(settingsReq);
    return { ok: true, profileId: id, generation: g.number, message: `Imported the certificate for ${p.name}; valid until ${g.notAfter}.`, settings };
  }

  private async onlyPendingProfile(): Promise<string | undefined> {
    const pendingIds: string[] = [];
    for (const id of await this.repo.ids()) if ((await this.repo.read(id)).pending) pendingIds.push(id);
    return pendingIds.length === 1 ? pendingIds[0] : undefined;
  }

  private async localCaProfile(profileId?: string): Promise<Profile> {
    if (profileId !== undefined) {
      const p = await this.repo.read(await this.resolveId(profileId));
      if (p.source !== 'local-ca') throw new UserError('NOT_A_LOCAL_CA', `Profile ${p.id} has no local CA`, 'Name a profile made with `init --local-ca`');
      return p;
    }
    const cas: Profile[] = [];
    for (const id of await this.repo.ids()) {
      const p = await this.repo.read(id);
      if (p.source === 'local-ca') cas.push(p);
    }
    if (cas.length === 1) return cas[0]!;
    const active = await this.store.getActive();
    const act = cas.find((c) => c.id === active);
    if (act) return act;
    throw new UserError('NOT_A_LOCAL_CA', cas.length ? 'Several profiles have a local CA' : 'No profile has a local CA', cas.length ? 'Name one with --profile' : 'Create one with `mtls-tray init --local-ca`');
  }

  async caSign(csrPem: string, opts: { days?: number; allowSans?: string[]; profileId?: string }): Promise<{ certPem: string; copied: string[]; refused: string[] }> {
    const p = await this.localCaProfile(opts.profileId);
    const ca = await this.issuerFor(p);
    const res = await (await making()).signCsr({ ca: ca!, csrPem, days: opts.days ?? p.validityDays, allow: opts.allowSans?.length ? opts.allowSans : DEFAULT_CA_SIGN_ALLOW, now: this.now() });
    return { certPem: res.certPem, copied: res.copied.map((s) => creds.formatSan(s)), refused: res.refused.map((s) => creds.formatSan(s)) };
  }

  async caCert(profileId?: string): Promise<string> {
    const p = await this.localCaProfile(profileId);
    return (await this.issuerFor(p))!.certPem;
  }

  // ---------------------------------------------------------------- sharing

  private async sharedFrom(profileId: string | undefined): Promise<{ p: Profile; shared: SharedProfile }> {
    const id = await this.resolveId(profileId);
    const p = await this.repo.read(id);
    const shared: SharedProfile = {
      format: SHARE_FORMAT,
      version: SHARE_VERSION,
      name: p.name,
      url: p.url,
      identity: p.source,
      keyAlgorithm: p.keyAlgorithm,
      validityDays: p.validityDays,
      sanTemplate: p.sanTemplate ?? p.sans,
      headers: p.headers,
      renewal: p.renewal,
    };
    if (p.altHost) shared.altHost = p.altHost;
    if (p.hasCaBundle) {
      const ca = await this.repo.readCaBundle(id);
      if (ca) shared.caBundle = ca;
    }
    return { p, shared };
  }

  async exportProfile(profileId: string | undefined, opts: { withIdentityPassphrase?: string }): Promise<string> {
    const { p, shared } = await this.sharedFrom(profileId);
    if (opts.withIdentityPassphrase !== undefined) {
      if (opts.withIdentityPassphrase.length < 8) throw new UserError('WEAK_PASSPHRASE', 'The passphrase protecting an exported identity must have at least 8 characters');
      const cur = await this.store.readCurrent(p.id);
      if (!cur) throw new UserError('NO_CERTIFICATE', `Profile ${p.id} has no certificate to export`);
      const p12 = (await making()).exportPkcs12({ certPem: cur.cert, keyPem: cur.key, passphrase: opts.withIdentityPassphrase, friendlyName: p.name });
      shared.identityBundle = { type: 'pkcs12', data: Buffer.from(p12).toString('base64') };
    }
    return serializeSharedProfile(shared);
  }

  async exportLink(profileId?: string): Promise<string> {
    return profileToLink((await this.sharedFrom(profileId)).shared);
  }

  private parseShared(textOrLink: string): SharedProfile {
    const t = textOrLink.trim();
    return t.startsWith('mtls-tray://') ? parseProfileLink(t) : parseSharedProfile(textOrLink, 'the profile file');
  }

  async previewImport(textOrLink: string): Promise<ImportPreviewDto> {
    const shared = this.parseShared(textOrLink);
    return { review: describeSharedProfile(shared, this.vars), name: shared.name, url: shared.url, needsPassphrase: Boolean(shared.identityBundle) };
  }

  async importProfile(textOrLink: string, opts: { passphrase?: string; editors?: EditorId[]; noSettings?: boolean; proxyConsent?: boolean }): Promise<InitResultDto> {
    const shared = this.parseShared(textOrLink);
    const how = identityForTeammate(shared);
    const sans = normaliseSans(expandSanTemplate(shared.sanTemplate, this.vars));
    const { name, id } = nameAndId(shared.url, shared.name, new Set(await this.store.listProfiles()));
    const commonName = defaultCommonName(this.vars);
    let identity: Identity | null = null;
    let pending: { keyPem: string; csrPem: string } | null = null;
    const parsedSans = sans.map((s) => creds.parseSan(s));
    const mk = await making();
    if (shared.identityBundle) {
      if (opts.passphrase === undefined) throw new UserError('PASSPHRASE_NEEDED', 'This profile carries an encrypted certificate and key; a passphrase is needed to import it');
      identity = importIdentity(mk, { kind: 'import-p12', p12: Buffer.from(shared.identityBundle.data, 'base64'), passphrase: opts.passphrase });
    } else {
      ({ identity, pending } = await this.newKey(mk, how.source === 'self-signed' ? 'self-signed' : 'csr', { keyAlgorithm: shared.keyAlgorithm, sans: parsedSans, commonName, days: shared.validityDays }));
    }
    const profile: Profile = {
      schema: PROFILE_SCHEMA_VERSION,
      id,
      name,
      url: shared.url,
      source: shared.identityBundle ? 'imported' : how.source === 'self-signed' ? 'self-signed' : 'csr',
      pending: pending !== null,
      keyAlgorithm: shared.keyAlgorithm,
      sans: identity && shared.identityBundle ? sansOfCert(identity.certPem) : sans,
      sanTemplate: shared.sanTemplate,
      commonName,
      validityDays: shared.validityDays,
      renewal: shared.renewal ?? { ...DEFAULT_RENEWAL_POLICY },
      headers: shared.headers,
      hasCaBundle: Boolean(shared.caBundle),
      createdAt: isoSeconds(this.now()),
    };
    if (shared.altHost) profile.altHost = shared.altHost;
    return this.createProfile(profile, { identity, pending, localCa: null, caBundle: shared.caBundle ?? null, operation: 'import' }, opts);
  }

  // ---------------------------------------------------------------- editor settings

  private chooseTargets(editors: EditorId[] | undefined, files: string[] | undefined, defaultInstalled: boolean): EditorTarget[] {
    const all = this.settings.discover();
    let chosen: EditorTarget[];
    if (editors?.length) chosen = all.filter((t) => editors.includes(t.id as EditorId));
    else chosen = files?.length || !defaultInstalled ? [] : all.filter((t) => t.installed);
    for (const f of files ?? []) if (!chosen.some((c) => c.settingsPath === f)) chosen.push({ id: 'custom', name: 'settings file', settingsPath: f, installed: true });
    return chosen;
  }

  private async rememberTargets(results: SettingsFileResultDto[]): Promise<void> {
    const known = await this.knownTargets();
    for (const r of results) if (!known.some((k) => k.settingsPath === r.path)) known.push({ id: r.editor, settingsPath: r.path });
    // Atomic and under the writer lock, like every write in the data dir (recovery sweeps temp files).
    await this.store.withWriteLock('remember settings targets', () => writeFileAtomic(this.targetsFile, `${JSON.stringify(known, null, 2)}\n`, 0o600));
  }

  private async knownTargets(): Promise<Array<{ id: EditorId | 'custom'; settingsPath: string }>> {
    try {
      const v = JSON.parse(await readFile(this.targetsFile, 'utf8')) as unknown;
      return Array.isArray(v) ? v.filter((x): x is { id: EditorId | 'custom'; settingsPath: string } => typeof x?.settingsPath === 'string' && typeof x?.id === 'string') : [];
    } catch {
      return [];
    }
  }

  /** Editors whose settings we wrote before (init, apply), found again by path. */
  private async configuredTargets(): Promise<EditorTarget[]> {
    const all = this.settings.discover();
    return (await this.knownTargets()).map((k) => all.find((t) => t.settingsPath === k.settingsPath) ?? { id: k.id, name: 'settings file', settingsPath: k.settingsPath, installed: true });
  }

  private async applyTo(p: Pick<Profile, 'hasCaBundle' | 'altHost'>, targets: EditorTarget[], opts: { proxyConsent: boolean; dryRun: boolean }): Promise<SettingsFileResultDto[]> {
    const desired = this.desiredValues(p);
    const out: SettingsFileResultDto[] = [];
    for (const t of targets) out.push(await this.settings.apply(t, desired, opts));
    return out;
  }

  private async activeProfile(): Promise<Profile> {
    return this.repo.read(await this.resolveId());
  }

  async applySettings(req: SettingsRequest): Promise<SettingsFileResultDto[]> {
    const p = await this.activeProfile();
    const targets = req.editors?.length || req.settingsFiles?.length ? this.chooseTargets(req.editors, req.settingsFiles, true) : mergeTargets(this.chooseTargets(undefined, undefined, true), await this.configuredTargets());
    const res = await this.applyTo(p, targets, { proxyConsent: Boolean(req.proxyConsent), dryRun: Boolean(req.dryRun) });
    if (!req.dryRun) await this.rememberTargets(res);
    return res;
  }

  async previewSettings(req: { editors: EditorId[]; altHost?: string; hasCaBundle: boolean; proxyConsent: boolean }): Promise<SettingsFileResultDto[]> {
    const altHost = checkAltHost(req.altHost);
    return this.applyTo({ hasCaBundle: req.hasCaBundle, ...(altHost ? { altHost } : {}) }, this.chooseTargets(req.editors, undefined, false), { proxyConsent: req.proxyConsent, dryRun: true });
  }

  async removeSettings(req: SettingsRequest): Promise<SettingsFileResultDto[]> {
    const targets = req.editors?.length || req.settingsFiles?.length ? this.chooseTargets(req.editors, req.settingsFiles, false) : await this.configuredTargets();
    const out: SettingsFileResultDto[] = [];
    const active = await this.store.getActive();
    const ownedValues = active ? this.desiredValues(await this.repo.read(active)) : undefined;
    for (const t of targets) out.push(await this.settings.remove(t, { dryRun: Boolean(req.dryRun), ...(ownedValues ? { ownedValues } : {}) }));
    return out;
  }

  async showSettings(req: SettingsRequest): Promise<Array<{ editor: EditorId | 'custom'; path: string; exists: boolean; values: Record<string, unknown> }>> {
    const targets = req.editors?.length || req.settingsFiles?.length ? this.chooseTargets(req.editors, req.settingsFiles, false) : this.settings.discover().filter((t) => t.installed);
    const out = [];
    for (const t of targets) out.push({ editor: t.id, path: t.settingsPath, ...(await this.settings.read(t)) });
    return out;
  }

  async detectEditors(): Promise<EditorStateDto[]> {
    const ids = await this.repo.ids();
    const p = ids.length ? await this.activeProfile().catch(() => null) : null;
    return this.editorStates(p);
  }

  private async editorStates(p: Profile | null): Promise<EditorStateDto[]> {
    const targets = mergeTargets(this.settings.discover(), await this.configuredTargets());
    const out: EditorStateDto[] = [];
    const expectedHeaderCommand = p === null ? undefined : this.desiredValues(p)['coder.headerCommand'];
    for (const t of targets) {
      let values: Record<string, unknown> = {};
      try {
        values = (await this.settings.read(t)).values;
      } catch {
        /* an unreadable settings file shows as not configured; `settings apply` names the error */
      }
      const configured = p !== null && values['coder.tlsCertFile'] === this.store.paths.cert && values['coder.headerCommand'] === expectedHeaderCommand;
      // VS Code's default for an unset http.proxySupport is "override".
      const proxy = values['http.proxySupport'] ?? 'override';
      out.push({ id: t.id, name: t.name, settingsPath: t.settingsPath, installed: t.installed, configured, proxySupport: typeof proxy === 'string' ? proxy : null });
    }
    return out;
  }

  // ---------------------------------------------------------------- doctor

  async doctor(profileId?: string): Promise<DoctorReportDto> {
    const id = await this.resolveId(profileId);
    const p = await this.repo.read(id);
    const cur = p.pending ? null : await this.store.readCurrent(id);
    const targets = await this.configuredTargets();
    const editors = [];
    for (const t of targets.length ? targets : this.settings.discover().filter((x) => x.installed)) {
      try {
        editors.push({ id: t.id, settingsPath: t.settingsPath, values: (await this.settings.read(t)).values });
      } catch {
        editors.push({ id: t.id, settingsPath: t.settingsPath, values: {} });
      }
    }
    const values = this.desiredValues(p);
    return this.doctorPort.run({
      url: p.url,
      ...(p.altHost ? { altHost: p.altHost } : {}),
      ...(cur?.ca ? { caBundlePem: cur.ca } : {}),
      ...(cur ? { certPem: cur.cert, keyPem: cur.key } : {}),
      ...(values['coder.headerCommand'] ? { headerCommand: values['coder.headerCommand'] } : {}),
      editors,
      expected: values,
    });
  }

  async checkDeployment(url: string, altHost?: string, caBundlePem?: string): Promise<DoctorReportDto> {
    const u = checkDeploymentUrl(url, 'the deployment URL', 'url');
    const alt = checkAltHost(altHost);
    const ca = caBundlePem !== undefined ? checkCaBundle(caBundlePem, 'the CA bundle') : undefined;
    return this.doctorPort.run({ url: u, ...(alt ? { altHost: alt } : {}), ...(ca ? { caBundlePem: ca } : {}), editors: [], expected: {} });
  }
}

/** `ca sign` without --allow-san copies names that identify a person or a service, never an IP. */
const DEFAULT_CA_SIGN_ALLOW = ['DNS:*', 'email:*', 'URI:*'];

function mergeTargets(a: EditorTarget[], b: EditorTarget[]): EditorTarget[] {
  const out = [...a];
  for (const t of b) if (!out.some((x) => x.settingsPath === t.settingsPath)) out.push(t);
  return out;
}

/** The SANs a certificate carries, in openssl spelling (imported and CA-issued certificates keep theirs). */
function sansOfCert(certPem: string): string[] {
  return creds.certificateSans(new X509Certificate(certPem)).map((s) => creds.formatSan(s));
}

function validityOf(info: Pick<GenerationInfo, 'notBefore' | 'notAfter' | 'serial'>) {
  return { notBefore: new Date(info.notBefore), notAfter: new Date(info.notAfter), serial: info.serial };
}

function keyAlgorithmOfPem(keyPem: string): Profile['keyAlgorithm'] | null {
  try {
    const alg = creds.keyAlgorithmOf(keyPem);
    return alg ?? null;
  } catch {
    return null;
  }
}

function importIdentity(mk: Awaited<ReturnType<typeof making>>, input: Extract<IdentityInput, { kind: 'import-pem' | 'import-p12' }>): Identity {
  if (input.kind === 'import-pem') {
    const r = mk.importPemCredentials({ cert: input.certPem, key: input.keyPem, chain: input.chainPem, passphrase: input.passphrase });
    return { certPem: r.certPem, keyPem: r.keyPem, chainPem: r.chainPem };
  }
  const r = mk.importPkcs12(input.p12, input.passphrase);
  return { certPem: r.certPem, keyPem: r.keyPem, chainPem: r.chainPem };
}

function reportDto(r: ReturnType<typeof creds.certificateReport>): CertificateReportDto {
  return {
    subject: r.subject,
    issuer: r.issuer,
    serial: r.serial,
    fingerprintSha256: r.fingerprintSha256,
    notBefore: r.notBefore,
    notAfter: r.notAfter,
    daysLeft: r.daysLeft,
    lifetimeUsed: r.lifetimeUsed,
    key: { algorithm: r.key.algorithm, ...(r.key.size ? { size: r.key.size } : {}), ...(r.key.curve ? { curve: r.key.curve } : {}) },
    sans: r.sans.map((s) => creds.formatSan(s)),
    keyUsages: r.keyUsages,
    extKeyUsages: r.extKeyUsages,
    isCa: r.isCa,
    selfSigned: r.selfSigned,
    warnings: r.warnings.map((w) => ({ code: w.code, severity: w.severity, message: w.message, fix: w.fix })),
  };
}
