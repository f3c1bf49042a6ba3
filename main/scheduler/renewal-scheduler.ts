/**
 * The renewal scheduler of the tray app: for every profile it runs planRenewal, renews the ones
 * that are due through the AppService, backs off after failures (the policy's 1 min .. 1 h), and
 * raises a notification when a certificate reaches a warning level (80 % of its lifetime, 7
 * days, 1 day, expired) unless the user snoozed that profile. Then it sleeps until the earliest
 * next instant any plan names, but never longer than `maxSleepMs`: timers drift across laptop
 * sleep and the CLI may change things behind our back, so we look again at least hourly.
 *
 * Clock and timers are injected, so tests drive it with a fake clock; no electron here.
 */
import { isUserError } from '../base/errors';
import { planRenewal, type LastAttempt, type RenewalPlan } from '../profiles/renewal-policy';
import type { AppService } from '../services/app-service';
import { sentence, type AppNotice } from '../base/notice';
import { isNewWarning, warningNotice } from './notices';
import { planInputFromStatus, type PlanInput } from './plan-input';

/**
 * What the scheduler remembers across restarts: snoozes (profile id -> ISO time until which its
 * warnings are silent) and the last warning shown per profile (`serial/level`), so a restart
 * does not repeat it. The app backs this with its preferences; tests with a plain object.
 */
export interface SnoozeMemoryData {
  snoozes: Record<string, string>;
  warningsShown: Record<string, string>;
}
export interface SnoozeMemory {
  get<K extends keyof SnoozeMemoryData>(key: K): SnoozeMemoryData[K];
  set<K extends keyof SnoozeMemoryData>(key: K, value: SnoozeMemoryData[K]): void;
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface SchedulerDeps {
  service: Pick<AppService, 'listProfiles' | 'status' | 'renew'>;
  now(): Date;
  timers: Timers;
  notify(notice: AppNotice): void;
  /** Where snoozes and already-shown warnings are kept (the app's preferences). */
  memory: SnoozeMemory;
  /** Called after a successful renewal, so the tray and the window refresh. */
  onRenewed?(profileId: string): void;
  /** Longest sleep between passes; default one hour. */
  maxSleepMs?: number;
  log?(message: string): void;
}

export interface SchedulerPass {
  at: Date;
  renewed: string[];
  failed: string[];
  warned: string[];
  nextWakeAt: Date;
}

export interface RenewalScheduler {
  start(): void;
  stop(): void;
  /** Plan again now: after waking from sleep, a change by the CLI, a profile switch. */
  poke(): void;
  /** Resolves once no pass is running or queued. */
  idle(): Promise<void>;
  nextWakeAt(): Date | null;
  lastPass(): SchedulerPass | null;
  /** Silence warnings for a profile until `until` ("Remind me tomorrow"). */
  snooze(profileId: string, until: Date): void;
}

export const DEFAULT_MAX_SLEEP_MS = 3_600_000;
/** Never spin: a plan that names an instant in the past is looked at again after this. */
const MIN_SLEEP_MS = 1_000;

export function createRenewalScheduler(deps: SchedulerDeps): RenewalScheduler {
  const maxSleep = deps.maxSleepMs ?? DEFAULT_MAX_SLEEP_MS;
  const attempts = new Map<string, LastAttempt>();
  let timer: unknown = null;
  let wakeAt: Date | null = null;
  let running: Promise<void> | null = null;
  let queued = false;
  let started = false;
  let last: SchedulerPass | null = null;
  const log = deps.log ?? (() => {});

  function arm(at: Date): void {
    if (timer !== null) deps.timers.clear(timer);
    timer = null;
    if (!started) return;
    const ms = Math.min(Math.max(at.getTime() - deps.now().getTime(), MIN_SLEEP_MS), maxSleep);
    wakeAt = new Date(deps.now().getTime() + ms);
    timer = deps.timers.set(() => {
      timer = null;
      poke();
    }, ms);
  }

  function poke(): void {
    if (!started) return;
    if (running) {
      queued = true;
      return;
    }
    running = (async () => {
      try {
        do {
          queued = false;
          const pass = await runPass();
          last = pass;
          arm(pass.nextWakeAt);
        } while (queued && started);
      } catch (err) {
        // A bug in a pass must not stop renewals for good: log and look again later.
        log(`renewal scheduler: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
        arm(new Date(deps.now().getTime() + 60_000));
      } finally {
        running = null;
      }
    })();
  }

  async function runPass(): Promise<SchedulerPass> {
    const at = deps.now();
    const pass: SchedulerPass = { at, renewed: [], failed: [], warned: [], nextWakeAt: new Date(at.getTime() + maxSleep) };
    const consider = (d: Date | null) => {
      if (d !== null && d.getTime() < pass.nextWakeAt.getTime()) pass.nextWakeAt = d;
    };
    let profiles;
    try {
      profiles = await deps.service.listProfiles();
    } catch (err) {
      if (started) log(`renewal scheduler: cannot list profiles: ${message(err)}`);
      consider(new Date(at.getTime() + 60_000));
      return pass;
    }
    const seen = new Set<string>();
    for (const p of profiles) {
      // Stopped (the app is quitting) while this pass ran: renew nothing more.
      if (!started) break;
      seen.add(p.id);
      if (p.pending) continue;
      let input = await readInput(p.id);
      if (input === null) continue;
      let plan = plan0(input);
      if (plan.next.action === 'renew') {
        try {
          await deps.service.renew(input.profileId);
          attempts.delete(input.profileId);
          pass.renewed.push(input.profileId);
          deps.onRenewed?.(input.profileId);
          const fresh = await readInput(input.profileId);
          if (fresh !== null) input = fresh;
          plan = plan0(input);
        } catch (err) {
          const failures = (attempts.get(input.profileId)?.failures ?? 0) + 1;
          attempts.set(input.profileId, { at: deps.now(), ok: false, failures });
          pass.failed.push(input.profileId);
          log(`renewal of ${input.profileId} failed (${failures}): ${message(err)}`);
          // Tell the user once per run of failures, not on every back-off retry.
          if (failures === 1) {
            deps.notify({
              kind: 'renew-failed',
              profileId: input.profileId,
              title: `${input.name}: automatic renewal failed`,
              body: `${sentence(message(err))} mtls-tray retries with back-off (up to hourly).`,
            });
          }
          plan = plan0(input);
        }
      }
      if (warn(input, plan)) pass.warned.push(input.profileId);
      if (plan.next.action === 'wait' || plan.next.action === 'retry') consider(plan.next.at);
      consider(plan.nextWarningAt);
      const snoozedUntil = snoozeOf(input.profileId);
      if (snoozedUntil !== null && plan.warning !== 'ok') consider(snoozedUntil);
    }
    for (const id of attempts.keys()) if (!seen.has(id)) attempts.delete(id);
    return pass;
  }

  function plan0(input: PlanInput): RenewalPlan {
    return planRenewal({
      validity: input.validity,
      policy: input.policy,
      canRenew: input.canRenew,
      now: deps.now(),
      last: attempts.get(input.profileId) ?? null,
    });
  }

  async function readInput(profileId: string): Promise<PlanInput | null> {
    try {
      const status = await deps.service.status(profileId);
      return status === null ? null : planInputFromStatus(status);
    } catch (err) {
      log(`renewal scheduler: cannot read ${profileId}: ${message(err)}`);
      return null;
    }
  }

  function snoozeOf(profileId: string): Date | null {
    const iso = deps.memory.get('snoozes')[profileId];
    if (iso === undefined) return null;
    const until = new Date(iso);
    return Number.isNaN(until.getTime()) || until.getTime() <= deps.now().getTime() ? null : until;
  }

  function warn(input: PlanInput, plan: RenewalPlan): boolean {
    // A certificate we renew ourselves and whose renewal is still ahead needs no warning: a
    // 3-day certificate is "within a week of expiry" from birth. Once renewal is overdue
    // (failing, or the machine was off), the warnings apply as to any other certificate.
    if (input.canRenew && input.policy.auto && plan.next.action === 'wait') return false;
    const shown = deps.memory.get('warningsShown');
    if (!isNewWarning(shown[input.profileId], input.validity.serial, plan.warning)) return false;
    if (snoozeOf(input.profileId) !== null) return false;
    const notice = warningNotice(
      { id: input.profileId, name: input.name },
      plan.warning,
      plan.daysLeft,
      input.canRenew && input.policy.auto,
      input.reenrol === true,
    );
    if (notice === null) return false;
    deps.memory.set('warningsShown', { ...shown, [input.profileId]: `${input.validity.serial}/${plan.warning}` });
    deps.notify(notice);
    return true;
  }

  return {
    start() {
      if (started) return;
      started = true;
      poke();
    },
    stop() {
      started = false;
      if (timer !== null) deps.timers.clear(timer);
      timer = null;
      wakeAt = null;
    },
    poke,
    async idle() {
      while (running) await running;
    },
    nextWakeAt: () => wakeAt,
    lastPass: () => last,
    snooze(profileId, until) {
      deps.memory.set('snoozes', { ...deps.memory.get('snoozes'), [profileId]: until.toISOString() });
      poke();
    },
  };
}

function message(err: unknown): string {
  if (isUserError(err)) return err.message;
  return err instanceof Error ? err.message : String(err);
}
