/**
 * Answers that stay true for a while (the rates of the day, the latest stories), kept in this
 * process for as long as the computing function says, and computed once however many users
 * ask at the same moment: concurrent callers of a missing key share one computation.
 */
export class AnswerCache<V> {
  private readonly fresh = new Map<string, { value: V; until: number }>();
  private readonly computing = new Map<string, Promise<V>>();

  /**
   * @param maxEntries oldest entries are dropped beyond this (keys such as topic sets are many).
   * @param now injectable clock, for tests.
   */
  constructor(
    private readonly maxEntries = 500,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when `key` has an unexpired answer (a caller may skip a "typing…" action then). */
  has(key: string): boolean {
    const entry = this.fresh.get(key);
    return entry !== undefined && entry.until > this.now();
  }

  /**
   * The cached answer for `key`, or `compute()`'s, kept for the `ttlMs` it returns (0: not
   * kept). A failed computation is not kept: the next caller tries again.
   */
  async get(key: string, compute: () => Promise<{ value: V; ttlMs: number }>): Promise<V> {
    const entry = this.fresh.get(key);
    if (entry && entry.until > this.now()) return entry.value;
    const running = this.computing.get(key);
    if (running) return running;
    const started = compute().then(({ value, ttlMs }) => {
      if (ttlMs > 0) this.keep(key, value, ttlMs);
      return value;
    });
    this.computing.set(key, started);
    try {
      return await started;
    } finally {
      this.computing.delete(key);
    }
  }

  private keep(key: string, value: V, ttlMs: number): void {
    this.fresh.delete(key);
    this.fresh.set(key, { value, until: this.now() + ttlMs });
    for (const oldest of this.fresh.keys()) {
      if (this.fresh.size <= this.maxEntries) break;
      this.fresh.delete(oldest);
    }
  }
}
