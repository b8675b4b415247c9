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

/**
 * The daily rates message: the job, the real delivery engine, a local NBK, the emulator and a
 * real Redis, all in this process (two job instances stand for two bot processes).
 */
describe("the daily rates message", () => {
  let redis: TestRedis;
  let telegram: TelegramEmulator;
  let nbk: NbkServer;
  let delivery: Delivery;
  let subscriptions: SubscriptionStore;
  const logger = createLogger({ level: "silent" });
  const translate = translatorOf(createI18n());

  function makeJob(adminIds: number[] = [9999]) {
    const keys = redisKeys(redis.prefix);
    const history = new RateHistory(redis.client, keys, logger);
    const rates = new RatesService({
      history,
      settings: {
        timezone: "Asia/Almaty",
        nbkRatesUrl: nbk.url,
        cbuFallback: false,
        cbuRatesUrl: "http://127.0.0.1:9",
      },
      logger,
      translate,
    });
    return new DailyRatesJob({
      redis: redis.client,
      keys,
      logger,
      rates,
      subscriptions,
      enqueue: (jobs) => delivery.queue.enqueue(jobs),
      translate,
      adminIds,
      languageOf: async (chatId) => (chatId === 9999 ? "en" : undefined),
      timezone: "Asia/Almaty",
      ratesCron: "0 9 * * *",
      retry: { initialDelayMs: 50, factor: 2, maxDelayMs: 100, deadlineMs: 500 },
    });
  }

  beforeAll(async () => {
    redis = await useTestRedis();
    telegram = await TelegramEmulator.start(TEST_TOKEN);
    nbk = await NbkServer.start();
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
    });
    const choices = [
      { id: 7001, language: "ru", rates: true, ratesTime: "09:00" },
      { id: 7002, language: "en", rates: true, ratesTime: "09:00" },
      { id: 7003, language: "kk", rates: false, ratesTime: "09:00" },
      { id: 7004, language: "uz", rates: true, ratesTime: "18:00" },
    ] as const;
    for (const c of choices) {
      await subscriptions.subscribe(c.id, {
        kind: "private",
        language: c.language,
        topics: ["trade"],
        rates: c.rates,
        ratesTime: c.ratesTime,
      });
    }
  });

  afterAll(async () => {
    await delivery?.stop();
    await telegram?.stop();
    await nbk?.stop();
    await redis?.close();
  });

  it("sends once per chat and day, even when run twice and by two processes at once", async () => {
    const [first, second] = await Promise.all([makeJob().runSlot("09:00"), makeJob().runSlot("09:00")]);
    const again = await makeJob().runSlot("09:00");
    expect([first.kind, second.kind].sort()).toEqual(["sent", "skipped"]);
    expect(again).toEqual({ kind: "skipped", reason: "already-done" });

    await telegram.waitFor(() => telegram.countTo(7001) >= 1 && telegram.countTo(7002) >= 1, 10_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(telegram.countTo(7001)).toBe(1);
    expect(telegram.countTo(7002)).toBe(1);
    expect(telegram.countTo(7003)).toBe(0); // opted out
    expect(telegram.countTo(7004)).toBe(0); // its slot is 18:00
    expect(telegram.messagesTo(7001)[0]?.text).toContain("Доброе утро! Курсы на сегодня:");
    expect(telegram.messagesTo(7002)[0]?.text).toMatch(/<b>USD<\/b>: <code>\d+\.\d\d<\/code>/);
    expect(telegram.messagesTo(7002)[0]?.text).not.toMatch(/NaN|: <code>0\.00<\/code>/);
  });

  it("does not send a second rates message the same day from another slot", async () => {
    await subscriptions.setRates(7001, true, "18:00");
    await makeJob().runSlot("18:00");
    await telegram.waitFor(() => telegram.countTo(7004) >= 1, 10_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(telegram.countTo(7004)).toBe(1);
    expect(telegram.countTo(7001)).toBe(1);
  });

  it("sends subscribers nothing wrong when NBK is down, and tells the admins once", async () => {
    await redis.client.del(...(await redis.client.keys(`${redis.prefix}:once:*`)));
    await redis.client.del(...(await redis.client.keys(`${redis.prefix}:rates:*`)));
    await redis.client.del(...(await redis.client.keys(`${redis.prefix}:dlv:sent:*`)));
    nbk.mode = "down";
    try {
      const before = telegram.countTo(7002);
      const outcome = await makeJob().runSlot("09:00");
      expect(outcome.kind).toBe("failed");
      await telegram.waitFor(() => telegram.countTo(9999) >= 1, 10_000);
      await new Promise((r) => setTimeout(r, 500));
      expect(telegram.countTo(7002)).toBe(before);
      expect(telegram.messagesTo(9999)[0]?.text).toContain("could not be obtained");
    } finally {
      nbk.mode = "normal";
    }
  });
});
