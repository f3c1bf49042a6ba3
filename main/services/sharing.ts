/**
 * Sharing a profile with teammates: export as a file or a link (optionally with the identity,
 * encrypted), preview what an import would create, and import it as a new profile.
 */
import { UserError, inField } from '../base/errors';
import * as creds from '../credentials/reading';
import { DEFAULT_RENEWAL_POLICY, PROFILE_SCHEMA_VERSION, type Profile } from '../profiles/profile';
import {
  describeSharedProfile,
  identityForTeammate,
  parseProfileLink,
  parseSharedProfile,
  profileToLink,
  serializeSharedProfile,
  SHARE_FORMAT,
  SHARE_VERSION,
  type SharedProfile,
} from '../profiles/share-format';
import { isoSeconds } from '../store/cert-facts';
import type { EditorId, ImportPreviewDto, InitResultDto, WarningDto } from './app-service';
import { making, type ServiceContext } from './context';
import { checkIdentity, createProfile, importIdentity, newKey, sansOfCert, type Identity, type PendingRequest } from './enrol';
import { defaultCommonName, nameAndId, sansFromInput, templateOfSans } from './identity-inputs';

async function sharedFrom(ctx: ServiceContext, profileId: string | undefined): Promise<{ p: Profile; shared: SharedProfile }> {
  const id = await ctx.resolveId(profileId);
  const p = await ctx.repo.read(id);
  const shared: SharedProfile = {
    format: SHARE_FORMAT,
    version: SHARE_VERSION,
    name: p.name,
    url: p.url,
    identity: p.source,
    keyAlgorithm: p.keyAlgorithm,
    validityDays: p.validityDays,
    // The exporter's own login and host name become {user} / {hostname}: each teammate gets theirs.
    sanTemplate: p.sanTemplate ?? templateOfSans(p.sans, ctx.vars),
    headers: p.headers,
    renewal: p.renewal,
  };
  if (p.altHost) shared.altHost = p.altHost;
  if (p.hasCaBundle) {
    const ca = await ctx.repo.readCaBundle(id);
    if (ca) shared.caBundle = ca;
  }
  return { p, shared };
}

export async function exportProfile(ctx: ServiceContext, profileId: string | undefined, opts: { withIdentityPassphrase?: string }): Promise<string> {
  const { p, shared } = await sharedFrom(ctx, profileId);
  if (opts.withIdentityPassphrase !== undefined) {
    if (opts.withIdentityPassphrase.length < 8) throw new UserError('WEAK_PASSPHRASE', 'The passphrase protecting an exported identity must have at least 8 characters', undefined, 'passphrase');
    const cur = await ctx.store.readCurrent(p.id);
    if (!cur) throw new UserError('NO_CERTIFICATE', `Profile ${p.id} has no certificate to export`);
    const p12 = (await making()).exportPkcs12({ certPem: cur.cert, keyPem: cur.key, passphrase: opts.withIdentityPassphrase, friendlyName: p.name });
    shared.identityBundle = { type: 'pkcs12', data: Buffer.from(p12).toString('base64') };
  }
  return serializeSharedProfile(shared);
}

export async function exportLink(ctx: ServiceContext, profileId?: string): Promise<string> {
  return profileToLink((await sharedFrom(ctx, profileId)).shared);
}

/** Errors about the shared profile itself name the input `profile` (the file or link given). */
function parseShared(textOrLink: string): SharedProfile {
  const t = textOrLink.trim();
  return inField('profile', () => (t.startsWith('mtls-tray://') ? parseProfileLink(t) : parseSharedProfile(textOrLink, 'the profile file')));
}

export interface ImportOverrides {
  /** Replaces the profile's SAN template ({user} and {hostname} allowed). */
  sans?: string[];
  /** Replaces the profile's display name. */
  name?: string;
}

function withOverrides(shared: SharedProfile, o: ImportOverrides, ctx: ServiceContext): SharedProfile {
  const out = { ...shared };
  if (o.sans?.length) {
    const { sans, sanTemplate } = sansFromInput(o.sans, ctx.vars);
    out.sanTemplate = sanTemplate ?? sans;
  }
  if (o.name !== undefined) out.name = o.name;
  return out;
}

export async function previewImport(ctx: ServiceContext, textOrLink: string, overrides: ImportOverrides = {}): Promise<ImportPreviewDto> {
  const shared = withOverrides(parseShared(textOrLink), overrides, ctx);
  return { review: describeSharedProfile(shared, ctx.vars), name: shared.name, url: shared.url, needsPassphrase: Boolean(shared.identityBundle) };
}

export async function importProfile(ctx: ServiceContext, textOrLink: string, opts: ImportOverrides & { passphrase?: string; editors?: EditorId[]; noSettings?: boolean; proxyConsent?: boolean }): Promise<InitResultDto> {
  const shared = withOverrides(parseShared(textOrLink), opts, ctx);
  const how = identityForTeammate(shared);
  // The template filled in with this user's login and host name.
  const sans = sansFromInput(shared.sanTemplate, ctx.vars).sans;
  const { name, id } = nameAndId(shared.url, shared.name, new Set(await ctx.store.listProfiles()));
  const commonName = defaultCommonName(ctx.vars);
  let identity: Identity | null = null;
  let pending: PendingRequest | null = null;
  let warnings: WarningDto[] = [];
  const mk = await making();
  if (shared.identityBundle) {
    if (opts.passphrase === undefined) throw new UserError('PASSPHRASE_NEEDED', 'This profile carries an encrypted certificate and key; a passphrase is needed to import it', undefined, 'passphrase');
    identity = await importIdentity(ctx, mk, { kind: 'import-p12', p12: Buffer.from(shared.identityBundle.data, 'base64'), passphrase: opts.passphrase });
    warnings = checkIdentity(ctx, identity, 'The certificate in this profile');
  } else {
    const parsedSans = sans.map((s) => creds.parseSan(s));
    ({ identity, pending } = await newKey(ctx, mk, how.source === 'self-signed' ? 'self-signed' : 'csr', { keyAlgorithm: shared.keyAlgorithm, sans: parsedSans, commonName, days: shared.validityDays }));
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
    createdAt: isoSeconds(ctx.now()),
  };
  if (shared.altHost) profile.altHost = shared.altHost;
  return createProfile(ctx, profile, { identity, pending, localCa: null, caBundle: shared.caBundle ?? null, operation: 'import', warnings, nameGiven: opts.name !== undefined }, opts);
}
