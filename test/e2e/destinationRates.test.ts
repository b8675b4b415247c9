import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Delivery, startDelivery } from "../../src/delivery/index.js";
import { createI18n, translatorOf } from "../../src/i18n/translator.js";
import { createLogger } from "../../src/logger.js";
import { RedisStoryStore } from "../../src/news/storyStore.js";
import { DailyRatesJob } from "../../src/rates/dailyRates.js";
import { RateHistory } from "../../src/rates/rateHistory.js";
import { RatesService } from "../../src/rates/ratesService.js";
import { redisKeys } from "../../src/storage/keys.js";
import { SubscriptionStore } from "../../src/storage/subscriptions.js";
import { TEST_TOKEN } from "../support/botProcess.js";
import { NbkServer } from "../support/nbkServer.js";
import { type TestRedis, useTestRedis } from "../support/redis.js";
import { TelegramEmulator } from "../support/telegramEmulator.js";

const FORUM = -1006000000001;
const CHANNEL = -1006000000002;
const GROUP_PACE_MS = 400;

/**
 * The daily rates message to a channel and to forum topics: the job, the real delivery engine, a
 * local NBK, the emulator and a real Redis in this process. Two topics of one forum and the forum's
 * General are three recipients, each once a day, each in its own thread.
 */
describe("daily rates in channels and forum topics", () => {
  let redis: TestRedis;
  let telegram: TelegramEmulator;
  let nbk: NbkServer;
  let delivery: Delivery;
  let subscriptions: SubscriptionStore;
  let ratesTopic: number;
  let newsTopic: number;
  let otherRatesTopic: number;
  const logger = createLogger({ level: "silent" });
  const translate = translatorOf(createI18n());

  beforeAll(async () => {
    redis = await useTestRedis();
    telegram = await TelegramEmulator.start(TEST_TOKEN);
    nbk = await NbkServer.start();
    telegram.forum(FORUM);
    telegram.channel(CHANNEL);
    ratesTopic = telegram.createTopic(FORUM, "Rates");
    newsTopic = telegram.createTopic(FORUM, "News");
    otherRatesTopic = telegram.createTopic(FORUM, "Rates, in Kazakh");
    const keys = redisKeys(redis.prefix);
    subscriptions = new SubscriptionStore(redis.client, keys, logger);
    delivery = await startDelivery({
      config: {
        botToken: TEST_TOKEN,
        redisUrl: redis.url,
        telegramApiRoot: telegram.apiRoot,
        timezone: "Asia/Almaty",
        sendRateLimit: 200,
      },
      redis: redis.client,
      keys,
      logger,
      translate,
      subscriptions,
      stories: new RedisStoryStore(redis.client, keys, logger),
      // Groups are paced at 20 a minute (3 s apart); shortened here, so three messages to one forum
      // take about a second, and the gaps still show that the pace is the forum's, not each topic's.
      tuning: { groupPaceMs: GROUP_PACE_MS },
    });
    const base = { kind: "supergroup" as const, topics: ["trade" as const], ratesTime: "09:00" as const };
    await subscriptions.subscribe(FORUM, { ...base, language: "en", rates: true });
    await subscriptions.subscribe(
      { chatId: FORUM, threadId: ratesTopic },
      { ...base, language: "ru", rates: true },
    );
    await subscriptions.subscribe(
      { chatId: FORUM, threadId: newsTopic },
      { ...base, language: "ru", rates: false },
    );
    await subscriptions.subscribe(
      { chatId: FORUM, threadId: otherRatesTopic },
      { ...base, language: "kk", rates: true },
    );
    await subscriptions.subscribe(CHANNEL, { ...base, kind: "channel", language: "uz", rates: true });
  });

  afterAll(async () => {
    await delivery?.stop();
    await telegram?.stop();
    await nbk?.stop();
    await redis?.close();
  });

  it("sends each subscribed topic, the forum's General and the channel one rates message, in its thread", async () => {
    const keys = redisKeys(redis.prefix);
    const job = new DailyRatesJob({
      redis: redis.client,
      keys,
      logger,
      rates: new RatesService({
        history: new RateHistory(redis.client, keys, logger),
        settings: {
          timezone: "Asia/Almaty",
          nbkRatesUrl: nbk.url,
          cbuFallback: false,
          cbuRatesUrl: "http://127.0.0.1:9",
        },
        logger,
        translate,
      }),
      subscriptions,
      enqueue: (jobs) => delivery.queue.enqueue(jobs),
      translate,
      adminIds: [],
      timezone: "Asia/Almaty",
      ratesCron: "0 9 * * *",
      retry: { initialDelayMs: 50, factor: 2, maxDelayMs: 100, deadlineMs: 500 },
    });
    expect((await job.runSlot("09:00")).kind).toBe("sent");
    await telegram.waitFor(
      () => telegram.countTo(FORUM) >= 3 && telegram.countTo(CHANNEL) >= 1,
      15_000,
      "three rates messages in the forum and one in the channel",
    );
    await new Promise((r) => setTimeout(r, 500));
    const first = (thread: number | undefined) =>
      telegram.messagesInThread(FORUM, thread).map((m) => m.text?.split("\n")[0]);
    expect(first(undefined)).toEqual(["Good morning! The rates for today:"]);
    expect(first(ratesTopic)).toEqual(["Доброе утро! Курсы на сегодня:"]);
    expect(first(otherRatesTopic)).toHaveLength(1);
    expect(first(newsTopic)).toEqual([]); // its subscription has no rates
    expect(telegram.countTo(CHANNEL)).toBe(1);
    // Telegram's per-chat limit counts every topic of a forum together: one pace for the forum.
    const arrivals = telegram.messagesTo(FORUM).map((m) => m.at);
    const gaps = arrivals.slice(1).map((at, i) => at - (arrivals[i] as number));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(GROUP_PACE_MS - 50);
  });
});
