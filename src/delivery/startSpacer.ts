/**
 * The local half of pacing: request starts of this process at most `rate` a second, with a
 * quarter of an interval of slack.
 *
 * `SendAdmission`'s schedule gives every send a slot, and each send sleeps until its slot. A busy
 * event loop fires those timers late and all at once: a 100 ms stall would release 100 ms worth of
 * sends together, and Telegram counts them on arrival. The spacer re-spaces what wakes together.
 * It is a GCRA with a tolerance of a quarter interval: a start a few milliseconds late lets the
 * next one catch up (no rate lost to timer jitter), and no window of any length holds more than
 * its share of the rate plus one and a quarter. The tolerance is that small because a schedule at
 * Telegram's limit keeps only ARRIVAL_MARGIN (20 ms a second at 30/s) below it: a whole interval
 * of catch-up (34 ms) would put a 31st start into some second.
 */
export class StartSpacer {
  /** Theoretical time of the next start (ms, the caller's clock). */
  private tat = Number.NEGATIVE_INFINITY;
  private readonly intervalMs: number;
  private readonly toleranceMs: number;

  constructor(ratePerSecond: number) {
    this.intervalMs = 1000 / ratePerSecond;
    this.toleranceMs = this.intervalMs / 4;
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
