/**
 * When to tell the user about drift, and when to stop restoring (issue 17). Pure: every call
 * takes the time (ms) as an argument; the tray's drift watch feeds it what each check found.
 *
 * - One notice per episode: a source (one editor's settings.json, or the data dir's files)
 *   that drifts is announced once; further changes to it while it stays drifted (a per-key
 *   writer's next keys, Settings Sync finishing) are not news. Once it is clean again the
 *   episode is over and a later drift is announced again.
 * - Never fight a writer: a Restore that left the source clean and is undone within
 *   `loopWindowMs` stops mtls-tray restoring that source (one notice that says why); Restore is
 *   refused for it until it is seen clean again by other means (`settings apply` from a
 *   terminal, or whatever writes it stopping), or the user keeps theirs.
 */

export const LOOP_WINDOW_MS = 60_000;

export interface GuardObservation {
  source: string;
  /** null: not judged this time (e.g. a swap in progress): neither starts nor ends an episode. */
  drifted: boolean | null;
}

export type GuardDecision =
  /** Newly drifted sources, announced together in one notice. */
  | { kind: 'notify'; sources: string[] }
  /** A restore of `source` was undone `undoneAfterMs` after it: stopped. */
  | { kind: 'loop'; source: string; undoneAfterMs: number };

export interface Stopped {
  /** When the undo was seen (ms). */
  at: number;
  undoneAfterMs: number;
}

interface SourceState {
  /** Announced in the current episode. */
  notified: boolean;
  /** Our last restore that left it clean (ms). */
  restoredAt: number | null;
  stopped: Stopped | null;
}

export class DriftGuard {
  private readonly states = new Map<string, SourceState>();

  constructor(private readonly loopWindowMs = LOOP_WINDOW_MS) {}

  private state(source: string): SourceState {
    let s = this.states.get(source);
    if (!s) {
      s = { notified: false, restoredAt: null, stopped: null };
      this.states.set(source, s);
    }
    return s;
  }

  /** What a check found (every source it looked at); what to tell the user about it. */
  observe(now: number, seen: readonly GuardObservation[]): GuardDecision[] {
    const decisions: GuardDecision[] = [];
    const fresh: string[] = [];
    const drifted = new Set(seen.filter((o) => o.drifted === true).map((o) => o.source));
    const unjudged = new Set(seen.filter((o) => o.drifted === null).map((o) => o.source));
    for (const source of drifted) {
      const s = this.state(source);
      if (s.stopped) continue; // explained once already
      if (s.restoredAt !== null && now - s.restoredAt <= this.loopWindowMs) {
        s.stopped = { at: now, undoneAfterMs: now - s.restoredAt };
        s.restoredAt = null;
        s.notified = true;
        decisions.push({ kind: 'loop', source, undoneAfterMs: s.stopped.undoneAfterMs });
        continue;
      }
      s.restoredAt = null;
      if (!s.notified) {
        s.notified = true;
        fresh.push(source);
      }
    }
    for (const [source, s] of this.states) {
      if (drifted.has(source) || unjudged.has(source)) continue;
      // Clean (or no longer watched): the episode is over. A stop ends too, unless our own
      // restore is what made it clean (it cannot be: a stopped source is never restored).
      s.notified = false;
      s.stopped = null;
      if (s.restoredAt !== null && now - s.restoredAt > this.loopWindowMs) s.restoredAt = null;
      if (!s.notified && s.restoredAt === null && s.stopped === null) this.states.delete(source);
    }
    if (fresh.length) decisions.unshift({ kind: 'notify', sources: fresh });
    return decisions;
  }

  /** Restore is refused for a stopped source: returns why, or null when it may run. */
  stopped(source: string): Stopped | null {
    return this.states.get(source)?.stopped ?? null;
  }

  /**
   * A restore of `source` ran. `clean`: it left the source as mtls-tray wants it. A restore
   * whose result is undone before we could even look again counts as undone at once.
   */
  restored(now: number, source: string, clean: boolean): GuardDecision | null {
    const s = this.state(source);
    if (clean) {
      s.restoredAt = now;
      s.notified = false;
      return null;
    }
    s.stopped = { at: now, undoneAfterMs: 0 };
    s.restoredAt = null;
    s.notified = true;
    return { kind: 'loop', source, undoneAfterMs: 0 };
  }

  /** Keep theirs, or re-applied on purpose: start over for this source. */
  forget(source: string): void {
    this.states.delete(source);
  }
}
