/**
 * Runs the poll cycle on a cron schedule: once right away on start, then on every tick of
 * POLL_CRON. Two rules: a cycle never overlaps the previous one in this process (the tick is skipped
 * and logged), and it runs in one process of the cluster at a time (a Redis lock that is renewed
 * while the cycle runs and released by its own token only).
 */
import cron, { type ScheduledTask } from "node-cron";
import { errorText } from "../errorText.js";
import type { Logger } from "../logger.js";
import type { RedisKeys } from "../storage/keys.js";
import { withLock } from "../storage/lock.js";
import type { Redis } from "../storage/redis.js";
import type { CycleReport } from "./pollCycle.js";

export type PollerDeps = {
  redis: Redis;
  keys: RedisKeys;
  logger: Logger;
  /** POLL_CRON, e.g. every 5 minutes. */
  cron: string;
  /** Time zone of the cron expression (matters only for hour/day fields). */
  timezone?: string;
  /**
   * One cycle: usually `(now, signal) => runPollCycle({...deps, signal}, now)`. The signal aborts
   * when the cluster lock is lost mid-cycle.
   */
  runCycle: (now: Date, signal: AbortSignal) => Promise<CycleReport>;
  /** Expiry of the cluster lock; renewed every third of it while a cycle runs. Default 60 s. */
  lockTtlMs?: number;
  /** Name of the lock key (under `keys.lock`). Default "poll". */
  lockName?: string;
  /** The clock; tests pass a fixed one. */
  clock?: () => Date;
};

/** What one attempt to run a cycle did. */
export type PollAttempt =
  | { kind: "ran"; report: CycleReport }
  | { kind: "skipped"; reason: "previous-cycle-running" | "locked-by-another-process" | "stopped" }
  | { kind: "failed"; error: string };

/** The news poll scheduler of one process. */
export class Poller {
  private task: ScheduledTask | undefined;
  private current: Promise<PollAttempt> | undefined;
  private stopped = false;

  constructor(private readonly deps: PollerDeps) {}

  /** True while a cycle of this process is running. */
  get running(): boolean {
    return this.current !== undefined;
  }

  /** Schedules the cycles and starts one immediately (not awaited). Calling it twice is a no-op. */
  start(): void {
    if (this.task) return;
    this.stopped = false;
    this.task = cron.schedule(
      this.deps.cron,
      () => {
        void this.runOnce();
      },
      { name: "news-poll", ...(this.deps.timezone ? { timezone: this.deps.timezone } : {}) },
    );
    void this.runOnce();
  }

  /**
   * Stops scheduling and waits for the running cycle (if any) to finish, so a shutdown never cuts
   * a cycle between storing a story and handing it to delivery.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    const task = this.task;
    this.task = undefined;
    if (task) {
      await task.stop();
      await task.destroy();
    }
    await this.current;
  }

  /**
   * Runs one cycle now unless one is already running here, or in another process of the cluster,
   * or the poller was stopped (each: skipped). Works without start(), for tests and admin commands. Never throws: a failed cycle is logged and returned as `failed`.
   */
  runOnce(): Promise<PollAttempt> {
    if (this.stopped) {
      return Promise.resolve({ kind: "skipped", reason: "stopped" });
    }
    if (this.current) {
      this.deps.logger.warn("poll cycle skipped: the previous cycle is still running");
      return Promise.resolve({ kind: "skipped", reason: "previous-cycle-running" });
    }
    const attempt = this.attempt().finally(() => {
      this.current = undefined;
    });
    this.current = attempt;
    return attempt;
  }

  private async attempt(): Promise<PollAttempt> {
    const { redis, keys, logger } = this.deps;
    const key = keys.lock(this.deps.lockName ?? "poll");
    try {
      const result = await withLock(
        redis,
        key,
        this.deps.lockTtlMs ?? 60_000,
        (signal) => this.deps.runCycle(this.deps.clock?.() ?? new Date(), signal),
        logger,
      );
      if (!result.acquired) {
        logger.info("poll cycle skipped: another process of the cluster is running it");
        return { kind: "skipped", reason: "locked-by-another-process" };
      }
      return { kind: "ran", report: result.value };
    } catch (err) {
      const error = errorText(err);
      logger.error({ err: error }, "poll cycle failed");
      return { kind: "failed", error };
    }
  }
}
