import { run } from "@grammyjs/runner";
import { GrammyError } from "grammy";
import { AuditLog } from "./admin/audit.js";
import { BroadcastRunner, BroadcastStore } from "./admin/broadcasts.js";
import { registerAdminCommands, registerCommands } from "./bot/commands.js";
import { createBot } from "./bot/createBot.js";
import type { AdminRuntime } from "./bot/features/admin.js";
import { InFlightUpdates } from "./bot/middleware/inFlight.js";
import { PauseNotices } from "./bot/pauseNotices.js";
import { PollingLeader } from "./bot/pollingLeader.js";
import type { BotConfig } from "./config.js";
import { type Delivery, startDelivery } from "./delivery/index.js";
import { errorText } from "./errorText.js";
import { createI18n, translatorOf } from "./i18n/translator.js";
import type { Logger } from "./logger.js";
import { FeedListError } from "./news/feedList.js";
import { createNewsPipeline, type NewsPipeline } from "./news/pipeline.js";
import { RedisStoryStore } from "./news/storyStore.js";
import { backfillOncePerCluster } from "./rates/backfill.js";
import { DailyRatesJob } from "./rates/dailyRates.js";
import { RateHistory } from "./rates/rateHistory.js";
import { RatesService } from "./rates/ratesService.js";
import {
  type RunningHttpServer,
  redisReadiness,
  runReadinessChecks,
  startHttpServer,
} from "./server/httpServer.js";
import { createMetrics, recordDeliveryEvent, recordPollCycle, recordRatesResult } from "./server/metrics.js";
import { createWebhookHandler, registerWebhook } from "./server/webhook.js";
import { runShutdownSteps, shutdownWasClean } from "./shutdownSteps.js";
import { ChannelStore } from "./storage/destinations.js";
import { redisKeys } from "./storage/keys.js";
import { ProfileStore } from "./storage/profiles.js";
import { abandonRedis, closeRedis, connectRedis } from "./storage/redis.js";
import { SubscriptionStore } from "./storage/subscriptions.js";
import { BriefingJob } from "./subscriber/briefingJob.js";

export class StartupError extends Error {
  override name = "StartupError";
}

export type RunningApp = {
  /** Stops taking updates, finishes in-flight work, closes connections. */
  stop(): Promise<void>;
};

/**
 * Starts every part of the bot against the given config and resolves once it is polling:
 * Redis, the bot identity and command menu, delivery, the news poller, the daily rates job and
 * the rates history backfill. Throws StartupError with an operator-facing message when a
 * dependency is unusable; anything started before the failure is closed again.
 */
export async function startApp(config: BotConfig, logger: Logger): Promise<RunningApp> {
  const redis = await connectRedis(config.redisUrl, logger, { sentinel: config.redisSentinel }).catch(
    (err: Error) => {
      throw new StartupError(err.message);
    },
  );
  const fail = async (message: string, cleanup?: () => Promise<unknown>): Promise<never> => {
    await cleanup?.().catch(() => {});
    await closeRedis(redis);
    throw new StartupError(message);
  };

  const keys = redisKeys(config.redisPrefix);
  const i18n = createI18n();
  const translate = translatorOf(i18n);
  const profiles = new ProfileStore(redis, keys, logger);
  const subscriptions = new SubscriptionStore(redis, keys, logger);
  const stories = new RedisStoryStore(redis, keys, logger);
  const rateHistory = new RateHistory(redis, keys, logger);
  const rates = new RatesService({
    history: rateHistory,
    settings: config,
    logger,
    translate,
    onResolved: (result) => recordRatesResult(metrics, result),
  });
  // The queue depth is read at scrape time, once delivery runs.
  let delivery: Delivery | undefined;
  const metrics = createMetrics({ queueDepth: async () => (delivery ? delivery.queue.pending() : 0) });

  const channels = new ChannelStore(redis, keys, logger);
  // Notices of paused channels and topics go through the queue once delivery runs (the bot and
  // the worker both report; neither acts before delivery has started).
  const notices = new PauseNotices({
    redis,
    keys,
    logger,
    translate,
    subscriptions,
    channels,
    languageOf: (chatId) => profiles.getLanguage(chatId),
    onPaused: (kind) => metrics.destinationsPaused.inc(kind),
    enqueue: async (jobs) => {
      if (!delivery) throw new Error("delivery is not running yet");
      await delivery.queue.enqueue(jobs);
    },
  });
  const inFlight = new InFlightUpdates();
  const broadcastStore = new BroadcastStore(redis, keys, logger, subscriptions);
  // Filled once delivery and news run; the bot takes no update before that.
  let adminRuntime: AdminRuntime | undefined;
  const bot = createBot({
    config,
    logger,
    i18n,
    profiles,
    subscriptions,
    redis,
    keys,
    rates,
    stories,
    inFlight,
    metrics,
    channels,
    notices,
    admin: {
      store: broadcastStore,
      audit: new AuditLog(redis, keys, logger),
      runtime: () => adminRuntime,
    },
  });

  try {
    await bot.init();
  } catch (err) {
    if (err instanceof GrammyError && (err.error_code === 401 || err.error_code === 404)) {
      return fail("Telegram rejected BOT_TOKEN (401 Unauthorized): copy the token again from @BotFather");
    }
    return fail(
      `cannot reach the Telegram Bot API at ${config.telegramApiRoot}: ${errorText(err)}; check TELEGRAM_API_ROOT and the network`,
    );
  }
  logger.info({ bot: bot.botInfo.username }, "bot identity confirmed");

  if (!config.webhook) {
    // A webhook left over from another deployment would make getUpdates fail with 409.
    await bot.api.deleteWebhook();
  }
  await registerCommands(bot.api, translate).catch((err: Error) =>
    logger.warn({ err }, "could not register the command menu; continuing"),
  );
  await registerAdminCommands(bot.api, translate, config.adminIds).catch((err: Error) =>
    logger.warn({ err }, "could not register the admin command menu; continuing"),
  );

  // Before polling and the poller: both may enqueue messages. Stopped last, in stop().
  let started: Delivery;
  try {
    started = await startDelivery({
      config,
      redis,
      keys,
      logger,
      translate,
      subscriptions,
      stories,
      tuning: {
        onEvent: (event) => {
          recordDeliveryEvent(metrics, event);
          notices.onDeliveryEvent(event);
        },
      },
    });
  } catch (err) {
    return fail(`cannot start delivery: ${errorText(err)}`);
  }
  delivery = started;

  let news: NewsPipeline;
  try {
    news = createNewsPipeline({
      config,
      redis,
      keys,
      logger,
      stories,
      sink: started.sink,
      onCycle: (report) => recordPollCycle(metrics, report),
    });
  } catch (err) {
    const message = err instanceof FeedListError ? err.message : `cannot load FEEDS_FILE: ${errorText(err)}`;
    return fail(`${message}\n(fix the file or point FEEDS_FILE at a valid one)`, () => started.stop());
  }
  news.poller.start();

  // After delivery (it enqueues) and stopped before it; resumes a broadcast a restart interrupted.
  const broadcasts = new BroadcastRunner({
    redis,
    keys,
    logger,
    store: broadcastStore,
    queue: started.queue,
    api: bot.api,
    translate,
  });
  broadcasts.start();
  adminRuntime = {
    queue: started.queue,
    worker: started.worker,
    broadcasts,
    feeds: news.overrides,
    health: news.health,
  };

  const dailyRates = new DailyRatesJob({
    redis,
    keys,
    logger,
    rates,
    subscriptions,
    enqueue: (jobs) => started.queue.enqueue(jobs),
    translate,
    adminIds: config.adminIds,
    languageOf: (chatId) => profiles.getLanguage(chatId),
    timezone: config.timezone,
    ratesCron: config.ratesCron,
  });
  dailyRates.start();

  // After delivery (it enqueues); at start it catches up a briefing a restart at the hour missed.
  const briefings = new BriefingJob({
    redis,
    keys,
    logger,
    subscriptions,
    stories,
    enqueue: (jobs, options) => started.queue.enqueue(jobs, options),
    translate,
    timeZone: config.timezone,
    ratesHtml: async (language) => rates.message(await rates.current(), language),
  });
  briefings.start();

  const background = new AbortController();
  const backfill = backfillOncePerCluster({
    redis,
    lockKey: keys.lock("rates-backfill"),
    history: rateHistory,
    nbkBaseUrl: config.nbkRatesUrl,
    today: rates.today(),
    logger,
    signal: background.signal,
  });

  let http: RunningHttpServer | undefined;
  if (config.httpPort !== undefined) {
    try {
      http = await startHttpServer({
        port: config.httpPort,
        logger,
        metrics,
        closeTimeoutMs: 2_000,
        readiness: () => runReadinessChecks({ redis: redisReadiness(redis), bot: () => bot.isInited() }),
        ...(config.webhook
          ? {
              webhook: {
                path: config.webhook.path,
                secret: config.webhook.secret,
                handler: createWebhookHandler(bot, { secret: config.webhook.secret, logger }),
              },
            }
          : {}),
      });
    } catch (err) {
      return fail(
        `cannot listen on HTTP_PORT ${config.httpPort}: ${errorText(err)}; choose a free port`,
        () => started.stop(),
      );
    }
  }

  // Webhook mode: Telegram pushes updates to whichever instance the proxy picks. Polling mode:
  // one instance of the cluster polls at a time.
  const polling = config.webhook
    ? undefined
    : new PollingLeader({
        redis,
        lockKey: keys.lock("updates"),
        logger,
        startRunner: () =>
          run(bot, { runner: { fetch: { timeout: 25 }, silent: true, retryInterval: "exponential" } }),
      });
  if (config.webhook) {
    try {
      await registerWebhook(bot.api, { url: config.webhook.url, secret: config.webhook.secret });
      logger.info({ url: config.webhook.url }, "webhook registered");
    } catch (err) {
      return fail(`cannot register the webhook: ${errorText(err)}`, async () => {
        await http?.close();
        await started.stop();
      });
    }
  } else {
    polling?.start();
  }

  return {
    async stop() {
      background.abort();
      // With Redis already gone (compose stopped it first, the server died) nothing below can
      // record anything: commands would wait in ioredis's offline queue until the deadline. Drop
      // the connection so they fail at once; unfinished sends stay active jobs in Redis and
      // are retried once it is back (BullMQ's stalled-job check).
      const redisGone = redis.status !== "ready";
      if (redisGone) {
        logger.warn(
          { redis: redis.status },
          "Redis is unreachable at shutdown: not waiting for it; unrecorded work is retried at the next start",
        );
        abandonRedis(redis);
      }
      // Short budgets when Redis is gone: a step then waits only for things that need no Redis.
      const redisBudget = (ms: number) => (redisGone ? Math.min(ms, 500) : ms);
      // The total stays under main.ts's 9 s deadline, so this log line always comes out.
      const reports = await runShutdownSteps(
        [
          // Readiness turns 503 and the webhook stops taking updates before anything else closes.
          { name: "http", budgetMs: 2_500, run: async () => http?.close() },
          { name: "polling", budgetMs: redisBudget(2_000), run: async () => polling?.stop() },
          {
            name: "handlers",
            budgetMs: redisBudget(5_000),
            run: async () => {
              if (!(await inFlight.drain(redisBudget(5_000) - 100)))
                logger.warn({ pending: inFlight.size }, "gave up waiting for handlers");
            },
          },
          {
            // Telegram forgets updates only when a later getUpdates names a higher offset; without
            // this, a restart would handle the last batch a second time.
            name: "confirm-updates",
            budgetMs: 1_000,
            run: async () => {
              const lastUpdateId = inFlight.lastSeen;
              if (lastUpdateId !== undefined && !config.webhook)
                await bot.api.getUpdates({ offset: lastUpdateId + 1, limit: 1, timeout: 0 });
            },
          },
          {
            name: "jobs",
            budgetMs: redisBudget(3_000),
            run: () =>
              Promise.all([
                news.poller.stop(),
                dailyRates.stop(),
                briefings.stop(),
                backfill,
                broadcasts.stop(),
              ]),
          },
          // Sends in flight finish (fan-outs pause, to resume on the next start) before Redis closes.
          {
            name: "delivery",
            budgetMs: redisBudget(4_000),
            run: () => (redisGone ? started.abandon() : started.stop()),
          },
          { name: "redis", budgetMs: 2_500, run: () => closeRedis(redis) },
        ],
        { totalMs: 8_500 },
      );
      logger.info(
        { steps: Object.fromEntries(reports.map((r) => [r.name, `${r.ms}ms ${r.outcome}`])) },
        "shutdown steps",
      );
      // With Redis gone, steps that needed it were expected to give up: that is not an error.
      if (!redisGone && !shutdownWasClean(reports)) {
        const unclean = reports.filter((r) => r.outcome !== "done");
        throw new Error(
          `shutdown steps did not finish: ${unclean.map((r) => `${r.name} (${r.error ?? r.outcome})`).join(", ")}`,
        );
      }
    },
  };
}
