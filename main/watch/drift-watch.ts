/**
 * The tray's drift watch (issue 17), without Electron: watches the managed editors'
 * settings.json and the data dir's published paths with node:fs watch (each file's directory,
 * filtered by name: editors and the store replace files by rename, which a watch on the file
 * itself would lose), coalesces a burst of events into one check (burst.ts), asks the service
 * what drifted (its restore-loop guard decides what is news) and hands the notices to the
 * notifier. A poll catches what a watch cannot see (a directory that does not exist yet, a
 * filesystem without events); after each check the watches follow what the report names (a
 * swap moves the editors' files to another generation directory, an editor becomes managed).
 */
import { watch as fsWatch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { AppNotice } from '../base/notice';
import type { AppService, DriftActionResultDto, DriftNoticeDto, DriftReportDto } from '../services/app-service';
import { Burst } from './burst';

export const QUIET_MS = 400;
export const MAX_WAIT_MS = 2_000;
export const POLL_MS = 10_000;

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export type WatchFn = (dir: string, opts: { persistent: boolean }, listener: (event: string, name: string | Buffer | null) => void) => Pick<FSWatcher, 'close' | 'on'>;

export interface DriftWatchDeps {
  service: Pick<AppService, 'observeDrift' | 'restoreDrift' | 'keepTheirs'>;
  notify(notice: AppNotice): void;
  now(): number;
  timers: Timers;
  /** node:fs watch by default; tests may count or fail it. */
  watch?: WatchFn;
  quietMs?: number;
  maxWaitMs?: number;
  pollMs?: number;
  /** After every check and action (the tray and the window look again). */
  onChecked?(report: DriftReportDto): void;
  log?(message: string): void;
}

export interface DriftWatch {
  start(): Promise<void>;
  stop(): void;
  /** Something may have changed (the window asked, the machine woke): check soon. */
  poke(): void;
  /** The notice's (or the window's) "Restore": each source once, in order. */
  restore(sources: readonly string[]): Promise<DriftActionResultDto[]>;
  keepTheirs(source: string): Promise<DriftActionResultDto>;
  /** For tests and the log: checks run, and the directories watched now. */
  stats(): { checks: number; watched: string[] };
  /** Resolves when no check is pending or running (tests). */
  idle(): Promise<void>;
}

export function noticeOf(n: DriftNoticeDto): AppNotice {
  return { kind: 'drift', title: n.title, body: n.body, urgent: n.kind === 'loop', drift: { restore: n.restore, keepTheirs: n.keepTheirs } };
}

export function createDriftWatch(deps: DriftWatchDeps): DriftWatch {
  const watchFn: WatchFn = deps.watch ?? ((dir, opts, listener) => fsWatch(dir, opts, listener));
  const burst = new Burst(deps.quietMs ?? QUIET_MS, deps.maxWaitMs ?? MAX_WAIT_MS);
  const pollMs = deps.pollMs ?? POLL_MS;
  const watchers = new Map<string, { w: Pick<FSWatcher, 'close' | 'on'>; names: Set<string> }>();
  let timer: unknown = null;
  let poll: unknown = null;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = true;
  let checks = 0;

  const schedule = (at: number) => {
    if (stopped) return;
    if (timer !== null) deps.timers.clear(timer);
    timer = deps.timers.set(() => {
      timer = null;
      if (burst.take(deps.now())) void check();
      else {
        const due = burst.dueAt();
        if (due !== null) schedule(due);
      }
    }, Math.max(0, at - deps.now()));
  };

  const event = () => schedule(burst.event(deps.now()));

  function arm(paths: readonly string[]): void {
    const want = new Map<string, Set<string>>();
    for (const p of paths) {
      const dir = dirname(p);
      if (!want.has(dir)) want.set(dir, new Set());
      want.get(dir)!.add(basename(p));
    }
    for (const [dir, entry] of watchers) {
      if (want.has(dir)) continue;
      entry.w.close();
      watchers.delete(dir);
    }
    for (const [dir, names] of want) {
      const have = watchers.get(dir);
      if (have) {
        have.names = names;
        continue;
      }
      try {
        const entry = { w: null as unknown as Pick<FSWatcher, 'close' | 'on'>, names };
        entry.w = watchFn(dir, { persistent: false }, (_ev, name) => {
          // No name (some platforms): could be anything here, so look.
          if (name === null || entry.names.has(name.toString())) event();
        });
        entry.w.on('error', () => {
          // The directory went away (a pruned generation): the next check arms what is current.
          entry.w.close();
          if (watchers.get(dir) === entry) watchers.delete(dir);
          event();
        });
        watchers.set(dir, entry);
      } catch {
        // Missing directory (an editor not started yet) or no watch support: the poll covers it.
      }
    }
  }

  async function runCheck(): Promise<void> {
    checks++;
    const { report, notices } = await deps.service.observeDrift();
    if (stopped) return;
    arm(report.watch);
    for (const n of notices) deps.notify(noticeOf(n));
    deps.onChecked?.(report);
    // A writer held the lock: look again once it is likely done.
    if (report.filesBusy) event();
  }

  function check(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await runCheck().catch((err: unknown) => deps.log?.(`drift check failed: ${err instanceof Error ? err.message : String(err)}`));
        } while (again && !stopped);
      } finally {
        running = null;
      }
    })();
    return running;
  }

  const tick = () => {
    poll = deps.timers.set(() => {
      void check().finally(() => !stopped && tick());
    }, pollMs);
  };

  async function act(run: () => Promise<DriftActionResultDto>): Promise<DriftActionResultDto> {
    try {
      return await run();
    } catch (err) {
      const e = err as { message?: string; fix?: string; code?: string };
      return { source: '', ok: false, message: `${e.message ?? String(err)}${e.fix ? ` ${e.fix}` : ''}` };
    }
  }

  return {
    async start() {
      stopped = false;
      tick();
      await check();
    },
    stop() {
      stopped = true;
      if (timer !== null) deps.timers.clear(timer);
      if (poll !== null) deps.timers.clear(poll);
      timer = poll = null;
      for (const { w } of watchers.values()) w.close();
      watchers.clear();
    },
    poke: event,
    async restore(sources) {
      const out: DriftActionResultDto[] = [];
      for (const source of sources) {
        const r = await act(() => deps.service.restoreDrift(source));
        out.push(r.source ? r : { ...r, source });
        deps.notify({ kind: r.ok ? 'drift' : 'error', title: r.ok ? 'Restored' : 'Not restored', body: r.message, urgent: !r.ok });
      }
      await check();
      return out;
    },
    async keepTheirs(source) {
      const r = await act(() => deps.service.keepTheirs(source));
      if (!r.ok) deps.notify({ kind: 'error', title: 'Could not keep their values', body: r.message });
      await check();
      return r.source ? r : { ...r, source };
    },
    stats: () => ({ checks, watched: [...watchers.keys()].sort() }),
    async idle() {
      while (timer !== null || running) {
        if (running) await running;
        else await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}
