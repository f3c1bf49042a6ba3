// The logic behind coder.tlsCertRefreshCommand (`mtls-tray refresh`). The extension runs
// the hook after a TLS alert 42/44/45/46 (bad, revoked, expired or unknown certificate),
// re-reads the files and retries once. We renew when the certificate is expired, not yet
// valid, due for renewal by the profile's own policy, or was rejected, if the profile can
// renew by itself; exit 0 only with valid credentials in place; otherwise one line that tells
// the user what to do. A server that rejects a good certificate must not make us renew in a
// loop: no second renewal within `minRenewIntervalMs` (the valid certificate is reported as ok).
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
  /** Default 60 s. */
  minRenewIntervalMs?: number;
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
  // Under the lock, so two editor windows hit by the same alert renew once, not twice.
  return store.withWriteLock('refresh', async (): Promise<RefreshResult> => {
    const id = await store.getActive();
    if (id === null) {
      return { ok: false, profileId: null, problem: 'no-active', message: 'No mtls-tray profile is active: run `mtls-tray init` to create one or `mtls-tray switch NAME` to pick one.' };
    }
    let cur: CurrentCredentials | null;
    try {
      cur = await store.readCurrent(id);
    } catch (err) {
      if (!isUserError(err)) throw err;
      cur = null;
    }
    const fail = async (problem: RefreshProblem, what: string): Promise<RefreshResult> => ({
      ok: false,
      profileId: id,
      problem,
      message: oneLine(`${what} ${await deps.describeManualFix(id, problem)}`),
    });

    const policy = cur ? await deps.policy(id) : null;
    const stateOf = (c: CurrentCredentials): CertState => certState(c.info, policy!, deps.now);
    const state = cur ? stateOf(cur) : null;
    if (cur && state === 'valid' && !deps.rejected) {
      return { ok: true, profileId: id, action: 'none', notAfter: cur.info.notAfter, message: `The certificate of profile ${id} is valid until ${cur.info.notAfter}.` };
    }
    // Expiring but still valid, and nobody complained: fine for now, even if we cannot renew.
    const stillFine = cur !== null && state === 'expiring' && !deps.rejected;
    const keep = (extra: string): RefreshResult => ({
      ok: true,
      profileId: id,
      action: 'none',
      notAfter: cur!.info.notAfter,
      message: oneLine(`The certificate of profile ${id} is valid until ${cur!.info.notAfter} but expires soon. ${extra}`),
    });
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
    if (age < 0 && (state === 'valid' || state === 'expiring')) {
      // Written after this refresh began: another window hit by the same alert renewed while
      // we waited for the lock. Those are new credentials the server has not seen yet.
      return { ok: true, profileId: id, action: 'none', notAfter: cur.info.notAfter, message: `The certificate of profile ${id} was just renewed by another mtls-tray process; valid until ${cur.info.notAfter}.` };
    }
    if (age >= 0 && age < minInterval) {
      // No second renewal so soon: a server that rejects every certificate must not make us
      // loop. Valid credentials are in place, so report success and let the extension retry;
      // the message says why another refusal is not about expiry.
      const s = Math.round(age / 1000);
      if (state === 'valid' || state === 'expiring') {
        return {
          ok: true,
          profileId: id,
          action: 'none',
          notAfter: cur.info.notAfter,
          message: oneLine(`The certificate of profile ${id} was renewed ${s} s ago and is valid until ${cur.info.notAfter}; not renewing again so soon. If the server still refuses it, expiry is not the reason: ${await deps.describeManualFix(id, problem)}`),
        };
      }
      return fail(problem, `${described} It was renewed ${s} s ago, so renewing again will not help.`);
    }
    await deps.renew(id);
    const after = await store.readCurrent(id);
    const afterState = after ? stateOf(after) : null;
    if (!after || (afterState !== 'valid' && afterState !== 'expiring')) {
      return fail(problem, `Renewing the certificate of profile ${id} did not produce a valid one${after ? ` (it ${WHAT[afterState!]})` : ''}.`);
    }
    return { ok: true, profileId: id, action: 'renewed', notAfter: after.info.notAfter, message: `Renewed the certificate of profile ${id}; valid until ${after.info.notAfter}.` };
  });
}
