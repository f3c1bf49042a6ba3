/**
 * Coalesces a burst of file events into one check (issue 17): a writer that changes four keys
 * one by one, 60 ms apart, fires four or more events; the check runs once the files have been
 * quiet for `quietMs`, or at the latest `maxWaitMs` after the first event, so a writer that
 * never pauses is still looked at. Pure: the caller passes the time and sets its own timer.
 */
export class Burst {
  private first: number | null = null;
  private last = 0;

  constructor(
    readonly quietMs: number,
    readonly maxWaitMs: number,
  ) {}

  /** An event at `now`; returns when the check is due. */
  event(now: number): number {
    if (this.first === null) this.first = now;
    this.last = now;
    return this.dueAt()!;
  }

  /** When the pending check is due, or null when nothing is pending. */
  dueAt(): number | null {
    return this.first === null ? null : Math.min(this.last + this.quietMs, this.first + this.maxWaitMs);
  }

  /** The check is due at `now` (and the burst is over: the next event starts a new one). */
  take(now: number): boolean {
    const due = this.dueAt();
    if (due === null || now < due) return false;
    this.first = null;
    return true;
  }
}
