/**
 * Enrolment: a new profile from one of the identity sources (self-signed, CSR, local CA,
 * imported PEM or PKCS#12), written with its first generation under the writer lock. A step
 * that fails removes the half-made profile, so nothing of it is left on disk.
 */
import { X509Certificate } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { inFieldAsync, UserError } from '../base/errors';
import { isoSeconds } from '../store/cert-facts';
import * as creds from '../credentials/reading';
import type { San } from '../credentials/reading';
import { DEFAULT_ISSUER_TIMEOUT_SECONDS, DEFAULT_RENEWAL_POLICY, PROFILE_SCHEMA_VERSION, type IssuerCommand, type Profile } from '../profiles/profile';
import { aboutIssuerOutput, checkIssuerCommand, runIssuerCommand } from './issuer-command';
import { checkDeploymentUrl } from '../profiles/profile-schema';
import { checkCaBundle } from '../profiles/share-format';
import { renderHeadersFile } from '../store/headers';
import type { GenerationInfo } from '../store/store';
import type { EditorId, IdentityInput, InitRequest, InitResultDto, SettingsFileResultDto, WarningDto } from './app-service';
import { making, type Making, type ServiceContext } from './context';
import { summaryDto } from './dtos';
import { applyTo, chooseTargets, rememberTargets } from './editors';
import { checkAltHost, checkHeaders, defaultCommonName, defaultSans, DEFAULT_DAYS, nameAndId, sansFromInput } from './identity-inputs';

export interface Identity {
  certPem: string;
  keyPem: string;
  chainPem: string;
}

export interface PendingRequest {
  keyPem: string;
  csrPem: string;
}

export interface NewProfileParts {
  identity: Identity | null;
  pending: PendingRequest | null;
  localCa: { certPem: string; keyPem: string } | null;
  caBundle: string | null;
  operation: 'create' | 'import';
  /** The user chose the display name (--name): a taken one is refused rather than numbered. */
  nameGiven?: boolean;
  /** The import check's warnings (checkIdentity), shown with the result. */
  warnings?: WarningDto[];
  /** The issuer command set at init (local trust, its own file beside profile.json). */
  issuer?: IssuerCommand;
}

export interface SettingsChoice {
  editors?: EditorId[];
  settingsFiles?: string[];
  noSettings?: boolean;
  proxyConsent?: boolean;
}

/** A new key with either a self-signed certificate or a CSR: the identities we make on our own. */
export async function newKey(
  ctx: ServiceContext,
  mk: Making,
  kind: 'self-signed' | 'csr',
  o: { keyAlgorithm: Profile['keyAlgorithm']; sans: San[]; commonName: string; days: number },
): Promise<{ identity: Identity | null; pending: PendingRequest | null }> {
  const keyPem = await mk.generateKey(o.keyAlgorithm);
  if (kind === 'csr') return { identity: null, pending: { keyPem, csrPem: await mk.createCsr({ keyPem, sans: o.sans, commonName: o.commonName }) } };
  const certPem = await mk.createSelfSignedClientCert({ keyPem, sans: o.sans, commonName: o.commonName, days: o.days, now: ctx.now() });
  return { identity: { keyPem, certPem, chainPem: '' }, pending: null };
}

export async function importIdentity(ctx: ServiceContext, mk: Making, input: Extract<IdentityInput, { kind: 'import-pem' | 'import-p12' }>): Promise<Identity> {
  // A PKCS#12 goes through the context's reader: a worker thread in the app (its key
  // derivations may take a second), in-process in the CLI.
  const r = input.kind === 'import-pem' ? mk.importPemCredentials({ cert: input.certPem, key: input.keyPem, chain: input.chainPem, passphrase: input.passphrase }) : await inFieldAsync('p12File', async () => (ctx.readPkcs12 ? ctx.readPkcs12(input.p12, input.passphrase) : mk.importPkcs12(input.p12, input.passphrase)));
  return { certPem: r.certPem, keyPem: r.keyPem, chainPem: r.chainPem };
}

/** How far ahead of our clock a certificate's notBefore may be and still be imported. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** The report's codes that make an identity unusable: such an identity is never published (DESIGN §2.1). */
const REFUSED: Record<string, { code: 'CERT_EXPIRED' | 'CERT_NOT_YET_VALID' | 'CERT_NO_CLIENT_AUTH' | 'KEY_MISMATCH'; fix: string }> = {
  EXPIRED: { code: 'CERT_EXPIRED', fix: 'Get a current certificate from your CA and import that one (or make one with `mtls-tray init --self-signed`).' },
  NOT_YET_VALID: { code: 'CERT_NOT_YET_VALID', fix: "Check this computer's clock and time zone; if it is right, import the certificate once it is valid or ask your CA to reissue it." },
  NO_CLIENT_AUTH_EKU: { code: 'CERT_NO_CLIENT_AUTH', fix: 'Ask your CA for a certificate with the clientAuth extended key usage, then import that one.' },
  KEY_MISMATCH: { code: 'KEY_MISMATCH', fix: 'Import the private key that was created together with this certificate.' },
};

/**
 * Checks an identity from outside (an import) before anything is written: an identity that
 * cannot work is refused with one fix; every other warning is returned for the caller to show.
 */
export function checkIdentity(ctx: ServiceContext, identity: Identity, what: string): WarningDto[] {
  const r = creds.certificateReport(identity.certPem, { keyPem: identity.keyPem, now: ctx.now(), ...(identity.chainPem ? { chainPem: identity.chainPem } : {}) });
  for (const w of r.warnings) {
    const refusal = REFUSED[w.code];
    // A certificate a CA issued a moment ago may start a little after our clock: that is skew,
    // not a wrong certificate, and it is valid by the time a request uses it. Only refuse beyond it.
    if (w.code === 'NOT_YET_VALID' && Date.parse(r.notBefore) - ctx.now().getTime() <= CLOCK_SKEW_MS) continue;
    if (refusal) throw new UserError(refusal.code, `${what} was not imported: ${w.message}`, refusal.fix);
  }
  // An imported identity cannot be rotated or renewed by us: its CA issues the next one.
  return r.warnings.map((w) => ({ code: w.code, severity: w.severity, message: w.message, fix: IMPORT_FIX[w.code] ?? w.fix }));
}

/** The SANs a certificate carries, in openssl spelling (imported and CA-issued certificates keep theirs). */
export function sansOfCert(certPem: string): string[] {
  return creds.certificateSans(new X509Certificate(certPem)).map((s) => creds.formatSan(s));
}

function keyAlgorithmOfPem(keyPem: string): Profile['keyAlgorithm'] | null {
  try {
    return creds.keyAlgorithmOf(keyPem) ?? null;
  } catch {
    return null;
  }
}

export async function init(ctx: ServiceContext, req: InitRequest): Promise<InitResultDto> {
  const url = checkDeploymentUrl(req.url, 'init', 'url');
  const altHost = checkAltHost(req.altHost);
  const headers = checkHeaders(req.headers);
  const caBundle = req.caBundlePem !== undefined ? checkCaBundle(req.caBundlePem, 'the CA bundle') : null;
  const keyAlgorithm = req.keyAlgorithm ?? 'ecdsa-p256';
  const days = req.days ?? DEFAULT_DAYS;
  const { name, id } = nameAndId(url, req.name, new Set(await ctx.store.listProfiles()));
  // {user} and {hostname} are filled in here; the template is kept for export.
  const typed = req.sans?.length ? sansFromInput(req.sans, ctx.vars) : null;
  let sans = typed ? typed.sans : defaultSans(ctx.vars);
  const commonName = defaultCommonName(ctx.vars);

  let identity: Identity | null = null;
  let pending: PendingRequest | null = null;
  let localCa: { certPem: string; keyPem: string } | null = null;
  let source: Profile['source'];
  let warnings: WarningDto[] = [];
  const parsedSans = sans.map((s) => creds.parseSan(s));
  const kind = req.identity.kind;
  let issuer: IssuerCommand | undefined;
  if (req.issuerCommand !== undefined) {
    if (kind === 'self-signed' || kind === 'local-ca') throw new UserError('NOT_CA_ISSUED', `--issuer-command is for a certificate issued by your CA (--csr, --import-pem, --import-p12); a ${kind} profile is renewed by mtls-tray itself`);
    issuer = { command: req.issuerCommand, timeoutSeconds: req.issuerTimeoutSeconds ?? DEFAULT_ISSUER_TIMEOUT_SECONDS };
    checkIssuerCommand(issuer.command, issuer.timeoutSeconds);
  }
  const mk = await making();
  switch (kind) {
    case 'self-signed':
    case 'csr': {
      source = kind;
      ({ identity, pending } = await newKey(ctx, mk, kind, { keyAlgorithm, sans: parsedSans, commonName, days }));
      if (pending && issuer) {
        // --csr with an issuer command: the CSR goes to the command, and the profile is complete
        // as soon as it answers. Nothing is written before that, so a failure leaves nothing behind.
        const out = await runIssuerCommand({ issuer, csrPem: pending.csrPem, profileId: id, url, platform: ctx.platform, env: ctx.env });
        let accepted;
        try {
          accepted = mk.acceptIssuedCertificate(out, pending.keyPem, { now: ctx.now() });
        } catch (err) {
          throw aboutIssuerOutput(issuer.command, err);
        }
        identity = { certPem: accepted.certPem, keyPem: pending.keyPem, chainPem: accepted.chainPem };
        pending = null;
        sans = sansOfCert(identity.certPem);
      }
      break;
    }
    case 'local-ca': {
      source = 'local-ca';
      localCa = await mk.createLocalCa({ commonName: `mtls-tray local CA (${name})`.slice(0, 64), now: ctx.now() });
      const keyPem = await mk.generateKey(keyAlgorithm);
      identity = { keyPem, certPem: await mk.issueClientCert({ ca: localCa, publicKeyPem: keyPem, sans: parsedSans, commonName, days, now: ctx.now() }), chainPem: '' };
      break;
    }
    case 'import-pem':
    case 'import-p12': {
      source = 'imported';
      identity = await importIdentity(ctx, mk, req.identity);
      warnings = checkIdentity(ctx, identity, 'The certificate');
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
    createdAt: isoSeconds(ctx.now()),
  };
  if (altHost) profile.altHost = altHost;
  if (typed?.sanTemplate && source !== 'imported') profile.sanTemplate = typed.sanTemplate;
  return createProfile(ctx, profile, { identity, pending, localCa, caBundle, operation: source === 'imported' ? 'import' : 'create', warnings, nameGiven: req.name !== undefined, ...(issuer ? { issuer } : {}) }, req);
}

/** Writes a new profile and its first generation; on failure the half-made profile is removed. */
export async function createProfile(ctx: ServiceContext, profile: Profile, parts: NewProfileParts, req: SettingsChoice): Promise<InitResultDto> {
  const notices: string[] = [];
  let before: string | null = null;
  await ctx.store.withWriteLock(`create ${profile.id}`, async () => {
    if ((await ctx.store.listProfiles()).includes(profile.id)) throw new UserError('PROFILE_EXISTS', `A profile "${profile.id}" exists already`, 'Choose another --name', 'name');
    profile.name = await freeName(ctx, profile.name, Boolean(parts.nameGiven));
    before = await ctx.store.getActive();
    try {
      await ctx.store.createProfileDir(profile.id);
      await ctx.repo.write(profile);
      if (parts.caBundle) await ctx.repo.writeCaBundle(profile.id, parts.caBundle);
      if (parts.localCa) await ctx.repo.writeLocalCa(profile.id, parts.localCa.certPem, parts.localCa.keyPem);
      if (parts.pending) await ctx.repo.writePending(profile.id, parts.pending.keyPem, parts.pending.csrPem);
      if (parts.issuer) await ctx.repo.writeIssuerCommand(profile.id, parts.issuer);
      if (parts.identity) {
        await writeIdentity(ctx, profile, parts.identity, parts.caBundle, parts.operation);
        await ctx.store.setActive(profile.id);
      }
      const scripts = await ctx.store.installScripts({ argv: [...ctx.cliCommand] });
      if (scripts.notice) notices.push(scripts.notice);
    } catch (err) {
      await rm(ctx.repo.dir(profile.id), { recursive: true, force: true });
      throw err;
    }
  });
  let settings: SettingsFileResultDto[] = [];
  if (parts.pending) {
    notices.push(`The certificate request is in ${ctx.repo.pendingCsrFile(profile.id)}: send it to your CA, then run \`mtls-tray csr import-cert CERT.pem\` (editor settings are applied then).`);
  } else if (!req.noSettings) {
    settings = await ctx.store.withWriteLock(`settings for ${profile.id}`, async () => {
      // A switch may have run since the profile was created: write the values of whichever
      // profile is active now, read under the lock the write holds.
      const active = await ctx.store.getActive();
      const current = active && active !== profile.id ? await ctx.repo.read(active) : profile;
      return applyTo(ctx, current, chooseTargets(ctx, req, 'installed'), { proxyConsent: Boolean(req.proxyConsent), dryRun: false });
    });
    await rememberTargets(ctx, settings);
  }
  const active = await ctx.store.getActive();
  const was: string | null = before;
  const replaced = was !== null && was !== active ? { id: was, name: await ctx.repo.read(was).then((p) => p.name, () => was) } : null;
  return { profile: await summaryDto(ctx, profile, active), ...(parts.pending ? { csrPem: parts.pending.csrPem } : {}), settings, notices, warnings: parts.warnings ?? [], replaced };
}

/** A display name no other profile has: a chosen one is refused when taken, a default one gets " (2)", " (3)"... */
async function freeName(ctx: ServiceContext, name: string, given: boolean): Promise<string> {
  const taken = new Set<string>();
  for (const id of await ctx.repo.ids()) {
    const other = await ctx.repo.read(id).catch(() => null);
    if (other) taken.add(other.name);
  }
  if (!taken.has(name)) return name;
  if (given) await refuseTakenName(ctx, name);
  for (let n = 2; ; n++) {
    const candidate = `${name.slice(0, 72)} (${n})`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** Display names are unique: `switch NAME` and `--profile NAME` must mean one profile. */
export async function refuseTakenName(ctx: ServiceContext, name: string, except?: string): Promise<void> {
  for (const id of await ctx.repo.ids()) {
    if (id === except) continue;
    const other = await ctx.repo.read(id).catch(() => null);
    if (other && other.name === name) throw new UserError('PROFILE_NAME_TAKEN', `A profile named "${name}" exists already (${id})`, 'Choose another name with --name NAME', 'name');
  }
}

/** An identity (leaf plus chain) as the profile's next generation, with its headers rendered. */
export async function writeIdentity(ctx: ServiceContext, profile: Profile, identity: Identity, caBundle: string | null, operation: string): Promise<GenerationInfo> {
  const cert = identity.chainPem ? `${identity.certPem.trimEnd()}\n${identity.chainPem.trimEnd()}\n` : identity.certPem;
  return ctx.store.writeGeneration(profile.id, { cert, key: identity.keyPem, ca: caBundle, headers: renderHeadersFile(profile.headers, identity.certPem) }, { operation });
}

/** Fixes for warnings about an imported identity: we cannot rotate or renew it, its CA issues the next one. */
const IMPORT_FIX: Record<string, string> = {
  WEAK_KEY: 'Ask your CA for a certificate on an ECDSA P-256 or RSA 2048+ key and import it with `mtls-tray init --url URL --import-pem CERT KEY` (or make a new identity with `mtls-tray init --url URL --self-signed`).',
  WEAK_SIGNATURE: 'Ask your CA to reissue the certificate signed with SHA-256 and import it with `mtls-tray init --url URL --import-pem CERT KEY`.',
};
