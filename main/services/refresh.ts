// The logic behind coder.tlsCertRefreshCommand (`mtls-tray refresh`). The extension runs
// the hook after a TLS alert 42/44/45/46 (bad, revoked, expired or unknown certificate),
// re-reads the files and retries once. We renew when the certificate is expired, not yet
// valid, due for renewal by the profile's own policy, or was rejected, if the profile can
// renew by itself; exit 0 only with valid credentials in place; otherwise one line that tells
// the user what to do. Only a renewal takes the writer lock: valid credentials with nothing
// due answer without it (a read-only data dir still works).
//
// Fresh certificates (younger than `minRenewIntervalMs`): the first refusal of one renews once
// more (revoked seconds after it was made, or the gateway's CA list changed); when the
// certificate that replaced a refused fresh one is refused too, the gateway refuses fresh
// certificates as such, and we stop with exit 1 and one line from the doctor's mTLS check
// instead of renewing in a loop or claiming success. The refused fresh serials are remembered
// in <data>/refresh-state.json between runs (each run is its own process).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../base/fs-atomic';
import { isUserError } from '../base/errors';
import type { RenewalPolicy } from '../profiles/profile';
import { planRenewal, type RenewalPlan } from '../profiles/renewal-policy';
import type { CredentialStore, CurrentCredentials, GenerationInfo } from '../store/store';

export type CertState = 'valid' | 'expiring' | 'expired' | 'not-yet-valid';
export type RefreshProblem = 'no-active' | 'missing' | 'expired' | 'not-yet-valid' | 'expiring' | 'rejected';

export interface RefreshDeps {
  now: Date;
  /** True when run as the editor's hook, i.e. after the server refused the certificate. */
  rejected: boolean;
  /** The profile's renewal policy: when its certificate counts as due (the one classifier, planRenewal). */
  policy(profileId: string): RenewalPolicy | Promise<RenewalPolicy>;
  /** Whether we hold what it takes to renew (self-signed or local CA, not pending). */
  canRenew(profileId: string): boolean | Promise<boolean>;
  /** Makes a new current generation (normally renewProfile with the profile's settings). */
  renew(profileId: string): Promise<unknown>;
  /** One sentence: what the user must do by hand (e.g. "ask your CA for a new certificate, then run mtls-tray csr import-cert"). */
  describeManualFix(profileId: string, problem: RefreshProblem): string | Promise<string>;
  /** One line from the doctor's mTLS check: why the gateway refuses the current certificate. */
  diagnose?(profileId: string): Promise<string | undefined>;
  /** Default 60 s: a certificate younger than this is "fresh". */
  minRenewIntervalMs?: number;
  /** When this refresh's process started (default `now`): a certificate made after that is not the one the server refused. */
  startedAt?: Date;
  /**
   * Default 1 s: a certificate written after, or this shortly before, the refresh started was
   * made by another refresh of the same burst (a request read the files before it existed and
   * failed after); it is new to the server, so we report it without renewing.
   */
  sameBurstMs?: number;
  /** Default <data>/refresh-state.json. */
  stateFile?: string;
}

export type RefreshResult =
  | { ok: true; profileId: string; action: 'none' | 'renewed'; notAfter: string; message: string }
  | { ok: false; profileId: string | null; problem: RefreshProblem; message: string };

/**
 * The refresh hook's view of a renewal plan: expired, not yet valid, expiring (the policy's
 * renewal time has passed, or under a day is left), or valid.
 */
export function certStateOf(plan: Pick<RenewalPlan, 'warning' | 'renewAt'>, now: Date): CertState {
  if (plan.warning === 'expired' || plan.warning === 'not-yet-valid') return plan.warning;
  if (plan.warning === 'days-1' || now.getTime() >= plan.renewAt.getTime()) return 'expiring';
  return 'valid';
}

/** The state of a generation under a policy (whether we can renew does not change it). */
export function certState(info: Pick<GenerationInfo, 'notBefore' | 'notAfter' | 'serial'>, policy: RenewalPolicy, now: Date): CertState {
  const validity = { notBefore: new Date(info.notBefore), notAfter: new Date(info.notAfter), serial: info.serial };
  return certStateOf(planRenewal({ validity, policy, now, canRenew: true }), now);
}

function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

const WHAT: Record<CertState, string> = {
  valid: 'is valid',
  expiring: 'is about to expire',
  expired: 'has expired',
  'not-yet-valid': 'is not valid yet (is the clock right?)',
};

export async function refreshActive(store: CredentialStore, deps: RefreshDeps): Promise<RefreshResult> {
  const minInterval = deps.minRenewIntervalMs ?? 60_000;
  const sameBurst = deps.sameBurstMs ?? 1_000;
  const stateFile = deps.stateFile ?? join(store.dataDir, STATE_FILE);
  const id = await store.getActive();
  if (id === null) {
    return { ok: false, profileId: null, problem: 'no-active', message: 'No mtls-tray profile is active: run `mtls-tray init` to create one or `mtls-tray switch NAME` to pick one.' };
  }
  const cur = await readCurrentOrNull(store, id);
  const fail = async (problem: RefreshProblem, what: string): Promise<RefreshResult> => ({
    ok: false,
    profileId: id,
    problem,
    message: oneLine(`${what} ${await deps.describeManualFix(id, problem)}`),
  });

  const policy = cur ? await deps.policy(id) : null;
  const stateOf = (c: CurrentCredentials): CertState => certState(c.info, policy!, deps.now);
  const state = cur ? stateOf(cur) : null;
  const usable = state === 'valid' || state === 'expiring';
  const ok = (message: string): RefreshResult => ({ ok: true, profileId: id, action: 'none', notAfter: cur!.info.notAfter, message: oneLine(message) });
  // Nothing to do: no lock, no write.
  if (cur && state === 'valid' && !deps.rejected) return ok(`The certificate of profile ${id} is valid until ${cur.info.notAfter}.`);
  // Expiring but still valid, and nobody complained: fine for now, even if we cannot renew.
  const stillFine = cur !== null && state === 'expiring' && !deps.rejected;
  const keep = (extra: string) => ok(`The certificate of profile ${id} is valid until ${cur!.info.notAfter} but expires soon. ${extra}`);
  const problem: RefreshProblem = state === null ? 'missing' : state === 'valid' ? 'rejected' : state;
  const described = cur
    ? state === 'valid'
      ? `The server rejected the certificate of profile ${id}, which is valid until ${cur.info.notAfter}.`
      : `The certificate of profile ${id} ${WHAT[state!]} (valid until ${cur.info.notAfter}).`
    : `Profile ${id} has no usable certificate.`;
  // Renewal starts from the current certificate (same subject and SANs), so without one there is nothing to renew.
  if (!cur) return fail(problem, described);
  if (!(await deps.canRenew(id))) return stillFine ? keep(await deps.describeManualFix(id, problem)) : fail(problem, described);

  const age = deps.now.getTime() - new Date(cur.info.createdAt).getTime();
  const sinceStart = (deps.startedAt ?? deps.now).getTime() - new Date(cur.info.createdAt).getTime();
  if (usable && sinceStart < sameBurst) {
    // Written after (or just before) this refresh began: another refresh hit by the same
    // burst of failures renewed. Those are new credentials the server has not seen yet.
    return ok(`The certificate of profile ${id} was just renewed by another mtls-tray process; valid until ${cur.info.notAfter}.`);
  }
  const fresh = deps.rejected && usable && age < minInterval;
  if (fresh) {
    const refused = await readRefusedFresh(stateFile, id);
    const predecessor = await predecessorSerial(store, id, cur.info.number);
    if (predecessor !== undefined && refused.includes(predecessor)) {
      // The certificate that replaced a refused fresh one is refused too: renewing again will not help.
      const why = (await deps.diagnose?.(id).catch(() => undefined)) ?? (await deps.describeManualFix(id, problem));
      return {
        ok: false,
        profileId: id,
        problem: 'rejected',
        message: oneLine(`The gateway refused 2 fresh certificates of profile ${id} in a row (the current one is ${Math.round(age / 1000)} s old), so renewing again will not help: ${why}`),
      };
    }
  }

  let outcome: RefreshResult | 'read-only';
  try {
    outcome = await store.withWriteLock('refresh', async (): Promise<RefreshResult> => {
      // Re-check under the lock: a refresh of the same burst may have renewed while we waited.
      const now = await readCurrentOrNull(store, id);
      if (now && now.info.serial !== cur.info.serial && (stateOf(now) === 'valid' || stateOf(now) === 'expiring')) {
        return { ok: true, profileId: id, action: 'none', notAfter: now.info.notAfter, message: `The certificate of profile ${id} was just renewed by another mtls-tray process; valid until ${now.info.notAfter}.` };
      }
      if (fresh) await rememberRefusedFresh(stateFile, id, cur.info.serial);
      await deps.renew(id);
      const after = await store.readCurrent(id);
      const afterState = after ? stateOf(after) : null;
      if (!after || (afterState !== 'valid' && afterState !== 'expiring')) {
        return fail(problem, `Renewing the certificate of profile ${id} did not produce a valid one${after ? ` (it ${WHAT[afterState!]})` : ''}.`);
      }
      const why = fresh ? ` (the server refused the previous one, ${Math.round(age / 1000)} s old)` : '';
      return { ok: true, profileId: id, action: 'renewed', notAfter: after.info.notAfter, message: `Renewed the certificate of profile ${id}${why}; valid until ${after.info.notAfter}.` };
    });
  } catch (err) {
    if (!readOnly(err)) throw err;
    outcome = 'read-only';
  }
  if (outcome !== 'read-only') return outcome;
  if (usable) return ok(`The certificate of profile ${id} is valid until ${cur.info.notAfter}; the data directory is read-only, so it was not renewed.`);
  return fail(problem, `${described} The data directory is read-only, so it cannot be renewed.`);
}

const STATE_FILE = 'refresh-state.json';
/** Enough to see "the one before the current one"; older entries do not matter. */
const MAX_REMEMBERED = 8;

async function readCurrentOrNull(store: CredentialStore, id: string): Promise<CurrentCredentials | null> {
  try {
    return await store.readCurrent(id);
  } catch (err) {
    if (!isUserError(err)) throw err;
    return null;
  }
}

function readOnly(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return true;
  return isUserError(err) && /EROFS|EACCES|read-only/i.test(err.message);
}

/** Serials of fresh certificates of `id` that a gateway refused (newest last). */
async function readRefusedFresh(file: string, id: string): Promise<string[]> {
  try {
    const v = JSON.parse(await readFile(file, 'utf8')) as { refusedFresh?: Record<string, unknown> };
    const list = v.refusedFresh?.[id];
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

async function rememberRefusedFresh(file: string, id: string, serial: string): Promise<void> {
  let all: Record<string, string[]> = {};
  try {
    const v = JSON.parse(await readFile(file, 'utf8')) as { refusedFresh?: Record<string, string[]> };
    if (v.refusedFresh && typeof v.refusedFresh === 'object') all = v.refusedFresh;
  } catch {
    /* none yet, or unreadable: start over */
  }
  all[id] = [...(Array.isArray(all[id]) ? all[id]! : []), serial].slice(-MAX_REMEMBERED);
  await writeFileAtomic(file, `${JSON.stringify({ refusedFresh: all }, null, 2)}\n`, 0o600);
}

/** The serial of the generation before `number` (the one the current certificate replaced). */
async function predecessorSerial(store: CredentialStore, id: string, number: number): Promise<string | undefined> {
  const gens = await store.listGenerations(id);
  const before = gens.filter((g) => g.number < number).sort((a, b) => b.number - a.number)[0];
  return before?.serial;
}
