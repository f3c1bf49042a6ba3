/**
 * The doctor's input, read from disk and the editors' settings: for a profile (`doctor`) or
 * for a deployment before any profile exists (the wizard's first step).
 */
import { checkDeploymentUrl } from '../profiles/profile-schema';
import { checkCaBundle } from '../profiles/share-format';
import type { DoctorReportDto } from './app-service';
import { desiredValues, type ServiceContext } from './context';
import { isUserError } from '../base/errors';
import { doctorTargets, settingsReadError } from './editors';
import { checkAltHost } from './identity-inputs';

export async function doctor(ctx: ServiceContext, profileId?: string): Promise<DoctorReportDto> {
  const id = await ctx.resolveId(profileId);
  const p = await ctx.repo.read(id);
  const cur = p.pending ? null : await ctx.store.readCurrent(id);
  const editors = [];
  for (const t of await doctorTargets(ctx)) {
    let values: Record<string, unknown> = {};
    let readError: { message: string; fix?: string } | undefined;
    try {
      values = (await ctx.settings.read(t)).values;
    } catch (err) {
      if (!isUserError(err)) throw err;
      readError = settingsReadError(err);
    }
    editors.push({ id: t.id, settingsPath: t.settingsPath, values, ...(readError ? { readError } : {}) });
  }
  const values = desiredValues(ctx, p);
  return ctx.doctor.run({
    url: p.url,
    ...(p.altHost ? { altHost: p.altHost } : {}),
    ...(cur?.ca ? { caBundlePem: cur.ca } : {}),
    ...(cur ? { certPem: cur.cert, keyPem: cur.key } : {}),
    ...(values['coder.headerCommand'] ? { headerCommand: values['coder.headerCommand'] } : {}),
    editors,
    expected: values,
  });
}

export async function checkDeployment(ctx: ServiceContext, url: string, altHost?: string, caBundlePem?: string): Promise<DoctorReportDto> {
  const u = checkDeploymentUrl(url, 'the deployment URL', 'url');
  const alt = checkAltHost(altHost);
  const ca = caBundlePem !== undefined ? checkCaBundle(caBundlePem, 'the CA bundle') : undefined;
  return ctx.doctor.run({ url: u, ...(alt ? { altHost: alt } : {}), ...(ca ? { caBundlePem: ca } : {}), editors: [], expected: {} });
}
