/**
 * A process that runs only the delivery engine, for the crash and multi-process tests
 * (`spawnBot(env, "test/support/deliveryProcess.ts")`). Configuration comes from the same
 * environment as the bot (REDIS_URL, REDIS_PREFIX, BOT_TOKEN, TELEGRAM_API_ROOT, SEND_RATE_LIMIT,
 * TIMEZONE), plus test tuning:
 *
 * - FANOUT_STORY_IDS: comma-separated ids of stored stories to accept once started.
 * - DELIVERY_CONCURRENCY, DELIVERY_LOCK_MS, DELIVERY_STALLED_MS, DELIVERY_BATCH,
 *   DELIVERY_RESUME_MS, DELIVERY_FANOUT_LOCK_MS: the engine's timings, shortened so a restarted
 *   process takes over a killed one's work within seconds.
 *
 * Logs JSON lines; "delivery started" and "fan-out accepted" mark its progress. SIGTERM stops it
 * gracefully (in-flight sends finish).
 */

import { parseConfig, requireBotToken } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { closeRedis } from "../../src/storage/redis.js";
import { startDeliveryFromEnv } from "./deliveryFromEnv.js";

const env = process.env;
const config = requireBotToken(parseConfig(env));
const logger = createLogger({ level: config.logLevel, secrets: [config.botToken], name: "delivery-process" });

const { delivery, redis, stories } = await startDeliveryFromEnv(config, env, logger);

for (const id of (env.FANOUT_STORY_IDS ?? "").split(",").filter(Boolean)) {
  const story = await stories.getStory(id);
  if (!story) {
    logger.error({ storyId: id }, "no such story");
    continue;
  }
  await delivery.sink.accept(story);
  logger.info({ storyId: id }, "fan-out accepted");
}

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void delivery
      .stop()
      .then(() => closeRedis(redis))
      .then(() => process.exit(0));
  });
}
