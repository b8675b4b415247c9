export type LimitOptions = {
  /** Messages per second for the whole bot (Telegram: about 30). */
  globalPerSecond: number;
  /** Sustained messages per second to one private chat, with a small burst allowance. */
  perChatPerSecond: number;
  perChatBurst: number;
  /** Messages per minute to one group. */
  perGroupPerMinute: number;
};

export const TELEGRAM_LIMITS: LimitOptions = {
  globalPerSecond: 30,
  perChatPerSecond: 1,
  perChatBurst: 3,
  perGroupPerMinute: 20,
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
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.ratePerMs);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return (1 - this.tokens) / this.ratePerMs;
  }
}
