import { type RunnerHandle, run } from "@grammyjs/runner";
import { GrammyError } from "grammy";
import { registerCommands } from "./bot/commands.js";
import { createBot } from "./bot/createBot.js";
import { InFlightUpdates } from "./bot/middleware/inFlight.js";
import type { BotConfig } from "./config.js";
import { createI18n, translatorOf } from "./i18n/translator.js";
import type { Logger } from "./logger.js";
import { backfillRateHistory } from "./rates/backfill.js";
import { RateHistory } from "./rates/rateHistory.js";
import { RatesService } from "./rates/ratesService.js";
import { redisKeys } from "./storage/keys.js";
import { withLock } from "./storage/lock.js";
import { ProfileStore } from "./storage/profiles.js";
import { closeRedis, connectRedis } from "./storage/redis.js";
import { SubscriptionStore } from "./storage/subscriptions.js";

export class StartupError extends Error {
  override name = "StartupError";
}

export type RunningApp = {
  /** Stops taking updates, finishes in-flight work, closes connections. */
  stop(): Promise<void>;
};

/**
 * Starts every part of the bot against the given config and resolves once it is polling.
 * Throws StartupError with an operator-facing message when a dependency is unusable.
 */
export async function startApp(config: BotConfig, logger: Logger): Promise<RunningApp> {
  const redis = await connectRedis(config.redisUrl, logger).catch((err: Error) => {
    throw new StartupError(err.message);
  });
  const keys = redisKeys(config.redisPrefix);
  const i18n = createI18n();
  const profiles = new ProfileStore(redis, keys, logger);
  const subscriptions = new SubscriptionStore(redis, keys, logger);
  const translate = translatorOf(i18n);
  const rateHistory = new RateHistory(redis, keys, logger);
  const rates = new RatesService({ history: rateHistory, settings: config, logger, translate });

  const inFlight = new InFlightUpdates();
  const bot = createBot({ config, logger, i18n, profiles, subscriptions, redis, keys, rates, inFlight });

  try {
    await bot.init();
  } catch (err) {
    await closeRedis(redis);
    if (err instanceof GrammyError && (err.error_code === 401 || err.error_code === 404)) {
      throw new StartupError(
        "Telegram rejected BOT_TOKEN (401 Unauthorized): copy the token again from @BotFather",
      );
    }
    throw new StartupError(
      `cannot reach the Telegram Bot API at ${config.telegramApiRoot}: ${(err as Error).message}; check TELEGRAM_API_ROOT and the network`,
    );
  }
  logger.info({ bot: bot.botInfo.username }, "bot identity confirmed");

  // A webhook left over from another deployment would make getUpdates fail with 409.
  await bot.api.deleteWebhook();
  await registerCommands(bot.api, translate).catch((err: Error) =>
    logger.warn({ err: err.message }, "could not register the command menu; continuing"),
  );

  // Background work stops with the app: aborted on shutdown, awaited before Redis closes.
  const background = new AbortController();
  const backfill = withLock(
    redis,
    keys.lock("rates-backfill"),
    120_000,
    async (signal) => {
      const report = await backfillRateHistory({
        history: rateHistory,
        nbkBaseUrl: config.nbkRatesUrl,
        logger,
        today: rates.today(),
        signal: AbortSignal.any([signal, background.signal]),
      });
      logger.info(
        { stored: report.stored.length, skipped: report.skipped, failed: report.failed.length },
        "rates history backfilled",
      );
    },
    logger,
  ).catch((err: Error) =>
    logger.warn({ err: err.message }, "rates backfill failed; charts fill as days pass"),
  );

  const runner: RunnerHandle = run(bot, {
    runner: { fetch: { timeout: 25 }, silent: true, retryInterval: "exponential" },
  });
  logger.info("polling for updates");

  return {
    async stop() {
      background.abort();
      if (runner.isRunning()) await runner.stop();
      if (!(await inFlight.drain(6_000)))
        logger.warn({ pending: inFlight.size }, "gave up waiting for handlers");
      // Telegram forgets updates only when a later getUpdates names a higher offset; without
      // this, a restart would handle the last batch a second time.
      const lastUpdateId = inFlight.lastSeen;
      if (lastUpdateId !== undefined) {
        await bot.api.getUpdates({ offset: lastUpdateId + 1, limit: 1, timeout: 0 }).catch(() => {});
      }
      await backfill;
      await closeRedis(redis);
    },
  };
}
