/**
 * How far a start may catch up on a late one: a few milliseconds, what a timer is usually late
 * by. A schedule at Telegram's limit keeps ARRIVAL_MARGIN (25 ms a second at 30/s) below it, and
 * most of that is for the network's jitter; a whole interval of catch-up (34 ms at 30/s) would
 * put a 31st start into some second.
 */
export const START_TOLERANCE_MS = 4;

/**
 * The local half of pacing: request starts of this process at most `rate` a second, with
 * START_TOLERANCE_MS of slack.
 *
 * `SendAdmission`'s schedule gives every send a slot, and each send sleeps until its slot. A busy
 * event loop fires those timers late and all at once: a 100 ms stall would release 100 ms worth of
 * sends together, and Telegram counts them on arrival. The spacer re-spaces what wakes together.
 * It is a GCRA with a tolerance of START_TOLERANCE_MS: a start a few milliseconds late lets the
 * next ones catch up (no rate lost to timer jitter), and no one-second window holds more than
 * `rate × (1 s + tolerance) + 1` starts.
 */
export class StartSpacer {
  /** Theoretical time of the next start (ms, the caller's clock). */
  private tat = Number.NEGATIVE_INFINITY;
  private readonly intervalMs: number;
  private readonly toleranceMs: number;

  constructor(ratePerSecond: number, toleranceMs = START_TOLERANCE_MS) {
    this.intervalMs = 1000 / ratePerSecond;
    this.toleranceMs = toleranceMs;
  }

  /** Reserves the next start at or after `now` (ms); returns how long to wait for it. */
  reserve(now: number): number {
    const at = Math.max(now, this.tat - this.toleranceMs);
    this.tat = Math.max(this.tat, at) + this.intervalMs;
    return at - now;
  }

  /**
   * The reserved start happened at `at` (ms), after its wait's timer fired. A timer that fired
   * late moves the next start on by as much, so the lateness is not made up by a start that
   * follows too soon.
   */
  started(at: number): void {
    this.tat = Math.max(this.tat, at + this.intervalMs);
  }
}
