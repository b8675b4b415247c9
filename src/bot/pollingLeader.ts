import type { RunnerHandle } from "@grammyjs/runner";
import type { Logger } from "../logger.js";
import { withLock } from "../storage/lock.js";
import type { Redis } from "../storage/redis.js";

/**
 * Long polling in a cluster: Telegram allows one getUpdates at a time per token (a second one
 * gets 409 Conflict), so only the instance holding a Redis lock polls; the others keep
 * delivering and stand by. The lock is renewed while polling; if its holder dies, it expires and
 * another instance takes over within `ttlMs`.
 */
export class PollingLeader {
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;
  private runner: RunnerHandle | undefined;

  constructor(
    private readonly deps: {
      redis: Redis;
      lockKey: string;
      logger: Logger;
      /** Starts a runner (grammY runner's `run(bot, …)`). */
      startRunner: () => RunnerHandle;
      ttlMs?: number;
      /** How often a standby instance tries to take over. */
      retryMs?: number;
    },
  ) {}

  /** True while this instance is the one polling. */
  get polling(): boolean {
    return this.runner?.isRunning() ?? false;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Stops polling (waiting for the runner) and releases the lock for another instance. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { redis, lockKey, logger } = this.deps;
    const ttlMs = this.deps.ttlMs ?? 15_000;
    let announcedStandby = false;
    while (!this.stopping.signal.aborted) {
      const result = await withLock(
        redis,
        lockKey,
        ttlMs,
        async (lost) => {
          this.runner = this.deps.startRunner();
          logger.info("polling for updates");
          const runnerDone = this.runner.task() ?? Promise.resolve();
          await Promise.race([runnerDone, aborted(lost), aborted(this.stopping.signal)]);
          if (lost.aborted) logger.warn("lost the polling lock; another instance takes over");
          if (this.runner.isRunning()) await this.runner.stop();
        },
        logger,
      ).catch((err: Error) => {
        logger.warn({ err }, "polling lock unavailable; retrying");
        return { acquired: false as const };
      });
      if (!result.acquired && !announcedStandby) {
        logger.info("another instance is polling; standing by");
        announcedStandby = true;
      }
      if (!this.stopping.signal.aborted)
        await sleep(this.deps.retryMs ?? Math.floor(ttlMs / 3), this.stopping.signal);
    }
  }
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
