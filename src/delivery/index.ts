/**
 * The delivery engine as the app sees it: one call starts the queue, the worker and the story
 * sink, and `stop()` drains them before the app closes Redis.
 */
import { Redis as IORedis } from "ioredis";
import type { Config } from "../config.js";
import type { Translate } from "../i18n/translator.js";
import type { Logger } from "../logger.js";
import type { StoryStore } from "../news/storyStore.js";
import type { RedisKeys } from "../storage/keys.js";
import type { Redis } from "../storage/redis.js";
import type { SubscriptionStore } from "../storage/subscriptions.js";
import { createStorySink, type DeliverySink } from "./fanOut.js";
import { DeliveryQueue } from "./queue.js";
import { DeliveryWorker, type DeliveryWorkerOptions } from "./worker.js";

// The public surface of delivery: everything outside src/delivery imports from here (Biome enforces it).
export { formatDigest, MESSAGE_LIMIT } from "./formatStory.js";
export type { DeliveryJob, DeliveryKind } from "./queue.js";
export { DeliveryQueue } from "./queue.js";
export { countAlreadySent, markRefCancelled, refOutcomeCounts } from "./refs.js";
export type { DeliveryEvent } from "./worker.js";
export { DeliveryWorker } from "./worker.js";

/** Tuning that is not configuration an operator sets (tests shorten the timings). */
export type DeliveryTuning = Pick<
  DeliveryWorkerOptions,
  "concurrency" | "privatePaceMs" | "groupPaceMs" | "requestTimeoutSeconds" | "onEvent"
> & {
  /** Run a worker in this process (false: only enqueue, e.g. in a CLI). Default true. */
  worker: boolean;
  /** How soon a job of a killed process is taken over (BullMQ lockDuration). Default 30 s. */
  lockDurationMs: number;
  /** How often stalled jobs are looked for (BullMQ stalledInterval). Default 30 s. */
  stalledIntervalMs: number;
  /** How often unfinished fan-outs are looked for; 0 only at start. Default 60 s. */
  resumeIntervalMs: number;
  /** Fan-out walk lock expiry: how soon a crashed walk is taken over. Default 30 s. */
  fanOutLockTtlMs: number;
  fanOutBatchSize: number;
  /** Chats per queued story job (at most 100). */
  fanOutJobSize: number;
  attempts?: number;
  backoffMs?: number;
  sentTtlMs?: number;
};

export type DeliveryDeps = {
  config: Pick<Config, "botToken" | "redisUrl" | "telegramApiRoot" | "timezone" | "sendRateLimit"> &
    Partial<Pick<Config, "paidBroadcast" | "freeSendRateLimit">>;
  redis: Redis;
  keys: RedisKeys;
  logger: Logger;
  translate: Translate;
  subscriptions: SubscriptionStore;
  stories: Pick<StoryStore, "getStory">;
  tuning?: Partial<DeliveryTuning>;
};

export type Delivery = {
  /** Give every accepted story to this (the poll cycle's StorySink). */
  sink: DeliverySink;
  /** Enqueue other messages (daily rates, broadcasts) here. */
  queue: DeliveryQueue;
  /** Undefined when `tuning.worker` is false. Dead letters and counters live here. */
  worker: DeliveryWorker | undefined;
  /** Stops fan-outs between batches, finishes the sends in flight, closes its connections. */
  stop(): Promise<void>;
};

const DEFAULT_TUNING: DeliveryTuning = {
  worker: true,
  lockDurationMs: 30_000,
  stalledIntervalMs: 30_000,
  resumeIntervalMs: 60_000,
  fanOutLockTtlMs: 30_000,
  // Subscribers read per step of the walk: a few story jobs' worth, and little garbage per step.
  fanOutBatchSize: 500,
  fanOutJobSize: 100,
};

/**
 * Starts delivery: the queue, a worker (global limit SEND_RATE_LIMIT shared by every process on
 * this Redis), and the story sink; resumes fan-outs a previous process left unfinished. BullMQ
 * gets its own connection (it needs `maxRetriesPerRequest: null` and blocking reads).
 */
export async function startDelivery(deps: DeliveryDeps): Promise<Delivery> {
  const { config, redis, keys, logger } = deps;
  const tuning: DeliveryTuning = { ...DEFAULT_TUNING, ...deps.tuning };
  if (tuning.worker && !config.botToken) throw new Error("delivery needs BOT_TOKEN to send messages");

  const connection = new IORedis(config.redisUrl, {
    maxRetriesPerRequest: null,
    connectionName: "kzuz-news-bot:delivery",
  });
  connection.on("error", (err) => logger.warn({ err: err.message }, "delivery redis connection error"));

  const queue = new DeliveryQueue({
    connection,
    redis,
    keys,
    onError: (err) => logger.warn({ err: err.message }, "delivery queue: redis error; retrying"),
    ...(tuning.attempts !== undefined ? { attempts: tuning.attempts } : {}),
    ...(tuning.backoffMs !== undefined ? { backoffMs: tuning.backoffMs } : {}),
    ...(tuning.sentTtlMs !== undefined ? { sentTtlMs: tuning.sentTtlMs } : {}),
  });
  const worker =
    tuning.worker && config.botToken
      ? new DeliveryWorker({
          connection,
          redis,
          keys,
          logger,
          translate: deps.translate,
          subscriptions: deps.subscriptions,
          stories: deps.stories,
          queue,
          token: config.botToken,
          apiRoot: config.telegramApiRoot,
          timeZone: config.timezone,
          ratePerSecond: config.sendRateLimit,
          // PAID_BROADCAST: only paid broadcasts may go above the free rate, and pay for it.
          ...(config.paidBroadcast && config.freeSendRateLimit !== undefined
            ? { freeRatePerSecond: config.freeSendRateLimit }
            : {}),
          lockDurationMs: tuning.lockDurationMs,
          stalledIntervalMs: tuning.stalledIntervalMs,
          ...pick(tuning, [
            "concurrency",
            "privatePaceMs",
            "groupPaceMs",
            "requestTimeoutSeconds",
            "onEvent",
          ] as const),
        })
      : undefined;
  const sink = createStorySink({
    redis,
    keys,
    logger,
    subscriptions: deps.subscriptions,
    queue,
    batchSize: tuning.fanOutBatchSize,
    jobSize: tuning.fanOutJobSize,
    lockTtlMs: tuning.fanOutLockTtlMs,
  });

  try {
    await queue.queue.waitUntilReady();
    await worker?.start();
  } catch (err) {
    await worker?.close().catch(() => {});
    await queue.close().catch(() => {});
    connection.disconnect();
    throw err;
  }

  const resume = () => {
    sink.resumeUnfinished().catch((err: Error) => {
      logger.warn({ err: err.message }, "could not resume unfinished fan-outs; will try again");
    });
  };
  resume();
  const sweep = tuning.resumeIntervalMs > 0 ? setInterval(resume, tuning.resumeIntervalMs) : undefined;
  sweep?.unref();
  logger.info({ ratePerSecond: config.sendRateLimit, worker: worker !== undefined }, "delivery started");

  let stopped: Promise<void> | undefined;
  return {
    sink,
    queue,
    worker,
    stop() {
      stopped ??= (async () => {
        if (sweep) clearInterval(sweep);
        // Order matters: no new jobs from fan-outs, then the sends in flight, then the connection.
        await sink.stop();
        await worker?.close();
        await queue.close();
        await connection.quit().catch(() => connection.disconnect());
        logger.info("delivery stopped");
      })();
      return stopped;
    },
  };
}

function pick<T extends object, K extends keyof T>(source: T, names: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const name of names) if (source[name] !== undefined) out[name] = source[name];
  return out;
}
