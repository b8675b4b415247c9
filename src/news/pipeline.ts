import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import type { RedisKeys } from "../storage/keys.js";
import type { Redis } from "../storage/redis.js";
import { classifyItem } from "./classify.js";
import { RedisFeedHealthStore } from "./feedHealth.js";
import { loadFeedList } from "./feedList.js";
import { fetchFeed } from "./fetchFeed.js";
import { runPollCycle, type StorySink } from "./pollCycle.js";
import { Poller } from "./poller.js";
import type { StoryStore } from "./storyStore.js";
import type { FeedConfig } from "./types.js";

export type NewsPipeline = {
  health: RedisFeedHealthStore;
  poller: Poller;
  /** The feeds polled now (the feed file; runtime changes by admins come on top later). */
  feeds(): FeedConfig[];
};

/**
 * The news pipeline of the bot process: the feed list from FEEDS_FILE, the Redis-backed story
 * store and feed health, and the poller that hands every accepted story to `sink`. The feed file
 * is read at start, so a broken file stops start-up with its error instead of polling nothing.
 */
export function createNewsPipeline(deps: {
  config: Config;
  redis: Redis;
  keys: RedisKeys;
  logger: Logger;
  stories: StoryStore;
  sink: StorySink;
}): NewsPipeline {
  const { config, redis, keys, sink, stories } = deps;
  const logger = deps.logger.child({ module: "news" });
  const feeds = loadFeedList(config.feedsFile);
  const health = new RedisFeedHealthStore(redis, keys, logger);
  const poller = new Poller({
    redis,
    keys,
    logger,
    cron: config.pollCron,
    timezone: config.timezone,
    runCycle: (now, signal) =>
      runPollCycle(
        {
          feeds,
          fetchFeed,
          classify: classifyItem,
          store: stories,
          health,
          sink,
          logger,
          options: { backlogHours: config.backlogHours, timeZone: config.timezone },
          signal,
        },
        now,
      ),
  });
  logger.info({ feeds: feeds.length, file: config.feedsFile }, "feed list loaded");
  return { health, poller, feeds: () => feeds };
}
