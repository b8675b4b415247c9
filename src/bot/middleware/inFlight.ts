import type { MiddlewareFn } from "grammy";

/**
 * Counts updates being handled. The runner's stop() ends polling but does not wait for
 * handlers already running, so shutdown drains them here before closing Redis.
 */
export class InFlightUpdates {
  private readonly active = new Set<Promise<unknown>>();
  private lastUpdateId: number | undefined;

  readonly middleware: MiddlewareFn = async (ctx, next) => {
    this.lastUpdateId = Math.max(this.lastUpdateId ?? 0, ctx.update.update_id);
    const running = next();
    this.active.add(running);
    try {
      await running;
    } finally {
      this.active.delete(running);
    }
  };

  get size(): number {
    return this.active.size;
  }

  /** The highest update id seen, to confirm to Telegram at shutdown. */
  get lastSeen(): number | undefined {
    return this.lastUpdateId;
  }

  /** Resolves when every running handler has settled, or after `timeoutMs`; true if drained. */
  async drain(timeoutMs: number): Promise<boolean> {
    const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
    const settled = Promise.allSettled([...this.active]).then(() => true as const);
    return Promise.race([settled, timeout]);
  }
}
