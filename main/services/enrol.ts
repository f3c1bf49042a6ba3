/**
 * Enrolment: a new profile from one of the identity sources (self-signed, CSR, local CA,
 * imported PEM or PKCS#12), written with its first generation under the writer lock. A step
 * that fails removes the half-made profile, so nothing of it is left on disk.
 */
import { X509Certificate } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { UserError } from '../base/errors';
import { isoSeconds } from '../store/cert-facts';
import * as creds from '../credentials/reading';
import type { San } from '../credentials/reading';
import { DEFAULT_ISSUER_TIMEOUT_SECONDS, DEFAULT_RENEWAL_POLICY, PROFILE_SCHEMA_VERSION, type IssuerCommand, type Profile } from '../profiles/profile';
import { aboutIssuerOutput, checkIssuerCommand, runIssuerCommand } from './issuer-command';
import { checkDeploymentUrl } from '../profiles/profile-schema';
import { checkCaBundle } from '../profiles/share-format';
import { renderHeadersFile } from '../store/headers';
import type { GenerationInfo } from '../store/store';
import type { EditorId, IdentityInput, InitRequest, InitResultDto, SettingsFileResultDto } from './app-service';
import { making, type Making, type ServiceContext } from './context';
import { summaryDto } from './dtos';
import { applyTo, chooseTargets, rememberTargets } from './editors';
import { checkAltHost, checkHeaders, defaultCommonName, defaultSans, DEFAULT_DAYS, nameAndId, normaliseSans } from './identity-inputs';

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

export function importIdentity(mk: Making, input: Extract<IdentityInput, { kind: 'import-pem' | 'import-p12' }>): Identity {
  const r = input.kind === 'import-pem' ? mk.importPemCredentials({ cert: input.certPem, key: input.keyPem, chain: input.chainPem, passphrase: input.passphrase }) : mk.importPkcs12(input.p12, input.passphrase);
  return { certPem: r.certPem, keyPem: r.keyPem, chainPem: r.chainPem };
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
  let sans = req.sans?.length ? normaliseSans(req.sans) : defaultSans(ctx.vars);
  const commonName = defaultCommonName(ctx.vars);

  let identity: Identity | null = null;
  let pending: PendingRequest | null = null;
  let localCa: { certPem: string; keyPem: string } | null = null;
  let source: Profile['source'];
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
    createdAt: isoSeconds(ctx.now()),
  };
  if (altHost) profile.altHost = altHost;
  return createProfile(ctx, profile, { identity, pending, localCa, caBundle, operation: source === 'imported' ? 'import' : 'create', ...(issuer ? { issuer } : {}) }, req);
}

/** Writes a new profile and its first generation; on failure the half-made profile is removed. */
export async function createProfile(ctx: ServiceContext, profile: Profile, parts: NewProfileParts, req: SettingsChoice): Promise<InitResultDto> {
  const notices: string[] = [];
  await ctx.store.withWriteLock(`create ${profile.id}`, async () => {
    if ((await ctx.store.listProfiles()).includes(profile.id)) throw new UserError('PROFILE_EXISTS', `A profile "${profile.id}" exists already`, 'Choose another --name');
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
    settings = await applyTo(ctx, profile, chooseTargets(ctx, req, 'installed'), { proxyConsent: Boolean(req.proxyConsent), dryRun: false });
    await rememberTargets(ctx, settings);
  }
  const active = await ctx.store.getActive();
  return { profile: await summaryDto(ctx, profile, active), ...(parts.pending ? { csrPem: parts.pending.csrPem } : {}), settings, notices };
}

/** An identity (leaf plus chain) as the profile's next generation, with its headers rendered. */
export async function writeIdentity(ctx: ServiceContext, profile: Profile, identity: Identity, caBundle: string | null, operation: string): Promise<GenerationInfo> {
  const cert = identity.chainPem ? `${identity.certPem.trimEnd()}\n${identity.chainPem.trimEnd()}\n` : identity.certPem;
  return ctx.store.writeGeneration(profile.id, { cert, key: identity.keyPem, ca: caBundle, headers: renderHeadersFile(profile.headers, identity.certPem) }, { operation });
}
