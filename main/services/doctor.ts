/**
 * The doctor's input, read from disk and the editors' settings: for a profile (`doctor`) or
 * for a deployment before any profile exists (the wizard's first step).
 */
import { quoteCmdIfNeeded } from '../base/shell-quote';
import { checkDeploymentUrl } from '../profiles/profile-schema';
import { headerCommandScriptSh } from '../store/scripts';
import { checkCaBundle } from '../profiles/share-format';
import type { DoctorReportDto } from './app-service';
import { desiredValues, type ServiceContext } from './context';
import { isUserError } from '../base/errors';
import { CHECKS } from '../doctor/checks/check-names';
import type { Profile } from '../profiles/profile';
import type { DoctorCheckDto } from './app-service';
import type { EditorSnapshot } from '../doctor/types';
import { fileFindings, FILES_FIX } from './drift-findings';
import { doctorTargets, rememberedTargets, settingsReadError } from './editors';
import { checkAltHost } from './identity-inputs';
import { filesOf } from './profiles';

export async function doctor(ctx: ServiceContext, profileId?: string): Promise<DoctorReportDto> {
  const id = await ctx.resolveId(profileId);
  const p = await ctx.repo.read(id);
  if (p.pending) return pendingDoctor(ctx, p);
  // A generation whose files were changed by hand: the published-files check below says so.
  const cur = await ctx.store.readCurrent(id).catch((err: unknown) => (isUserError(err) && err.code === 'GENERATION_DAMAGED' ? null : Promise.reject(err)));
  const editors: EditorSnapshot[] = [];
  // Editors whose own values the user kept are listed as such (skipped), never judged.
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
  const check = await dataDirCheck(ctx);
  const published = await publishedCheck(ctx);
  return { ...report, ok: report.ok && check.status !== 'fail' && published.status !== 'fail', checks: [check, published, ...report.checks] };
}

/** Issue 17: the files the editors read are still the active generation's and the scripts ours. */
async function publishedCheck(ctx: ServiceContext): Promise<DoctorCheckDto & { code?: string; data?: Record<string, unknown> }> {
  const base = { id: 'published-files', title: 'The files the editors read are mtls-tray\'s' };
  if (await ctx.store.writerBusy()) return { ...base, status: 'skip', detail: 'not judged: another mtls-tray process is writing the data directory right now; run the doctor again' };
  const drift = fileFindings(await ctx.store.publishedDrift());
  if (drift.length === 0) return { ...base, status: 'pass', detail: `${ctx.store.layout.activeCurrentDir} holds the active generation; the scripts are in place` };
  return { ...base, status: 'fail', code: 'PUBLISHED_DRIFT', data: { files: drift.map((d) => d.what) }, detail: drift.map((d) => d.message).join('; '), fix: FILES_FIX };
}

/** The same ownership check as every write (store/ownership.ts), first in the list. */
async function dataDirCheck(ctx: ServiceContext): Promise<DoctorCheckDto> {
  const unsafe = await ctx.store.dataDirProblem();
  return unsafe
    ? { id: 'data-dir', title: 'Data directory is yours alone', status: 'fail', detail: unsafe.message, ...(unsafe.fix ? { fix: unsafe.fix } : {}) }
    : { id: 'data-dir', title: 'Data directory is yours alone', status: 'pass', detail: ctx.store.layout.dataDir };
}

/** The checks a profile waiting for its first certificate can run: the deployment and its server certificate. */
const SERVER_SIDE: ReadonlySet<string> = new Set([CHECKS.url.id, CHECKS.dns.id, CHECKS.tcp.id, CHECKS.serverChain.id, CHECKS.serverNames.id, CHECKS.serverTrust.id]);
export const AFTER_IMPORT = 'runs after the certificate is imported';

/**
 * A CSR profile waiting for its CA: there is no certificate to present, no headers file and no
 * editor settings yet (they are written at the import), so those checks would only fail for
 * the normal pending state. The server side is checked as for the wizard's first step (with
 * the profile's CA bundle); everything else is listed, in its place, as skipped until the
 * certificate is imported.
 */
async function pendingDoctor(ctx: ServiceContext, p: Profile): Promise<DoctorReportDto> {
  const ca = p.hasCaBundle ? await ctx.repo.readCaBundle(p.id) : null;
  const report = await ctx.doctor.run({ url: p.url, ...(p.altHost ? { altHost: p.altHost } : {}), ...(ca ? { caBundlePem: ca } : {}), editors: [], expected: {} });
  const checks: DoctorCheckDto[] = [await dataDirCheck(ctx)];
  for (const c of Object.values(CHECKS)) {
    if (SERVER_SIDE.has(c.id)) checks.push(...report.checks.filter((r) => r.id === c.id));
    else checks.push({ id: c.id, title: c.title, status: 'skip', detail: AFTER_IMPORT, afterImport: true });
  }
  return { url: report.url, checkedAt: report.checkedAt, ok: !checks.some((c) => c.status === 'fail'), pendingCertificate: true, checks };
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
