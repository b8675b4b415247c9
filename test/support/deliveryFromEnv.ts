import type { Config } from "../../src/config.js";
import { type DeliveryTuning, startDelivery } from "../../src/delivery/index.js";
import { createI18n, translatorOf } from "../../src/i18n/translator.js";
import type { Logger } from "../../src/logger.js";
import { RedisStoryStore } from "../../src/news/storyStore.js";
import { redisKeys } from "../../src/storage/keys.js";
import { connectRedis } from "../../src/storage/redis.js";
import { SubscriptionStore } from "../../src/storage/subscriptions.js";

/**
 * Starts the delivery engine alone, configured like the bot plus test tunings from the
 * environment (DELIVERY_CONCURRENCY, DELIVERY_LOCK_MS, DELIVERY_STALLED_MS, DELIVERY_BATCH,
 * DELIVERY_JOB_SIZE, DELIVERY_RESUME_MS, DELIVERY_FANOUT_LOCK_MS, DELIVERY_BACKOFF_MS, DELIVERY_ATTEMPTS,
 * DELIVERY_RATE_LIMIT): used by
 * the crash tests' child process and the benchmarks' delivery child.
 */
export async function startDeliveryFromEnv(
  baseConfig: Config,
  env: NodeJS.ProcessEnv,
  logger: Logger,
  extra: Partial<DeliveryTuning> = {},
) {
  const number = (name: string): number | undefined => (env[name] ? Number(env[name]) : undefined);
  // DELIVERY_RATE_LIMIT: a send rate past SEND_RATE_LIMIT's checks (above 30 without paid
  // broadcasts), for runs against the emulator with Telegram's limits off.
  const rate = number("DELIVERY_RATE_LIMIT");
  const config = rate === undefined ? baseConfig : { ...baseConfig, sendRateLimit: rate };
  const redis = await connectRedis(config.redisUrl, logger, { sentinel: config.redisSentinel });
  const keys = redisKeys(config.redisPrefix);
  const stories = new RedisStoryStore(redis, keys, logger);
  const tuning = Object.fromEntries(
    Object.entries({
      concurrency: number("DELIVERY_CONCURRENCY"),
      lockDurationMs: number("DELIVERY_LOCK_MS"),
      stalledIntervalMs: number("DELIVERY_STALLED_MS"),
      fanOutBatchSize: number("DELIVERY_BATCH"),
      fanOutJobSize: number("DELIVERY_JOB_SIZE"),
      resumeIntervalMs: number("DELIVERY_RESUME_MS"),
      fanOutLockTtlMs: number("DELIVERY_FANOUT_LOCK_MS"),
      backoffMs: number("DELIVERY_BACKOFF_MS"),
      attempts: number("DELIVERY_ATTEMPTS"),
    }).filter(([, v]) => v !== undefined),
  );
  const delivery = await startDelivery({
    config,
    redis,
    keys,
    logger,
    translate: translatorOf(createI18n()),
    subscriptions: new SubscriptionStore(redis, keys, logger),
    stories,
    tuning: { ...tuning, ...extra },
  });
  return { delivery, redis, stories };
}
