/**
 * What the app, ipc, tray and scheduler tests run the main process against. Tests that check
 * what comes of a service call use the real service over temp directories
 * (`createTempAppService`). The fake service is for the rest: a port that must fail on purpose,
 * and the order and arguments of calls (busy states, coalescing, validation before the
 * service). It records calls, holds real-looking private keys (so "no handler returns key
 * bytes" is a real check) and keeps certificates as validity windows; it computes no
 * summaries of its own: a profile's level and days left are what the test gives it, and the
 * renewal plan in status() is the product's planRenewal. Plus a fake clock with timers.
 */
import { canRenewUnattended } from '../../main/profiles/profile';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { UserError } from '../../main/base/errors';
import { DEFAULT_RENEWAL_POLICY, type RenewalPolicy } from '../../main/profiles/profile';
import { planRenewal } from '../../main/profiles/renewal-policy';
import { createAppService, type AppServiceOptions } from '../../main/services/create-app-service';
import type {
  AppService,
  DoctorReportDto,
  DriftActionResultDto,
  DriftNoticeDto,
  DriftReportDto,
  EditorId,
  EditorStateDto,
  IdentitySource,
  ImportPreviewDto,
  InitRequest,
  InitResultDto,
  OperationResultDto,
  ProfileSummaryDto,
  RefreshResultDto,
  SettingsFileResultDto,
  SettingsRequest,
  StatusDto,
  TrustSnippetDto,
  TrustSnippetRequest,
} from '../../main/services/app-service';

export const DAY = 86_400_000;

export function tempDir(prefix = 'mtls-app-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * The real AppService over a fresh temp data dir and a temp HOME (so no editor of this machine
 * is seen or written); the refresh script would start `node dist/cli.js`.
 */
export function createTempAppService(o: Partial<AppServiceOptions> = {}): AppService {
  const tmp = tempDir('mtls-app-svc-');
  const home = join(tmp, 'home');
  mkdirSync(home, { recursive: true });
  return createAppService({
    dataDir: join(tmp, 'data'),
    env: { HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_DATA_HOME: join(home, '.local/share') },
    platform: process.platform,
    homedir: home,
    cliCommand: [process.execPath, join(process.cwd(), 'dist', 'cli.js')],
    ...o,
  });
}

/** A PEM private key the fake keeps in its data; it must never come out through IPC. */
export const FAKE_KEY_PEM = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgFAKEFAKEFAKE\n-----END PRIVATE KEY-----\n';

export interface FakeProfile {
  id: string;
  name: string;
  url: string;
  source: IdentitySource;
  pending: boolean;
  notBefore: Date;
  notAfter: Date;
  serial: string;
  policy: RenewalPolicy;
  keyPem: string;
  generation: number;
  /** Unreadable credentials: status() reports no certificate. */
  broken?: boolean;
  /** What summaries report; the fake does not classify certificates. Default 'ok' (or 'pending'/'broken'). */
  level?: ProfileSummaryDto['level'];
  /** What summaries report as days left; default null. */
  daysLeft?: number | null;
}

export interface Call {
  method: keyof AppService;
  args: unknown[];
  /** The fake clock's time of the call. */
  at: Date;
}

export class FakeClock {
  private t: number;
  private seq = 0;
  private readonly pending = new Map<number, { at: number; fn: () => void }>();
  constructor(start: Date | string) {
    this.t = new Date(start).getTime();
  }
  now = (): Date => new Date(this.t);
  timers = {
    set: (fn: () => void, ms: number): unknown => {
      const id = ++this.seq;
      this.pending.set(id, { at: this.t + ms, fn });
      return id;
    },
    clear: (h: unknown): void => {
      this.pending.delete(h as number);
    },
  };
  /** The instant of the earliest pending timer. */
  nextTimerAt(): Date | null {
    let min: number | null = null;
    for (const { at } of this.pending.values()) if (min === null || at < min) min = at;
    return min === null ? null : new Date(min);
  }
  pendingCount(): number {
    return this.pending.size;
  }
  /** Moves time to `to`, firing due timers in order (each at its own instant). */
  async advanceTo(to: Date, settle: () => Promise<void>): Promise<void> {
    const target = to.getTime();
    // Work already under way (a pass started by start() or poke()) arms its timer first.
    await settle();
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | null = null;
      for (const e of this.pending) if (e[1].at <= target && (next === null || e[1].at < next[1].at)) next = e;
      if (next === null) break;
      this.pending.delete(next[0]);
      this.t = Math.max(this.t, next[1].at);
      next[1].fn();
      await settle();
    }
    this.t = Math.max(this.t, target);
  }
  set(to: Date): void {
    this.t = to.getTime();
  }
}

export class FakeAppService implements AppService {
  readonly calls: Call[] = [];
  readonly profiles = new Map<string, FakeProfile>();
  activeId: string | null = null;
  /** The next N renew() calls fail with this error. */
  renewFailures = 0;
  renewError: Error = new UserError('CA_UNREACHABLE', 'the local CA could not sign', 'check the data directory');
  rotateError: Error | null = null;
  doctorOk = true;
  listError: Error | null = null;
  private serialSeq = 0x100;

  constructor(readonly now: () => Date = () => new Date()) {}

  add(p: Partial<FakeProfile> & { id: string }, active = false): FakeProfile {
    const nb = p.notBefore ?? this.now();
    const full: FakeProfile = {
      name: p.id,
      url: `https://${p.id}.coder.example`,
      source: 'self-signed',
      pending: false,
      notBefore: nb,
      notAfter: new Date(nb.getTime() + 30 * DAY),
      serial: (this.serialSeq++).toString(16),
      policy: { ...DEFAULT_RENEWAL_POLICY },
      keyPem: FAKE_KEY_PEM,
      generation: 1,
      ...p,
    };
    this.profiles.set(full.id, full);
    if (active || this.activeId === null) this.activeId = full.id;
    return full;
  }

  private record(method: keyof AppService, args: unknown[]): void {
    this.calls.push({ method, args, at: this.now() });
  }
  callsOf(method: keyof AppService): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }
  timesOf(method: keyof AppService): string[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.at.toISOString());
  }

  private get(id?: string): FakeProfile {
    const key = id ?? this.activeId;
    const p = key === null ? undefined : this.profiles.get(key);
    if (!p) throw new UserError('NO_SUCH_PROFILE', `There is no profile "${key}"`, 'See the profiles with: mtls-tray list');
    return p;
  }

  private canRenew(p: FakeProfile): boolean {
    return canRenewUnattended(p);
  }

  /** The profile as a list entry: its fields as given, nothing computed. */
  summary(p: FakeProfile): ProfileSummaryDto {
    return {
      id: p.id,
      name: p.name,
      url: p.url,
      altHost: null,
      source: p.source,
      pending: p.pending,
      active: p.id === this.activeId,
      canRenew: this.canRenew(p),
      canRotate: this.canRenew(p),
      sans: [],
      notAfter: p.pending ? null : p.notAfter.toISOString(),
      daysLeft: p.daysLeft ?? null,
      level: p.level ?? (p.broken ? 'broken' : p.pending ? 'pending' : 'ok'),
    };
  }

  private op(p: FakeProfile, message: string): OperationResultDto {
    return { ok: true, profileId: p.id, generation: p.generation, message };
  }

  private reissue(p: FakeProfile): void {
    const lifetime = p.notAfter.getTime() - p.notBefore.getTime();
    p.notBefore = this.now();
    p.notAfter = new Date(p.notBefore.getTime() + lifetime);
    p.serial = (this.serialSeq++).toString(16);
    p.generation += 1;
  }

  async listProfiles(): Promise<ProfileSummaryDto[]> {
    this.record('listProfiles', []);
    if (this.listError) throw this.listError;
    return [...this.profiles.values()].map((p) => this.summary(p));
  }
  async status(profileId?: string): Promise<StatusDto | null> {
    this.record('status', [profileId]);
    if (this.profiles.size === 0) return null;
    const p = this.get(profileId);
    const validity = { notBefore: p.notBefore, notAfter: p.notAfter, serial: p.serial };
    const plan = planRenewal({ validity, policy: p.policy, now: this.now(), canRenew: this.canRenew(p) });
    return {
      profile: this.summary(p),
      report: p.pending || p.broken
        ? null
        : {
            subject: `CN=${p.name}`,
            issuer: `CN=${p.name}`,
            serial: p.serial,
            fingerprintSha256: 'AA:BB',
            notBefore: p.notBefore.toISOString(),
            notAfter: p.notAfter.toISOString(),
            daysLeft: plan.daysLeft,
            lifetimeUsed: plan.lifetimeUsed,
            key: { algorithm: 'ECDSA', curve: 'P-256' },
            sans: [`email:${p.id}@example.com`],
            keyUsages: ['digitalSignature'],
            extKeyUsages: ['clientAuth'],
            isCa: false,
            selfSigned: true,
            warnings: [],
          },
      renewal: p.pending || p.broken ? null : { action: plan.next.action, at: plan.next.at?.toISOString() ?? null, renewAt: plan.renewAt.toISOString(), reason: plan.next.reason, warning: plan.warning, policy: p.policy },
      editorsUse: null,
      files: { cert: '/d/active/current/client.crt', key: '/d/active/current/client.key', ca: null, headers: '/d/active/current/headers', headerCommand: '/d/bin/coder-header-command', refreshCommand: '/d/bin/coder-cert-refresh' },
      settingsValues: { 'coder.tlsKeyFile': '/d/active/current/client.key' },
      editors: [],
      generations: [{ number: p.generation, current: true, createdAt: p.notBefore.toISOString(), serial: p.serial, fingerprintSha256: 'AA:BB', notAfter: p.notAfter.toISOString() }],
      dataDirProblem: null,
      drift: [],
    };
  }
  async init(req: InitRequest): Promise<InitResultDto> {
    this.record('init', [req]);
    const id = (req.name ?? 'profile').toLowerCase().replace(/[^a-z0-9]+/g, '-');
    const p = this.add({ id, name: req.name ?? id, url: req.url, pending: req.identity.kind === 'csr', source: req.identity.kind === 'import-pem' || req.identity.kind === 'import-p12' ? 'imported' : req.identity.kind }, true);
    return { profile: this.summary(p), ...(p.pending ? { csrPem: '-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n' } : {}), settings: [], notices: [] };
  }
  async renew(profileId?: string): Promise<OperationResultDto> {
    this.record('renew', [profileId]);
    const p = this.get(profileId);
    if (this.renewFailures > 0) {
      this.renewFailures--;
      throw this.renewError;
    }
    if (!this.canRenew(p)) throw new UserError('CANNOT_RENEW', `${p.name} is issued by your CA`, 'renew it with your CA');
    this.reissue(p);
    return this.op(p, `Renewed ${p.name}: generation ${p.generation}.`);
  }
  async rotate(profileId?: string): Promise<OperationResultDto> {
    this.record('rotate', [profileId]);
    const p = this.get(profileId);
    if (this.rotateError) throw this.rotateError;
    this.reissue(p);
    return this.op(p, `Rotated ${p.name}: new key, generation ${p.generation}.`);
  }
  async rollback(profileId?: string): Promise<OperationResultDto> {
    this.record('rollback', [profileId]);
    const p = this.get(profileId);
    return this.op(p, 'Rolled back.');
  }
  async switchProfile(profileId: string): Promise<{ profileId: string; settings: SettingsFileResultDto[] }> {
    this.record('switchProfile', [profileId]);
    this.get(profileId);
    this.activeId = profileId;
    return { profileId, settings: [] };
  }
  async renameProfile(profileId: string, name: string): Promise<ProfileSummaryDto> {
    this.record('renameProfile', [profileId, name]);
    const p = this.get(profileId);
    p.name = name;
    return this.summary(p);
  }
  async deleteProfile(profileId: string): Promise<void> {
    this.record('deleteProfile', [profileId]);
    this.get(profileId);
    this.profiles.delete(profileId);
  }
  async editProfile(req: Parameters<AppService['editProfile']>[0]): ReturnType<AppService['editProfile']> {
    this.record('editProfile', [req]);
    const p = this.get(req.profileId ?? [...this.profiles.keys()][0]!);
    return { profile: this.summary(p), dryRun: Boolean(req.dryRun), changed: [], generation: null, newGeneration: false, fromNextRenewal: [], settings: [], notices: [], values: { name: p.name, altHost: null, hasCaBundle: false, headers: [], sans: [], days: 30, keyAlgorithm: 'ecdsa-p256' } };
  }
  async history(profileId?: string): ReturnType<AppService['history']> {
    this.record('history', [profileId]);
    const p = this.get(profileId ?? [...this.profiles.keys()][0]!);
    return { profileId: p.id, name: p.name, active: true, generations: [] };
  }
  async csrImportCert(certPem: string, profileId?: string): Promise<OperationResultDto & { settings: SettingsFileResultDto[] }> {
    this.record('csrImportCert', [certPem, profileId]);
    if (!certPem.includes('BEGIN CERTIFICATE')) throw new UserError('NOT_A_CERTIFICATE', 'the file is not a PEM certificate', 'choose the certificate your CA issued');
    const p = this.get(profileId);
    p.pending = false;
    return { ...this.op(p, 'Certificate imported.'), settings: [] };
  }
  async pendingCsr(profileId?: string): Promise<string> {
    this.record('pendingCsr', [profileId]);
    this.get(profileId);
    return '-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n';
  }
  async csrNew(profileId: string | undefined, opts: { newKey?: boolean }): Promise<{ profileId: string; csrPem: string; newKey: boolean; since: string; message: string }> {
    this.record('csrNew', [profileId, opts]);
    const p = this.get(profileId);
    return { profileId: p.id, csrPem: '-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n', newKey: Boolean(opts.newKey), since: '2026-01-01T00:00:00Z', message: 'request written' };
  }
  async setIssuerCommand(profileId: string | undefined, opts: { command?: string | null; timeoutSeconds?: number }): Promise<{ profileId: string; issuerCommand: { command: string; timeoutSeconds: number } | null; message: string }> {
    this.record('setIssuerCommand', [profileId, opts]);
    const p = this.get(profileId);
    const ic = typeof opts.command === 'string' ? { command: opts.command, timeoutSeconds: opts.timeoutSeconds ?? 120 } : null;
    return { profileId: p.id, issuerCommand: ic, message: 'issuer command set' };
  }
  async exportProfile(profileId: string | undefined, opts: { withIdentityPassphrase?: string }): Promise<string> {
    this.record('exportProfile', [profileId, opts]);
    const p = this.get(profileId);
    const identity = opts.withIdentityPassphrase ? `\n"identity": "-----BEGIN ENCRYPTED PRIVATE KEY-----\\nMIIFAKE\\n-----END ENCRYPTED PRIVATE KEY-----"` : '';
    return `{"format":"mtls-tray-profile","name":${JSON.stringify(p.name)}${identity}}\n`;
  }
  async exportLink(profileId?: string): Promise<string> {
    this.record('exportLink', [profileId]);
    return `mtls-tray://import?p=${this.get(profileId).id}`;
  }
  async previewImport(textOrLink: string): Promise<ImportPreviewDto> {
    this.record('previewImport', [textOrLink]);
    if (!textOrLink.includes('mtls-tray')) throw new UserError('NOT_A_PROFILE', 'this is not an mtls-tray profile', 'ask the sender for the .mtlsprofile file');
    return { review: ['deployment https://x.example'], name: 'Shared', url: 'https://x.example', needsPassphrase: false };
  }
  async importProfile(textOrLink: string, opts: { passphrase?: string }): Promise<InitResultDto> {
    this.record('importProfile', [textOrLink, opts]);
    const p = this.add({ id: `imported-${this.profiles.size + 1}`, name: 'Shared' }, true);
    return { profile: this.summary(p), settings: [], notices: [] };
  }
  async applySettings(req: SettingsRequest): Promise<SettingsFileResultDto[]> {
    this.record('applySettings', [req]);
    return [{ editor: 'code', path: '/home/u/.config/Code/User/settings.json', changed: true, wrote: !req.dryRun, keys: ['coder.tlsKeyFile'], reloadKeys: [], diff: '+ "coder.tlsKeyFile": "/d/active/current/client.key"', notices: [] }];
  }
  async previewSettings(req: { editors: EditorId[]; altHost?: string; hasCaBundle: boolean; hasHeaders?: boolean; proxyConsent: boolean }): Promise<SettingsFileResultDto[]> {
    this.record('previewSettings', [req]);
    return req.editors.map((editor) => ({ editor, path: `/home/u/.config/${editor}/User/settings.json`, changed: true, wrote: false, keys: ['coder.tlsCertFile'], reloadKeys: [], diff: '+ "coder.tlsCertFile": "/d/active/current/client.crt"', notices: [] }));
  }
  async removeSettings(req: SettingsRequest): Promise<SettingsFileResultDto[]> {
    this.record('removeSettings', [req]);
    return [];
  }
  async detectEditors(): Promise<EditorStateDto[]> {
    this.record('detectEditors', []);
    return [{ id: 'code', name: 'VS Code', settingsPath: '/home/u/.config/Code/User/settings.json', installed: true, configured: false, mismatched: [], proxySupport: null, managed: false, keptTheirs: null, drift: [] }];
  }
  async doctor(profileId?: string): Promise<DoctorReportDto> {
    this.record('doctor', [profileId]);
    this.get(profileId);
    return this.doctorOk
      ? { url: 'https://coder.example.com', checkedAt: '2026-01-01T00:00:00.000Z', ok: true, checks: [{ id: 'tls', title: 'TLS handshake', status: 'pass', detail: 'client certificate accepted' }] }
      : { url: 'https://coder.example.com', checkedAt: '2026-01-01T00:00:00.000Z', ok: false, checks: [{ id: 'tls', title: 'TLS handshake', status: 'fail', detail: 'alert 42 bad certificate', fix: 'add the CA to the server' }] };
  }
  async checkDeployment(url: string, altHost?: string): Promise<DoctorReportDto> {
    this.record('checkDeployment', [url, altHost]);
    return { url, checkedAt: '2026-01-01T00:00:00.000Z', ok: true, checks: [] };
  }
  async refresh(): Promise<RefreshResultDto> {
    this.record('refresh', []);
    return { ok: true, renewed: false, message: 'valid' };
  }
  async showSettings(req: SettingsRequest) {
    this.record('showSettings', [req]);
    return [];
  }
  async caSign(csrPem: string, opts: { days?: number }) {
    this.record('caSign', [csrPem, opts]);
    return { certPem: '', copied: [], refused: [] };
  }
  async caCert(profileId?: string): Promise<string> {
    this.record('caCert', [profileId]);
    return '';
  }
  async trustSnippet(profileId: string | undefined, req: TrustSnippetRequest): Promise<TrustSnippetDto> {
    this.record('trustSnippet', [profileId, req]);
    return { profileId: profileId ?? 'p', profileName: 'p', url: 'https://coder.example.com', hasCaBundle: false, format: req.format, distro: null, message: 'no CA bundle', snippet: null, fileName: null, caFileName: null, caPem: null, certificates: 0, nodeExtraCaCerts: null };
  }
  async driftReport(): Promise<DriftReportDto> {
    this.record('driftReport', []);
    return { checkedAt: this.now().toISOString(), sources: [], kept: [], filesBusy: false, watch: [] };
  }
  async observeDrift(): Promise<{ report: DriftReportDto; notices: DriftNoticeDto[] }> {
    this.record('observeDrift', []);
    return { report: await this.driftReport(), notices: [] };
  }
  async restoreDrift(source: string): Promise<DriftActionResultDto> {
    this.record('restoreDrift', [source]);
    return { source, ok: true, message: 'restored' };
  }
  async keepTheirs(source: string): Promise<DriftActionResultDto> {
    this.record('keepTheirs', [source]);
    return { source, ok: true, message: 'kept' };
  }
}
