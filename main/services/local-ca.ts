/**
 * The local CA of a `--local-ca` profile: it signs a teammate's CSR (copying only the SANs
 * allowed) and hands out its certificate for the server's client-CA list.
 */
import { X509Certificate } from 'node:crypto';
import { UserError } from '../base/errors';
import * as creds from '../credentials/reading';
import type { Profile } from '../profiles/profile';
import { making, type ServiceContext } from './context';

/**
 * `ca sign` without --allow-san copies only the names that belong to the requester by the CSR's
 * own subject: an email whose local part is the CN (or the CN's user part, `dev` of `dev@host`,
 * our default CN), a DNS name that is the CN or whose first label is the CN's user or host
 * part. Never an IP or a URI, and never one of the CA owner's own names (its certificate's
 * SANs, its CA's subject): a CSR asking for those is a teammate asking to be the owner.
 * `--allow-san PATTERN` is the operator's explicit decision and replaces this rule.
 */
export function defaultCaSignRule(csrCommonName: string | undefined, ownerNames: readonly creds.San[]): (san: creds.San) => boolean {
  const cn = (csrCommonName ?? '').trim().toLowerCase();
  const [userPart, hostPart] = cn.includes('@') ? [cn.slice(0, cn.indexOf('@')), cn.slice(cn.indexOf('@') + 1)] : [cn, ''];
  const own = new Set([cn, userPart, hostPart.split('.')[0] ?? ''].filter((s) => s !== ''));
  return (san) => {
    if (ownerNames.some((o) => creds.sameSan(o, san))) return false;
    const v = san.value.toLowerCase();
    if (san.type === 'email') return v === cn || own.has(v.slice(0, v.lastIndexOf('@')));
    if (san.type === 'dns') return v === cn || own.has(v.split('.')[0] ?? '');
    return false;
  };
}

/** The CA that issues a local-CA profile's certificates; undefined for any other source. */
export async function issuerFor(ctx: ServiceContext, p: Profile): Promise<{ certPem: string; keyPem: string } | undefined> {
  if (p.source !== 'local-ca') return undefined;
  const ca = await ctx.repo.readLocalCa(p.id);
  if (!ca) throw new UserError('LOCAL_CA_MISSING', `The local CA of profile ${p.id} is missing (${ctx.repo.localCaCertFile(p.id)})`);
  return ca;
}

async function localCaProfile(ctx: ServiceContext, profileId?: string): Promise<Profile> {
  if (profileId !== undefined) {
    const p = await ctx.repo.read(await ctx.resolveId(profileId));
    if (p.source !== 'local-ca') throw new UserError('NOT_A_LOCAL_CA', `Profile ${p.id} has no local CA`, 'Name a profile made with `init --local-ca`');
    return p;
  }
  const cas: Profile[] = [];
  for (const id of await ctx.repo.ids()) {
    const p = await ctx.repo.read(id);
    if (p.source === 'local-ca') cas.push(p);
  }
  if (cas.length === 1) return cas[0]!;
  const active = await ctx.store.getActive();
  const act = cas.find((c) => c.id === active);
  if (act) return act;
  throw new UserError('NOT_A_LOCAL_CA', cas.length ? 'Several profiles have a local CA' : 'No profile has a local CA', cas.length ? 'Name one with --profile' : 'Create one with `mtls-tray init --local-ca`');
}

export async function caSign(ctx: ServiceContext, csrPem: string, opts: { days?: number; allowSans?: string[]; profileId?: string }): Promise<{ certPem: string; copied: string[]; refused: string[] }> {
  const p = await localCaProfile(ctx, opts.profileId);
  const ca = (await issuerFor(ctx, p))!;
  const mk = await making();
  let allow: readonly string[] | ((san: creds.San) => boolean);
  if (opts.allowSans?.length) {
    allow = opts.allowSans;
  } else {
    const csr = await mk.readCsr(csrPem);
    allow = defaultCaSignRule(csr.commonName, await ownerNames(ctx, p, ca.certPem));
  }
  const res = await mk.signCsr({ ca, csrPem, days: opts.days ?? p.validityDays, allow, now: ctx.now() });
  return { certPem: res.certPem, copied: res.copied.map((s) => creds.formatSan(s)), refused: res.refused.map((s) => creds.formatSan(s)) };
}

export async function caCert(ctx: ServiceContext, profileId?: string): Promise<string> {
  return (await issuerFor(ctx, await localCaProfile(ctx, profileId)))!.certPem;
}

/** The CA owner's own names: its current certificate's SANs, its profile's SANs, its CA's subject CN. */
async function ownerNames(ctx: ServiceContext, p: Profile, caCertPem: string): Promise<creds.San[]> {
  const out: creds.San[] = [];
  const cur = p.pending ? null : await ctx.store.readCurrent(p.id).catch(() => null);
  if (cur) out.push(...creds.certificateSans(new X509Certificate(cur.cert)));
  for (const s of p.sans) {
    try {
      out.push(creds.parseSan(s));
    } catch {
      /* a profile's SANs were checked when it was made */
    }
  }
  const caCn = /(?:^|\n)CN=([^\n]+)/.exec(new X509Certificate(caCertPem).subject)?.[1];
  if (caCn) out.push({ type: 'dns', value: caCn }, { type: 'email', value: caCn });
  return out;
}
