/**
 * The local half of pacing: request starts of this process at most `rate` a second, with one
 * start of slack.
 *
 * `SendAdmission`'s schedule gives every send a slot, and each send sleeps until its slot. A busy
 * event loop fires those timers late and all at once: a 100 ms stall would release 100 ms worth of
 * sends together, and Telegram counts them on arrival. The spacer re-spaces what wakes together.
 * It is a GCRA with a tolerance of one interval: a start a millisecond late lets the next one
 * catch up (no rate lost to timer jitter), and no window of any length holds more than its share
 * of the rate plus two.
 */
export class StartSpacer {
  /** Theoretical time of the next start (ms, the caller's clock). */
  private tat = Number.NEGATIVE_INFINITY;
  private readonly intervalMs: number;

  constructor(ratePerSecond: number) {
    this.intervalMs = 1000 / ratePerSecond;
  }

  /** Reserves the next start at or after `now` (ms); returns how long to wait for it. */
  reserve(now: number): number {
    const at = Math.max(now, this.tat - this.intervalMs);
    this.tat = Math.max(this.tat, at) + this.intervalMs;
    return at - now;
  }
}
