import { autoRetry } from "@grammyjs/auto-retry";
import type { I18n } from "@grammyjs/i18n";
import { sequentialize } from "@grammyjs/runner";
import { Bot, GrammyError, HttpError } from "grammy";
import { broadcastRatesOf } from "../admin/paidBroadcast.js";
import type { BotConfig } from "../config.js";
import { freeRateOf, SendBudget } from "../delivery/index.js";
import { detectLanguage } from "../i18n/languages.js";
import { translatorOf } from "../i18n/translator.js";
import type { Logger } from "../logger.js";
import type { StoryStore } from "../news/storyStore.js";
import { ChartFileCache } from "../rates/chartCache.js";
import type { RatesService } from "../rates/ratesService.js";
import { countTelegram429, type Metrics, timeUpdates } from "../server/metrics.js";
import type { ChannelStore } from "../storage/destinations.js";
import type { RedisKeys } from "../storage/keys.js";
import type { ProfileStore } from "../storage/profiles.js";
import type { Redis } from "../storage/redis.js";
import type { SubscriptionStore } from "../storage/subscriptions.js";
import { markAnswerLeaving } from "./answerLeaving.js";
import { ChartPhotos } from "./chartPhotos.js";
import type { BotContext } from "./context.js";
import { expectedRefusalsAsDone } from "./expectedRefusals.js";
import { type AdminDeps, adminFeature } from "./features/admin.js";
import { channelSettingsFeature } from "./features/channelSettings.js";
import { channelsFeature } from "./features/channels.js";
import { channelWatch } from "./features/channelWatch.js";
import { fallbackFeature } from "./features/fallback.js";
import { forumTopicsFeature } from "./features/forumTopics.js";
import { keywordsFeature } from "./features/keywords.js";
import { languageFeature } from "./features/language.js";
import { latestFeature } from "./features/latest.js";
import { ratesFeature } from "./features/rates.js";
import { settingsPickersFeature } from "./features/settingsPickers.js";
import { storyLanguagesFeature } from "./features/storyLanguages.js";
import { conversationsPlugin, subscriptionFeature } from "./features/subscription.js";
import { welcomeFeature } from "./features/welcome.js";
import { floodControl } from "./middleware/floodControl.js";
import type { InFlightUpdates } from "./middleware/inFlight.js";
import { onceOnly } from "./middleware/onceOnly.js";
import { parseCallback } from "./middleware/parseCallback.js";
import type { PauseNotices } from "./pauseNotices.js";

export type BotDependencies = {
  config: BotConfig;
  logger: Logger;
  i18n: I18n<BotContext>;
  profiles: ProfileStore;
  subscriptions: SubscriptionStore;
  redis: Redis;
  keys: RedisKeys;
  rates: RatesService;
  stories: StoryStore;
  metrics: Metrics;
  /** Tracks running handlers, so shutdown can wait for them. */
  inFlight: InFlightUpdates;
  /** Channels managed from private chats; with `notices`, channels and forum topics exist. */
  channels: ChannelStore;
  /** Tells managers and forums that a channel or topic was paused or resumed. */
  notices: PauseNotices;
  /** Admin commands (ADMIN_IDS only); without it they do not exist for anyone. */
  admin?: Omit<
    AdminDeps,
    "adminIds" | "redis" | "keys" | "translate" | "timeZone" | "subscriptions" | "rates"
  >;
};

/**
 * Builds the bot: middleware in the order that matters (logging, language, i18n, callback
 * parsing, features, fallback) and an error boundary that logs and still answers the user.
 */
export function createBot(deps: BotDependencies): Bot<BotContext> {
  const { config, logger, i18n, profiles, subscriptions, redis, keys, rates, stories } = deps;
  const translate = translatorOf(i18n);
  const bot = new Bot<BotContext>(config.botToken, {
    client: { apiRoot: config.telegramApiRoot },
  });
  // Innermost, after the budget's wait: flood control learns when an answer leaves the bot.
  bot.api.config.use(markAnswerLeaving());
  // Counted before auto-retry hides them: a 429 on a reply still shows in the metrics.
  bot.api.config.use(countTelegram429(deps.metrics));
  // Replies, edits and deliveries share one schedule of SEND_RATE_LIMIT a second, replies first;
  // inside auto-retry, so a retry draws on it again.
  bot.api.config.use(
    new SendBudget({
      redis,
      keys,
      logger,
      ratePerSecond: config.sendRateLimit,
      // PAID_BROADCAST: replies and edits are never paid, so they keep to the free rate too.
      freeRatePerSecond: freeRateOf(config),
    }).transformer,
  );
  // Replies to users wait out a 429 or a Telegram hiccup instead of failing.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 30 }));
  // A double tap's second edit or answer is a no-op, not a failure the user hears about.
  bot.api.config.use(expectedRefusalsAsDone());

  bot.use(deps.inFlight.middleware);
  bot.use(timeUpdates(deps.metrics));
  // Before the once-only claim and the profile read: a flooding chat costs one counter, no more.
  bot.use(
    floodControl({
      redis,
      keys,
      limits: {
        burst: config.floodBurst,
        callbackBurst: config.floodCallbackBurst,
        windowMs: config.floodWindowMs,
      },
      adminIds: config.adminIds,
      translate,
      logger,
      onSuppressed: (kind) => deps.metrics.updatesSuppressed.inc(kind),
    }),
  );
  bot.use(onceOnly(redis, keys));
  // The runner handles updates concurrently; one chat's updates must still run in order.
  bot.use(sequentialize((ctx) => (ctx.chat?.id ?? ctx.from?.id)?.toString()));

  bot.use(async (ctx, next) => {
    ctx.log = logger.child({ updateId: ctx.update.update_id, userId: ctx.from?.id, chatId: ctx.chat?.id });
    const started = performance.now();
    await next();
    ctx.log.debug({ ms: Math.round(performance.now() - started) }, "update handled");
  });

  bot.use(async (ctx, next) => {
    const chatId = ctx.chat?.id ?? ctx.from?.id;
    const detected = detectLanguage(ctx.from?.language_code);
    ctx.language =
      chatId === undefined
        ? detected
        : ((await profiles.getLanguage(chatId)) ?? (await profiles.ensureLanguage(chatId, detected)));
    await next();
  });

  bot.use(i18n);
  bot.use(parseCallback);

  bot.use(conversationsPlugin(redis, keys, bot.api));
  // Channels' and topics' own cases first; subscriptionFeature then handles every chat alike.
  bot.use(channelWatch({ subscriptions, notices: deps.notices, channels: deps.channels }));
  bot.use(forumTopicsFeature({ subscriptions, translate, notices: deps.notices }));
  bot.use(subscriptionFeature({ redis, keys, translate, subscriptions, timeZone: config.timezone }));
  bot.use(storyLanguagesFeature({ translate, subscriptions }));
  bot.use(keywordsFeature({ translate, subscriptions }));
  bot.use(settingsPickersFeature({ translate, subscriptions }));
  const channelDeps = { translate, subscriptions, channels: deps.channels, notices: deps.notices };
  bot.use(channelsFeature(channelDeps));
  bot.use(channelSettingsFeature(channelDeps));
  bot.use(welcomeFeature(translate));
  bot.use(languageFeature(profiles, translate));
  const charts = new ChartPhotos(new ChartFileCache(redis, keys, logger), logger, {
    onRender: () => deps.metrics.chartRenders.inc(),
    onCacheHit: () => deps.metrics.chartCacheHits.inc(),
  });
  bot.use(ratesFeature({ rates, translate, charts }));
  bot.use(latestFeature({ stories, subscriptions, translate, timeZone: config.timezone }));
  // Before the fallback: non-admins skip it and get the fallback's "unknown command".
  if (deps.admin) {
    bot.use(
      adminFeature({
        ...deps.admin,
        adminIds: config.adminIds,
        redis,
        keys,
        translate,
        timeZone: config.timezone,
        subscriptions,
        rates: broadcastRatesOf(config),
      }),
    );
  }
  bot.use(fallbackFeature());

  bot.catch(async ({ ctx, error }) => {
    const log = ctx.log ?? logger;
    if (error instanceof GrammyError) {
      log.error(
        { method: error.method, code: error.error_code, description: error.description },
        "telegram refused a call",
      );
    } else if (error instanceof HttpError) {
      log.error({ err: error.error }, "cannot reach telegram");
    } else {
      log.error({ err: error }, "update handler failed");
    }
    try {
      if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t?.("error-generic") });
      else if (ctx.chat)
        await ctx.reply(ctx.t ? ctx.t("error-generic") : translate(ctx.language ?? "ru", "error-generic"));
    } catch {
      // The user could not be told (blocked bot, Telegram down): the log above has it.
    }
  });

  return bot;
}
