/**
 * Re-enrolment (DESIGN §2.1): a CA-issued identity renews in place. A CSR for the current key
 * (or a new pending one) goes to the CA, by hand (`csr new`, then `csr import-cert`) or through
 * the profile's issuer command, and the issued certificate is checked and published as the
 * next generation: same key → like a renewal, new key → like a rotation. No settings write.
 */
import { UserError } from '../base/errors';
import { isoSeconds } from '../store/cert-facts';
import * as creds from '../credentials/reading';
import { DEFAULT_ISSUER_TIMEOUT_SECONDS, isCaIssued, type IssuerCommand, type Profile } from '../profiles/profile';
import type { GenerationInfo } from '../store/store';
import type { OperationResultDto } from './app-service';
import { making, type ServiceContext } from './context';
import { writeIdentity } from './enrol';
import { aboutIssuerOutput, checkIssuerCommand, runIssuerCommand } from './issuer-command';

export interface CsrNewResult {
  profileId: string;
  csrPem: string;
  newKey: boolean;
  since: string;
  message: string;
}

/** What to do with a pending re-enrolment, in one sentence. */
export function reenrolmentAdvice(id: string, csrFile: string): string {
  return `send the request (${csrFile}; \`mtls-tray csr show --profile ${id}\` prints it) to your CA, then run \`mtls-tray csr import-cert CERT.pem --profile ${id}\``;
}

/** One line naming the next step for a CA-issued profile that has no issuer command. */
export function reenrolHint(id: string): string {
  return `run \`mtls-tray csr new --profile ${id} --out ${id}.csr\`, have your CA sign it, then \`mtls-tray csr import-cert CERT.pem --profile ${id}\` (or set up automatic renewal: \`mtls-tray edit --profile ${id} --issuer-command CMD\`)`;
}

async function csrFor(ctx: ServiceContext, p: Profile, keyPem: string): Promise<string> {
  const mk = await making();
  return mk.createCsr({ keyPem, sans: p.sans.map((s) => creds.parseSan(s)), commonName: p.commonName });
}

/** `csr new`: a CSR for the current key (default) or a new pending key; the profile keeps serving. */
export async function csrNew(ctx: ServiceContext, profileId: string | undefined, o: { newKey?: boolean } = {}): Promise<CsrNewResult> {
  const id = await ctx.resolveId(profileId);
  const p = await ctx.repo.read(id);
  if (!isCaIssued(p)) throw new UserError('NOT_CA_ISSUED', `Profile ${id} is ${p.source}: mtls-tray renews it by itself, so it needs no certificate request`, `Run: mtls-tray renew --profile ${id}`);
  if (p.pending) {
    const pend = await ctx.repo.readPending(id);
    if (pend && !o.newKey) return { profileId: id, csrPem: pend.csrPem, newKey: true, since: p.createdAt, message: `Profile ${p.name} is still waiting for its first certificate; this is its request. Then ${reenrolmentAdvice(id, ctx.repo.pendingCsrFile(id))}.` };
  }
  const mk = await making();
  const newKeyPem = o.newKey || p.pending ? await mk.generateKey(p.keyAlgorithm) : null;
  return ctx.store.withWriteLock(`csr new ${id}`, async () => {
    if (p.pending) {
      const csrPem = await csrFor(ctx, p, newKeyPem!);
      await ctx.repo.writePending(id, newKeyPem!, csrPem);
      return { profileId: id, csrPem, newKey: true, since: p.createdAt, message: `A new request (new key) for ${p.name}: ${reenrolmentAdvice(id, ctx.repo.pendingCsrFile(id))}.` };
    }
    const cur = await ctx.store.readCurrent(id);
    if (!cur) throw new UserError('NO_CERTIFICATE', `Profile ${id} has no current generation to re-enrol`, 'Check it with `mtls-tray status`');
    const since = isoSeconds(ctx.now());
    const csrPem = await csrFor(ctx, p, newKeyPem ?? cur.key);
    await ctx.repo.writeReenrolment(id, { csrPem, keyPem: newKeyPem, since });
    const what = newKeyPem ? 'a new key (importing the certificate rotates the key; until then the current key keeps working)' : 'the current key';
    return { profileId: id, csrPem, newKey: newKeyPem !== null, since, message: `Re-enrolment of ${p.name} pending since ${since}: a certificate request for ${what}. The profile keeps serving its current certificate. Next: ${reenrolmentAdvice(id, ctx.repo.pendingCsrFile(id))}.` };
  });
}

/**
 * The issued certificate for a profile that has a certificate already: it must certify the
 * pending new key (a rotation) or the current key (a renewal). Checked before anything is
 * written; published as the next generation with the current CA bundle; the pending state clears.
 */
export async function importReenrolment(ctx: ServiceContext, p: Profile, certPem: string, chainPem: string | undefined, source: string): Promise<GenerationInfo & { rotated: boolean }> {
  const mk = await making();
  const pending = await ctx.repo.readReenrolment(p.id);
  return ctx.store.withWriteLock(`re-enrol ${p.id}`, async () => {
    const cur = await ctx.store.readCurrent(p.id);
    if (!cur) throw new UserError('NO_CERTIFICATE', `Profile ${p.id} has no current generation`, 'Check it with `mtls-tray status`');
    const opts = { ...(chainPem !== undefined ? { chainPem } : {}), certFile: source, now: ctx.now() };
    let keyPem = cur.key;
    let accepted;
    if (pending?.keyPem) {
      try {
        accepted = mk.acceptIssuedCertificate(certPem, pending.keyPem, opts);
        keyPem = pending.keyPem;
      } catch (err) {
        if (!(err instanceof UserError && err.code === 'CERT_KEY_MISMATCH')) throw err;
      }
    }
    accepted ??= mk.acceptIssuedCertificate(certPem, cur.key, opts);
    const rotated = keyPem !== cur.key;
    const g = await writeIdentity(ctx, p, { certPem: accepted.certPem, keyPem, chainPem: accepted.chainPem }, cur.ca, rotated ? 'reenrol-rotate' : 'reenrol');
    if (pending && (rotated || !pending.keyPem)) await ctx.repo.clearPending(p.id);
    return { ...g, rotated };
  });
}

/** renew for a CA-issued profile with an issuer command: CSR for the current key → command → publish. */
export async function renewThroughIssuer(ctx: ServiceContext, p: Profile, issuer: IssuerCommand): Promise<OperationResultDto> {
  const cur = await ctx.store.readCurrent(p.id);
  if (!cur) throw new UserError('NO_CERTIFICATE', `Profile ${p.id} has no current generation to renew`, 'Check it with `mtls-tray status`');
  const csrPem = await csrFor(ctx, p, cur.key);
  // The command runs outside the writer lock: it may take up to its timeout.
  const out = await runIssuerCommand({ issuer, csrPem, profileId: p.id, url: p.url, platform: ctx.platform, env: ctx.env });
  const g = await importReenrolment(ctx, p, out, undefined, 'the issued certificate').catch((err: unknown) => {
    throw aboutIssuerOutput(issuer.command, err);
  });
  return { ok: true, profileId: p.id, generation: g.number, message: `Renewed ${p.name} through its issuer command: same key, new CA-issued certificate valid until ${g.notAfter} (generation ${g.number}).` };
}

/** `edit --issuer-command CMD | --no-issuer-command [--issuer-timeout S]`: local trust, this machine only. */
export async function setIssuerCommand(ctx: ServiceContext, profileId: string | undefined, o: { command?: string | null; timeoutSeconds?: number }): Promise<{ profileId: string; issuerCommand: IssuerCommand | null; message: string }> {
  const id = await ctx.resolveId(profileId);
  const p = await ctx.repo.read(id);
  return ctx.store.withWriteLock(`edit ${id}`, async () => {
    const before = await ctx.repo.readIssuerCommand(id);
    if (o.command === null) {
      await ctx.repo.writeIssuerCommand(id, null);
      return { profileId: id, issuerCommand: null, message: `Removed the issuer command of ${p.name}; renew it by hand (\`mtls-tray csr new\`).` };
    }
    const command = o.command ?? before?.command;
    if (command === undefined) throw new UserError('NO_ISSUER_COMMAND', `Profile ${id} has no issuer command to set a timeout for`, 'Give one with --issuer-command CMD');
    if (!isCaIssued(p)) throw new UserError('NOT_CA_ISSUED', `Profile ${id} is ${p.source}: mtls-tray renews it by itself, so it needs no issuer command`);
    const timeoutSeconds = o.timeoutSeconds ?? before?.timeoutSeconds ?? DEFAULT_ISSUER_TIMEOUT_SECONDS;
    checkIssuerCommand(command, timeoutSeconds);
    const ic = { command, timeoutSeconds };
    await ctx.repo.writeIssuerCommand(id, ic);
    return { profileId: id, issuerCommand: ic, message: `Profile ${p.name} now renews through \`${command}\` (timeout ${timeoutSeconds} s). It runs on this machine with the certificate request on its stdin; it is never exported.` };
  });
}
