import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import type { RedisKeys } from "../storage/keys.js";
import type { Redis } from "../storage/redis.js";
import { createArticleReader } from "./articleEnricher.js";
import { classifyItem } from "./classify.js";
import { RedisFeedHealthStore } from "./feedHealth.js";
import { loadFeedList } from "./feedList.js";
import { FeedOverrideStore } from "./feedOverrides.js";
import { fetchFeed } from "./fetchFeed.js";
import { type CycleReport, runPollCycle, type StorySink } from "./pollCycle.js";
import { Poller } from "./poller.js";
import type { StoryStore } from "./storyStore.js";
import type { FeedConfig } from "./types.js";

export type NewsPipeline = {
  health: RedisFeedHealthStore;
  poller: Poller;
  /** The feeds of FEEDS_FILE, as read at start. */
  fileFeeds: readonly FeedConfig[];
  /** Run-time changes by admins (pause, resume, add, remove), on top of the file. */
  overrides: FeedOverrideStore;
  /** The feeds the next cycle polls: the file's with the admins' changes applied. */
  feeds(): Promise<FeedConfig[]>;
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
  /** Told about every finished cycle (metrics). */
  onCycle?: (report: CycleReport) => void;
}): NewsPipeline {
  const { config, redis, keys, sink, stories } = deps;
  const logger = deps.logger.child({ module: "news" });
  const fileFeeds = loadFeedList(config.feedsFile);
  const overrides = new FeedOverrideStore(redis, keys, logger, fileFeeds);
  const health = new RedisFeedHealthStore(redis, keys, logger);
  // Off by default: docs/relevance.md says why (no measured gain yet).
  const articles = config.articleFetch
    ? createArticleReader(
        {
          perCycle: Math.max(1, Math.floor(config.articleFetchPerCycle)),
          timeoutMs: config.articleFetchTimeoutMs,
        },
        { logger },
      )
    : undefined;
  const poller = new Poller({
    redis,
    keys,
    logger,
    cron: config.pollCron,
    timezone: config.timezone,
    // The list is resolved at every cycle, so an admin's change applies from the next poll.
    runCycle: async (now, signal) => {
      const report = await runPollCycle(
        {
          feeds: await overrides.effective(),
          fetchFeed,
          classify: classifyItem,
          store: stories,
          health,
          sink,
          logger,
          ...(articles ? { articles } : {}),
          options: { backlogHours: config.backlogHours, timeZone: config.timezone },
          signal,
        },
        now,
      );
      deps.onCycle?.(report);
      return report;
    },
  });
  logger.info({ feeds: fileFeeds.length, file: config.feedsFile }, "feed list loaded");
  return { health, poller, fileFeeds, overrides, feeds: () => overrides.effective() };
}
