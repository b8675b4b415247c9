/**
 * Bounds the sends in flight in one process, whichever jobs they come from. A batch job queues
 * all its chats here at once; a single job takes its turn among them. The bound is also the most
 * messages a SIGKILL can leave sent but unrecorded, i.e. sent twice after a restart.
 */
export class SendGate {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`SendGate limit must be ≥ 1, got ${limit}`);
  }

  /** Runs `work` when fewer than `limit` others run; first come, first served. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await work();
    } finally {
      // The slot passes straight to the next waiter, so a newcomer cannot overtake it.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
