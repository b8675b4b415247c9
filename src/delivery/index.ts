/**
 * The delivery engine as the app sees it: one call starts the queue, the worker and the story
 * sink, and `stop()` drains them before the app closes Redis.
 */
import type { Config } from "../config.js";
import type { Translate } from "../i18n/translator.js";
import type { Logger } from "../logger.js";
import type { StoryStore } from "../news/storyStore.js";
import type { RedisKeys } from "../storage/keys.js";
import { abandonRedis, duplicateRedis, type Redis } from "../storage/redis.js";
import type { SubscriptionStore } from "../storage/subscriptions.js";
import { createStorySink, type DeliverySink } from "./fanOut.js";
import { type DeliveryOptions, resolveDeliveryOptions } from "./options.js";
import { DeliveryQueue } from "./queue.js";
import { versionAwareStories } from "./storyVersions.js";
import { DeliveryWorker } from "./worker.js";

// The public surface of delivery: everything outside src/delivery imports from here (Biome enforces it).
export { type BriefingSection, formatBriefing } from "./briefing.js";
export type { DeliveryEvent } from "./events.js";
export { formatDigest, LOCALES, MESSAGE_LIMIT } from "./formatStory.js";
export { DELIVERY_DEFAULTS, type DeliveryOptions } from "./options.js";
export type { DeliveryJob, DeliveryKind } from "./queue.js";
export { DeliveryQueue } from "./queue.js";
export { countAlreadySent, markRefCancelled, refOutcomeCounts } from "./refs.js";
export { budgetClassOf, SendBudget, type SendBudgetOptions } from "./sendBudget.js";
export { versionAwareStories } from "./storyVersions.js";
export { DeliveryWorker } from "./worker.js";

/**
 * The rate of messages sent without paying: FREE_SEND_RATE_LIMIT with PAID_BROADCAST, otherwise
 * undefined (one schedule at SEND_RATE_LIMIT, nothing is ever paid). Replies and deliveries alike.
 */
export function freeRateOf(
  config: Partial<Pick<Config, "paidBroadcast" | "freeSendRateLimit">>,
): number | undefined {
  return config.paidBroadcast ? config.freeSendRateLimit : undefined;
}

/** Tuning that is not configuration an operator sets (tests shorten the timings); see `DeliveryOptions`. */
export type DeliveryTuning = Partial<DeliveryOptions>;

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
  /**
   * Shutdown with Redis already gone: drops the connections without waiting for anything to be
   * recorded. Sends in flight stay active jobs in Redis and are retried once it is back.
   */
  abandon(): Promise<void>;
};

/**
 * Starts delivery: the queue, a worker (global limit SEND_RATE_LIMIT shared by every process on
 * this Redis), and the story sink; resumes fan-outs a previous process left unfinished. BullMQ
 * gets its own connection (it needs `maxRetriesPerRequest: null` and blocking reads).
 */
export async function startDelivery(deps: DeliveryDeps): Promise<Delivery> {
  const { config, redis, keys, logger } = deps;
  const tuning = resolveDeliveryOptions(deps.tuning);
  if (tuning.worker && !config.botToken) throw new Error("delivery needs BOT_TOKEN to send messages");

  // A duplicate of the app's connection: the same Redis, through the same sentinels, if any.
  const connection = duplicateRedis(redis, "kzuz-news-bot:delivery");
  connection.on("error", (err) => logger.warn({ err }, "delivery redis connection error"));

  const queue = new DeliveryQueue({
    connection,
    redis,
    keys,
    onError: (err) => logger.warn({ err }, "delivery queue: redis error; retrying"),
    attempts: tuning.attempts,
    backoffMs: tuning.backoffMs,
    sentTtlMs: tuning.sentTtlMs,
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
          // A job's story id may name one telling of a merged story (story languages).
          stories: versionAwareStories(deps.stories),
          queue,
          token: config.botToken,
          apiRoot: config.telegramApiRoot,
          timeZone: config.timezone,
          ratePerSecond: config.sendRateLimit,
          // PAID_BROADCAST: only paid broadcasts may go above the free rate, and pay for it.
          freeRatePerSecond: freeRateOf(config),
          options: tuning,
        })
      : undefined;
  const sink = createStorySink({
    redis,
    keys,
    logger,
    subscriptions: deps.subscriptions,
    queue,
    stories: deps.stories,
    timeZone: config.timezone,
    batchSize: tuning.fanOutBatchSize,
    jobSize: tuning.fanOutJobSize,
    lockTtlMs: tuning.fanOutLockTtlMs,
    doneTtlMs: tuning.fanOutDoneTtlMs,
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
      logger.warn({ err }, "could not resume unfinished fan-outs; will try again");
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
    async abandon() {
      if (sweep) clearInterval(sweep);
      void sink.stop();
      abandonRedis(connection);
      // Closes BullMQ's own blocking connection; its wait for jobs in flight is not awaited.
      void worker?.close().catch(() => {});
      logger.warn("delivery abandoned: Redis is unreachable");
    },
  };
}
