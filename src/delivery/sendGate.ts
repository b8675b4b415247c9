/**
 * Bounds the sends in flight in one process, whichever jobs they come from. A batch job queues
 * all its chats here at once; a single job takes its turn among them. The bound is also the most
 * messages a SIGKILL can leave sent but unrecorded, i.e. sent twice after a restart. It may be
 * changed while sends run (`InFlightControl` follows the round trip): a raise lets waiters in at
 * once, a cut takes effect as running sends finish.
 */
export class SendGate {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  private bound: number;

  constructor(limit: number) {
    this.bound = checked(limit);
  }

  get limit(): number {
    return this.bound;
  }

  /** Sends running now. */
  get running(): number {
    return this.active;
  }

  set limit(limit: number) {
    this.bound = checked(limit);
    while (this.active < this.bound && this.waiting.length > 0) {
      this.active++;
      this.waiting.shift()?.();
    }
  }

  /** Runs `work` when fewer than `limit` others run; first come, first served. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.bound || this.waiting.length > 0) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.active++;
    try {
      return await work();
    } finally {
      // The slot passes straight to the next waiter, so a newcomer cannot overtake it.
      if (this.active <= this.bound && this.waiting.length > 0) this.waiting.shift()?.();
      else this.active--;
    }
  }
}

function checked(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`SendGate limit must be ≥ 1, got ${limit}`);
  return limit;
}
