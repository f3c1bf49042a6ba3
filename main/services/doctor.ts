/**
 * The doctor's input, read from disk and the editors' settings: for a profile (`doctor`) or
 * for a deployment before any profile exists (the wizard's first step).
 */
import { quoteCmdIfNeeded } from '../base/shell-quote';
import { checkDeploymentUrl } from '../profiles/profile-schema';
import { headerCommandScriptSh } from '../store/scripts';
import { checkCaBundle } from '../profiles/share-format';
import type { EditorSnapshot } from '../doctor/types';
import type { DoctorCheckDto, DoctorReportDto } from './app-service';
import { fileFindings, FILES_FIX } from './drift-findings';
import { desiredValues, type ServiceContext } from './context';
import { isUserError } from '../base/errors';
import { doctorTargets, rememberedTargets, settingsReadError } from './editors';
import { checkAltHost } from './identity-inputs';
import { filesOf } from './profiles';

export async function doctor(ctx: ServiceContext, profileId?: string): Promise<DoctorReportDto> {
  const id = await ctx.resolveId(profileId);
  const p = await ctx.repo.read(id);
  // A generation whose files were changed by hand: the published-files check below says so.
  const cur = p.pending ? null : await ctx.store.readCurrent(id).catch((err: unknown) => (isUserError(err) && err.code === 'GENERATION_DAMAGED' ? null : Promise.reject(err)));
  const editors: EditorSnapshot[] = [];
  const remembered = await rememberedTargets(ctx);
  for (const k of remembered) if (k.keptTheirs !== null) editors.push({ id: k.id, name: k.name, settingsPath: k.settingsPath, values: {}, keptTheirs: k.keptTheirs });
  const kept = (t: { settingsPath: string }) => remembered.some((r) => r.settingsPath === t.settingsPath && r.keptTheirs !== null);
  for (const t of (await doctorTargets(ctx)).filter((x) => !kept(x))) {
    const managed = remembered.some((r) => r.settingsPath === t.settingsPath && r.keptTheirs === null);
    let values: Record<string, unknown> = {};
    let readError: { message: string; fix?: string } | undefined;
    try {
      values = (await ctx.settings.read(t)).values;
    } catch (err) {
      if (!isUserError(err)) throw err;
      readError = settingsReadError(err);
    }
    editors.push({ id: t.id, name: t.name, settingsPath: t.settingsPath, managed, values, ...(readError ? { readError } : {}) });
  }
  const values = desiredValues(ctx, p);
  // The editors' header command serves the active profile; for another profile run the same
  // script over that profile's own headers file, so the check is about X's headers.
  const active = await ctx.store.getActive();
  let headerCommand = values['coder.headerCommand'];
  if (headerCommand && active !== id) headerCommand = ownHeaderCommand(ctx, filesOf(ctx, p, false, cur).headers);
  const report = await ctx.doctor.run({
    url: p.url,
    ...(p.altHost ? { altHost: p.altHost } : {}),
    ...(cur?.ca ? { caBundlePem: cur.ca } : {}),
    ...(cur ? { certPem: cur.cert, keyPem: cur.key } : {}),
    ...(headerCommand ? { headerCommand } : {}),
    editors,
    expected: values,
    platform: ctx.platform,
  });
  // The same ownership check as every write (store/ownership.ts), first in the list.
  const unsafe = await ctx.store.dataDirProblem();
  const check = unsafe
    ? { id: 'data-dir', title: 'Data directory is yours alone', status: 'fail' as const, detail: unsafe.message, ...(unsafe.fix ? { fix: unsafe.fix } : {}) }
    : { id: 'data-dir', title: 'Data directory is yours alone', status: 'pass' as const, detail: ctx.store.layout.dataDir };
  const published = await publishedCheck(ctx);
  return { ...report, ok: report.ok && !unsafe && published.status !== 'fail', checks: [check, published, ...report.checks] };
}

/** Issue 17: the files the editors read are still the active generation's and the scripts ours. */
async function publishedCheck(ctx: ServiceContext): Promise<DoctorCheckDto & { code?: string; data?: Record<string, unknown> }> {
  const base = { id: 'published-files', title: 'The files the editors read are mtls-tray\'s' };
  if (await ctx.store.writerBusy()) return { ...base, status: 'skip', detail: 'not judged: another mtls-tray process is writing the data directory right now; run the doctor again' };
  const drift = fileFindings(await ctx.store.publishedDrift());
  if (drift.length === 0) return { ...base, status: 'pass', detail: `${ctx.store.layout.activeCurrentDir} holds the active generation; the scripts are in place` };
  return { ...base, status: 'fail', code: 'PUBLISHED_DRIFT', data: { files: drift.map((d) => d.what) }, detail: drift.map((d) => d.message).join('; '), fix: FILES_FIX };
}

/** The header script's own text over another headers file, as one command for the shell. */
function ownHeaderCommand(ctx: ServiceContext, headersFile: string): string {
  if (ctx.store.platform === 'win32') return `type ${quoteCmdIfNeeded(headersFile)}`;
  return headerCommandScriptSh(headersFile).split('\n').filter((l) => l && !l.startsWith('#')).join('\n');
}

export async function checkDeployment(ctx: ServiceContext, url: string, altHost?: string, caBundlePem?: string): Promise<DoctorReportDto> {
  const u = checkDeploymentUrl(url, 'the deployment URL', 'url');
  const alt = checkAltHost(altHost);
  const ca = caBundlePem !== undefined ? checkCaBundle(caBundlePem, 'the CA bundle') : undefined;
  return ctx.doctor.run({ url: u, ...(alt ? { altHost: alt } : {}), ...(ca ? { caBundlePem: ca } : {}), editors: [], expected: {} });
}
