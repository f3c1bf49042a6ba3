/**
 * Editing a profile after `init` (DESIGN §2.1): each edit changes only what it touches.
 * - a new CA bundle or new headers: a new generation with the same key and certificate;
 * - a change of alt host, of having a CA bundle or of having headers: one settings write per
 *   editor, and only where the coder.* values change (the settings layer writes nothing else);
 * - SANs, validity and key algorithm: stored, and used from the next renew or rotate;
 * - the display name: profile.json only.
 * `dryRun` computes the same result, settings diff included, and writes nothing.
 */
import { UserError } from '../base/errors';
import type { Profile } from '../profiles/profile';
import { checkCaBundle } from '../profiles/share-format';
import { renderHeadersFile } from '../store/headers';
import type { EditableProfileDto, EditRequest, EditResultDto, SettingsFileResultDto } from './app-service';
import { desiredValues, type ServiceContext } from './context';
import { summaryDto } from './dtos';
import { applyTo, configuredTargets } from './editors';
import { refuseTakenName } from './enrol';
import { checkAltHost, checkHeaders, checkName, sansFromInput } from './identity-inputs';

const leafOf = (pem: string): string => pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n?/)?.[0] ?? pem;
const sameHeaders = (a: Profile['headers'], b: Profile['headers']) => JSON.stringify(a) === JSON.stringify(b);

function editedHeaders(p: Profile, req: EditRequest): Profile['headers'] {
  let headers = p.headers.map((h) => ({ ...h }));
  for (const name of req.removeHeaders ?? []) {
    const before = headers.length;
    headers = headers.filter((h) => h.name.toLowerCase() !== name.toLowerCase());
    if (headers.length === before) throw new UserError('HEADER_INVALID', `Profile ${p.id} has no header "${name}" to remove`, `Its headers file is named by \`mtls-tray status --profile ${p.id}\``, 'headers');
  }
  for (const h of req.setHeaders ?? []) {
    const i = headers.findIndex((x) => x.name.toLowerCase() === h.name.toLowerCase());
    if (i >= 0) headers[i] = { name: h.name, value: h.value };
    else headers.push({ name: h.name, value: h.value });
  }
  return checkHeaders(headers);
}

export async function editProfile(ctx: ServiceContext, req: EditRequest): Promise<EditResultDto> {
  const id = await ctx.resolveId(req.profileId);
  const dryRun = Boolean(req.dryRun);
  const run = async () => {
    const p = await ctx.repo.read(id);
    const next: Profile = { ...p, headers: p.headers };
    const changed: string[] = [];
    const fromNextRenewal: string[] = [];
    if (req.name !== undefined && req.name !== p.name) {
      next.name = checkName(req.name);
      await refuseTakenName(ctx, next.name, id);
      changed.push('name');
    }
    const oldCa = p.hasCaBundle ? await ctx.repo.readCaBundle(id) : null;
    let newCa: string | null = oldCa;
    if (req.caBundlePem !== undefined) {
      newCa = req.caBundlePem === null ? null : checkCaBundle(req.caBundlePem, 'the CA bundle');
      next.hasCaBundle = newCa !== null;
      if (newCa !== oldCa) changed.push('caBundle');
    }
    if (req.altHost !== undefined) {
      const alt = req.altHost === null ? undefined : checkAltHost(req.altHost);
      if (alt) next.altHost = alt;
      else delete next.altHost;
      if (next.altHost !== p.altHost) changed.push('altHost');
    }
    if (req.setHeaders?.length || req.removeHeaders?.length) {
      next.headers = editedHeaders(p, req);
      if (!sameHeaders(next.headers, p.headers)) changed.push('headers');
    }
    if (req.sans !== undefined) {
      const { sans, sanTemplate } = sansFromInput(req.sans, ctx.vars);
      next.sans = sans;
      if (sanTemplate) next.sanTemplate = sanTemplate;
      else delete next.sanTemplate;
      if (JSON.stringify(next.sans) !== JSON.stringify(p.sans) || JSON.stringify(next.sanTemplate) !== JSON.stringify(p.sanTemplate)) changed.push('sans'), fromNextRenewal.push('sans');
    }
    if (req.days !== undefined && req.days !== p.validityDays) {
      next.validityDays = req.days;
      changed.push('days');
      fromNextRenewal.push('days');
    }
    if (req.keyAlgorithm !== undefined && req.keyAlgorithm !== p.keyAlgorithm) {
      next.keyAlgorithm = req.keyAlgorithm;
      changed.push('keyAlgorithm');
      fromNextRenewal.push('keyAlgorithm (from the next rotate)');
    }
    const newGeneration = !p.pending && (changed.includes('caBundle') || changed.includes('headers'));
    let generation: number | null = null;
    if (!dryRun && changed.length) {
      if (newGeneration) {
        const cur = await ctx.store.readCurrent(id);
        if (!cur) throw new UserError('NO_CERTIFICATE', `Profile ${id} has no certificate yet`);
        // The same key and the same certificate (chain included): only ca.crt or headers differ.
        const info = await ctx.store.writeGeneration(id, { cert: cur.cert, key: cur.key, ca: newCa, headers: renderHeadersFile(next.headers, leafOf(cur.cert)) }, { operation: 'edit' });
        generation = info.number;
      }
      if (changed.includes('caBundle')) {
        if (newCa !== null) await ctx.repo.writeCaBundle(id, newCa);
        else await ctx.repo.removeCaBundle(id);
      }
      await ctx.repo.write(next);
    }
    return { p, next, changed, fromNextRenewal, newGeneration, generation };
  };
  const r = dryRun ? await run() : await ctx.store.withWriteLock(`edit ${id}`, run);

  // Settings: only the active profile's values are in the editors, and only a changed value is written.
  const notices: string[] = [];
  let settings: SettingsFileResultDto[] = [];
  const active = await ctx.store.getActive();
  const valuesChange = JSON.stringify(desiredValues(ctx, r.p)) !== JSON.stringify(desiredValues(ctx, r.next));
  if (valuesChange && active === id && !r.p.pending) {
    settings = await applyTo(ctx, r.next, await configuredTargets(ctx), { proxyConsent: false, dryRun });
  } else if (valuesChange && active !== id) {
    notices.push(`The editors use another profile (${active ?? 'none'}); they get this profile's settings when you run: mtls-tray switch ${id}`);
  }
  if (r.fromNextRenewal.length) notices.push(`${r.fromNextRenewal.join(', ')}: used from the next \`mtls-tray renew --profile ${id}\` or \`mtls-tray rotate --profile ${id}\`; the current certificate is unchanged.`);
  if (r.changed.length === 0) notices.push('Nothing changed.');
  const after = dryRun ? r.next : await ctx.repo.read(id);
  return { profile: await summaryDto(ctx, after, active), dryRun, changed: r.changed, generation: r.generation, newGeneration: r.newGeneration, fromNextRenewal: r.fromNextRenewal, settings, notices, values: editableValues(after) };
}

/** The profile's editable values, SANs as typed (the template when there is one, so `{user}` round-trips). */
export function editableValues(p: Profile): EditableProfileDto {
  return {
    name: p.name,
    altHost: p.altHost ?? null,
    hasCaBundle: p.hasCaBundle,
    headers: p.headers.map((h) => ({ name: h.name, value: h.value })),
    sans: [...(p.sanTemplate ?? p.sans)],
    days: p.validityDays,
    keyAlgorithm: p.keyAlgorithm,
  };
}
