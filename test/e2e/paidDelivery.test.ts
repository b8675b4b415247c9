import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Delivery, startDelivery } from "../../src/delivery/index.js";
import { createI18n, translatorOf } from "../../src/i18n/translator.js";
import { createLogger } from "../../src/logger.js";
import { RedisStoryStore } from "../../src/news/storyStore.js";
import { redisKeys } from "../../src/storage/keys.js";
import { SubscriptionStore } from "../../src/storage/subscriptions.js";
import { TEST_TOKEN } from "../support/botProcess.js";
import { type TestRedis, useTestRedis } from "../support/redis.js";
import { testStory } from "../support/storyFixture.js";
import { TELEGRAM_LIMITS, TelegramEmulator } from "../support/telegramEmulator.js";

/**
 * News with paid broadcasts on (PAID_BROADCAST, SEND_RATE_LIMIT 500, FREE_SEND_RATE_LIMIT 20):
 * the delivery engine in-process against the emulator with Telegram's limits and a real Redis.
 * A story's fan-out never pays: it keeps to the free rate even though the bot may send 500/s,
 * and the sends that would wait too long for a free slot go back to the queue, not to Telegram.
 */

const logger = createLogger({ level: "silent" });

describe("news in paid-broadcast mode", () => {
  let redis: TestRedis;
  let telegram: TelegramEmulator;
  let delivery: Delivery | undefined;
  beforeAll(async () => {
    redis = await useTestRedis();
    telegram = await TelegramEmulator.start(TEST_TOKEN);
    telegram.enforceLimits(TELEGRAM_LIMITS);
    telegram.setStarsBalance(1000);
  });
  afterAll(async () => {
    await delivery?.stop();
    await telegram?.stop();
    await redis?.close();
  });

  it("a story's fan-out keeps to FREE_SEND_RATE_LIMIT, never flagged, once per chat, no 429", async () => {
    const keys = redisKeys(`${redis.prefix}:news`);
    const subscriptions = new SubscriptionStore(redis.client, keys, logger);
    const stories = new RedisStoryStore(redis.client, keys, logger);
    const chats = Array.from({ length: 120 }, (_, i) => 8_000_000 + i);
    await Promise.all(
      chats.map((chatId) =>
        subscriptions.subscribe(chatId, {
          kind: "private",
          language: "ru",
          topics: ["energy"],
          rates: false,
        }),
      ),
    );
    const story = testStory("paid-mode-story", {
      feedId: "kun",
      outlet: "Kun.uz",
      language: "ru",
      title: "Казахстан и Узбекистан подписали соглашение по энергетике",
      summary: "Стороны договорились о поставках электроэнергии.",
      link: "https://kun.uz/news/paid-mode-story",
      topics: ["energy"],
    });
    await stories.saveStory(story);
    delivery = await startDelivery({
      config: {
        botToken: TEST_TOKEN,
        redisUrl: redis.url,
        telegramApiRoot: telegram.apiRoot,
        timezone: "Asia/Almaty",
        sendRateLimit: 500,
        paidBroadcast: true,
        freeSendRateLimit: 20,
      },
      redis: redis.client,
      keys,
      logger,
      translate: translatorOf(createI18n()),
      subscriptions,
      stories,
      tuning: { resumeIntervalMs: 0, lockDurationMs: 5000, stalledIntervalMs: 2000 },
    });
    const started = performance.now();
    await delivery.sink.accept(story);
    await telegram.waitFor(() => chats.every((c) => telegram.countTo(c) >= 1), 30_000, "every chat served");
    const seconds = (performance.now() - started) / 1000;

    for (const chatId of chats) expect(telegram.countTo(chatId), `chat ${chatId}`).toBe(1);
    const sends = telegram.callsOf("sendMessage").filter((c) => c.status === 200);
    expect(sends.some((c) => c.params.allow_paid_broadcast !== undefined)).toBe(false);
    expect(telegram.tooManyRequests).toBe(0);
    expect(telegram.starsAccount?.billed).toBe(0);
    // 120 at 20/s: about 6 s, and never more than the free rate (plus one) in any second.
    expect(seconds).toBeGreaterThan(5);
    expect(telegram.arrivals.maxInWindow("free")).toBeLessThanOrEqual(21);
  }, 60_000);
});
