/**
 * The local CA of a `--local-ca` profile: it signs a teammate's CSR (copying only the SANs
 * allowed) and hands out its certificate for the server's client-CA list.
 */
import { UserError } from '../base/errors';
import * as creds from '../credentials/reading';
import type { Profile } from '../profiles/profile';
import { making, type ServiceContext } from './context';

/** `ca sign` without --allow-san copies names that identify a person or a service, never an IP. */
const DEFAULT_CA_SIGN_ALLOW = ['DNS:*', 'email:*', 'URI:*'];

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
  const res = await (await making()).signCsr({ ca, csrPem, days: opts.days ?? p.validityDays, allow: opts.allowSans?.length ? opts.allowSans : DEFAULT_CA_SIGN_ALLOW, now: ctx.now() });
  return { certPem: res.certPem, copied: res.copied.map((s) => creds.formatSan(s)), refused: res.refused.map((s) => creds.formatSan(s)) };
}

export async function caCert(ctx: ServiceContext, profileId?: string): Promise<string> {
  return (await issuerFor(ctx, await localCaProfile(ctx, profileId)))!.certPem;
}
