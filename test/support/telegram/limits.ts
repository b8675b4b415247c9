export type LimitOptions = {
  /** Messages per second for the whole bot (Telegram: about 30). */
  globalPerSecond: number;
  /** Sustained messages per second to one private chat, with a small burst allowance. */
  perChatPerSecond: number;
  perChatBurst: number;
  /** Messages per minute to one group. */
  perGroupPerMinute: number;
  /** Messages per second bot-wide for calls with allow_paid_broadcast. @defaultValue 1000 */
  paidPerSecond?: number;
};

/** Telegram's bot-wide limit with allow_paid_broadcast (paid in Stars). */
export const PAID_BROADCAST_PER_SECOND = 1000;

/** Which of Telegram's limits a 429 enforced. */
export type LimitCause = "global" | "paid" | "chat" | "group";

export const TELEGRAM_LIMITS: LimitOptions = {
  globalPerSecond: 30,
  perChatPerSecond: 1,
  perChatBurst: 3,
  perGroupPerMinute: 20,
  paidPerSecond: PAID_BROADCAST_PER_SECOND,
};

/** Methods that send a new message and so count against Telegram's limits. */
export const SENDING_METHODS = new Set([
  "sendMessage",
  "sendPhoto",
  "sendDocument",
  "sendMediaGroup",
  "copyMessage",
  "forwardMessage",
]);

/** A token bucket: `capacity` at once, refilled at `rate` per ms. */
export class Bucket {
  private tokens: number;
  private last: number;
  constructor(
    private readonly capacity: number,
    private readonly ratePerMs: number,
  ) {
    this.tokens = capacity;
    this.last = performance.now();
  }
  /** Takes one token, or returns how many ms until one is available. */
  take(now: number): number {
    const wait = this.waitFor(now);
    if (wait === 0) this.tokens -= 1;
    return wait;
  }
  /** How many ms until a token is available (0: now), taking none. */
  waitFor(now: number): number {
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.ratePerMs);
    this.last = now;
    return this.tokens >= 1 ? 0 : (1 - this.tokens) / this.ratePerMs;
  }
}

/** Arrival times (ms, performance.now()) of accepted sends at the server, free and paid. */
export class ArrivalLog {
  readonly free: number[] = [];
  readonly paid: number[] = [];

  record(at: number, paid: boolean): void {
    (paid ? this.paid : this.free).push(at);
  }

  /** Most arrivals in any window of `windowMs` (sliding, not calendar seconds). */
  maxInWindow(kind: "free" | "paid" | "all" = "all", windowMs = 1000): number {
    const times = kind === "all" ? [...this.free, ...this.paid] : [...this[kind]];
    times.sort((a, b) => a - b);
    let max = 0;
    for (let start = 0, end = 0; end < times.length; end++) {
      while ((times[end] as number) - (times[start] as number) >= windowMs) start++;
      max = Math.max(max, end - start + 1);
    }
    return max;
  }

  /** Arrivals per calendar second since the first one: index i counts second i. */
  perSecond(kind: "free" | "paid" | "all" = "all"): number[] {
    const times = kind === "all" ? [...this.free, ...this.paid] : [...this[kind]];
    if (times.length === 0) return [];
    const first = Math.min(...times);
    const counts: number[] = [];
    for (const t of times) {
      const second = Math.floor((t - first) / 1000);
      counts[second] = (counts[second] ?? 0) + 1;
    }
    return Array.from(counts, (c) => c ?? 0);
  }
}
