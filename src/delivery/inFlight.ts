/**
 * How many sends one process keeps in flight, from the round trips it measured (pure).
 *
 * Little's law: to start `rate` sends a second when each holds its slot `latency` seconds, about
 * `rate × latency` must be in flight. Too few and the bot sends below its rate whenever Telegram
 * is slow (a fixed 64 reached 36% of 1,000/s at a 150 ms round trip); too many and a SIGKILL
 * leaves more sent-but-unrecorded messages (sent twice after a restart). The pace of request
 * starts is not decided here: `SendAdmission`'s schedule spaces every start, so extra slots only
 * wait their turn and can never make a burst.
 */

/**
 * Sends above the mean round trip's need: a mean leaves no margin for the slow tail (the
 * lognormal's p90 is ~2× its mean), and a slot that waits for the schedule costs nothing.
 */
export const IN_FLIGHT_HEADROOM = 1.5;

/**
 * Sends kept beyond the need, at any rate. At a few dozen a second the need is a handful, and a
 * couple of answers from the tail (p99 1 s, stalls of seconds) hold most of it at once: then no
 * send is waiting when a slot comes, and the slot is lost (about 1% of 25/s with one spare).
 */
export const IN_FLIGHT_SPARE = 4;

/** Round trips kept: a few seconds at a busy rate, so the limit follows a change within seconds. */
export const LATENCY_WINDOW = 200;

export type InFlightBounds = {
  /** Messages per second this process may reach (the bot-wide rate). */
  ratePerSecond: number;
  minInFlight: number;
  maxInFlight: number;
};

/** The sends in flight that reach `ratePerSecond` at a mean round trip of `latencyMs`, bounded. */
export function inFlightFor(
  latencyMs: number,
  bounds: InFlightBounds,
  headroom = IN_FLIGHT_HEADROOM,
): number {
  const needed =
    Math.ceil((bounds.ratePerSecond * Math.max(0, latencyMs) * headroom) / 1000) + IN_FLIGHT_SPARE;
  return Math.min(bounds.maxInFlight, Math.max(bounds.minInFlight, needed));
}

/** The last `size` round trips and their mean, in O(1) per sample. */
export class LatencyWindow {
  private readonly samples: number[] = [];
  private next = 0;
  private sum = 0;

  constructor(private readonly size = LATENCY_WINDOW) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`LatencyWindow size must be ≥ 1, got ${size}`);
  }

  /** Records one round trip (ms); negative or non-finite values are ignored. */
  add(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    if (this.samples.length < this.size) {
      this.samples.push(ms);
    } else {
      this.sum -= this.samples[this.next] as number;
      this.samples[this.next] = ms;
      this.next = (this.next + 1) % this.size;
    }
    this.sum += ms;
  }

  get count(): number {
    return this.samples.length;
  }

  /** Mean of the window; undefined before the first sample. */
  mean(): number | undefined {
    return this.samples.length === 0 ? undefined : this.sum / this.samples.length;
  }
}

/**
 * Share of recent sends that found their global slot already due (the schedule had no backlog)
 * above which the process is behind its rate. With enough in flight the schedule runs ahead and
 * almost no send finds its slot due; with too few, about half do (each finished send admits the
 * next at a random moment, often after its slot).
 */
export const BEHIND_SHARE = 0.2;

/** Round trips needed before a raise: a handful, as early answers can only understate the need. */
const MIN_SAMPLES_TO_RAISE = 3;

/**
 * The in-flight limit of one process: fixed (`concurrency` set), or following the window's mean
 * round trip from `initialLatencyMs` on.
 *
 * Two guards keep the mean honest. The first answers are the fastest ones: they may raise the
 * limit (the need can only be larger than they say), but a cut waits until the window holds as
 * many round trips as were in flight. And a raise needs a second witness, the schedule: while
 * sends wait for their slots the rate is reached, and a round trip that grew is this process's
 * own load (a busy event loop delays every timer and answer); raising then would only hold more
 * sends that a late timer releases together.
 */
export class InFlightControl {
  private readonly window: LatencyWindow;
  private readonly due: boolean[] = [];
  private dueCount = 0;
  private next = 0;
  private current: number;

  constructor(
    private readonly bounds: InFlightBounds & {
      initialLatencyMs: number;
      maxInitialInFlight?: number;
      fixed?: number;
    },
    private readonly windowSize = LATENCY_WINDOW,
  ) {
    if (bounds.minInFlight < 1 || bounds.maxInFlight < bounds.minInFlight) {
      throw new Error(
        `in-flight bounds must be 1 ≤ min ≤ max, got ${bounds.minInFlight}..${bounds.maxInFlight}`,
      );
    }
    this.window = new LatencyWindow(windowSize);
    // The initial guess has no headroom: it is already a pessimistic round trip.
    const initialMax = Math.max(
      bounds.minInFlight,
      Math.min(bounds.maxInFlight, bounds.maxInitialInFlight ?? Infinity),
    );
    this.current =
      bounds.fixed ?? inFlightFor(bounds.initialLatencyMs, { ...bounds, maxInFlight: initialMax }, 1);
  }

  get limit(): number {
    return this.current;
  }

  /**
   * Records an admission: was the send's global slot already due when it asked (no wait at all)?
   * Returns the limit (the same while fixed).
   */
  admitted(slotWasDue: boolean): number {
    if (this.bounds.fixed !== undefined) return this.current;
    if (this.due.length < this.windowSize) {
      this.due.push(slotWasDue);
    } else {
      if (this.due[this.next]) this.dueCount--;
      this.due[this.next] = slotWasDue;
      this.next = (this.next + 1) % this.windowSize;
    }
    if (slotWasDue) this.dueCount++;
    return this.adjust();
  }

  /**
   * Records a send's round trip (ms: its slot's time without the wait for the global slot).
   * Returns the limit (the same while fixed).
   */
  completed(latencyMs: number): number {
    if (this.bounds.fixed !== undefined) return this.current;
    this.window.add(latencyMs);
    return this.adjust();
  }

  private adjust(): number {
    const mean = this.window.mean();
    if (mean === undefined) return this.current;
    const target = inFlightFor(mean, this.bounds);
    const behind = this.dueCount >= BEHIND_SHARE * this.due.length;
    if (target > this.current && behind && this.window.count >= MIN_SAMPLES_TO_RAISE) this.current = target;
    if (target < this.current && this.window.count >= Math.min(this.windowSize, this.current)) {
      this.current = target;
    }
    return this.current;
  }
}
