import { Api } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Delivery, SendBudget, startDelivery } from "../../src/delivery/index.js";
import { SendAdmission } from "../../src/delivery/sendAdmission.js";
import { createI18n, translatorOf } from "../../src/i18n/translator.js";
import { createLogger } from "../../src/logger.js";
import { RedisStoryStore } from "../../src/news/storyStore.js";
import { redisKeys } from "../../src/storage/keys.js";
import { SubscriptionStore } from "../../src/storage/subscriptions.js";
import { TEST_TOKEN } from "../support/botProcess.js";
import { type TestRedis, useTestRedis } from "../support/redis.js";
import { testStory } from "../support/storyFixture.js";
import { TELEGRAM_LIMITS, TelegramEmulator } from "../support/telegramEmulator.js";
import { maxInWindow } from "../support/timing.js";

/**
 * One send budget for replies and deliveries: a fan-out at SEND_RATE_LIMIT 25 while people send
 * commands, against an emulator that enforces Telegram's limits (30/s per bot, ~1/s per chat)
 * with a 150 ms round trip. The replies go through the bot's API transformer (`SendBudget`), as
 * createBot installs it; the fan-out through the delivery worker. Together they must stay within
 * the limits (no 429, no second over 30 at the server), the replies must not queue behind the
 * fan-out, and the fan-out must still finish.
 */
const logger = createLogger({ level: "silent" });
const RATE = 25;
let redis: TestRedis;
let telegram: TelegramEmulator;
const running: Delivery[] = [];

beforeAll(async () => {
  redis = await useTestRedis();
  telegram = await TelegramEmulator.start(TEST_TOKEN);
  telegram.recordMessages = false;
  telegram.setLatency({ medianMs: 150, p99Ms: 400, stallProbability: 0, seed: 3 });
  telegram.enforceLimits();
});
afterAll(async () => {
  await Promise.allSettled(running.map((d) => d.stop()));
  await telegram?.stop();
  await redis?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("one send budget for replies and deliveries", () => {
  it("a fan-out at 25/s and 10 people asking once a second: no 429, replies first, the fan-out finishes", async () => {
    const keys = redisKeys(`${redis.prefix}:budget`);
    const subscriptions = new SubscriptionStore(redis.client, keys, logger);
    const stories = new RedisStoryStore(redis.client, keys, logger);
    const delivery = await startDelivery({
      config: {
        botToken: TEST_TOKEN,
        redisUrl: redis.url,
        telegramApiRoot: telegram.apiRoot,
        timezone: "Asia/Almaty",
        sendRateLimit: RATE,
      },
      redis: redis.client,
      keys,
      logger,
      translate: translatorOf(createI18n()),
      subscriptions,
      stories,
      tuning: { resumeIntervalMs: 0 },
    });
    running.push(delivery);
    const api = new Api(TEST_TOKEN, { apiRoot: telegram.apiRoot });
    api.config.use(new SendBudget({ redis: redis.client, keys, logger, ratePerSecond: RATE }).transformer);

    const subscribers = Array.from({ length: 200 }, (_, i) => 41_000_000 + i);
    await Promise.all(
      subscribers.map((chatId) =>
        subscriptions.subscribe(chatId, { kind: "private", language: "en", topics: ["trade"], rates: false }),
      ),
    );
    const story = testStory("budget-1");
    await stories.saveStory(story);
    const mark = telegram.arrivals.free.length;
    const tooManyBefore = telegram.tooManyRequests;
    await delivery.sink.accept(story);
    await sleep(1000); // the fan-out is at full rate

    // Ten people, each asking once a second for five seconds: 10 replies/s on top of 25/s.
    const people = Array.from({ length: 10 }, (_, i) => 42_000_000 + i);
    const replyMs: number[] = [];
    await Promise.all(
      people.map(async (chatId, p) => {
        await sleep(p * 100);
        for (let ask = 0; ask < 5; ask++) {
          const asked = performance.now();
          await api.sendMessage(chatId, `reply ${ask}`);
          replyMs.push(performance.now() - asked);
          await sleep(Math.max(0, 1000 - (performance.now() - asked)));
        }
      }),
    );
    const received = () => subscribers.reduce((sum, id) => sum + telegram.countTo(id), 0);
    await telegram.waitFor(
      () => received() >= subscribers.length,
      30_000,
      `the fan-out (have ${received()})`,
    );

    const arrivals = telegram.arrivals.free.slice(mark).sort((a, b) => a - b);
    replyMs.sort((a, b) => a - b);
    const p99 = replyMs[Math.ceil(0.99 * replyMs.length) - 1] as number;
    const maxPerSecond = maxInWindow(arrivals, 1000);
    console.log(
      `budget 25/s: ${arrivals.length} messages (${replyMs.length} replies), max ${maxPerSecond} in any 1 s, 429s: ${telegram.tooManyRequests - tooManyBefore}, reply p50 ${Math.round(replyMs[replyMs.length >> 1] as number)} ms, p99 ${Math.round(p99)} ms`,
    );
    // Telegram's own rule, as the emulator enforces it on arrival.
    expect(telegram.tooManyRequests - tooManyBefore).toBe(0);
    // Alone this run holds 27–28 in its busiest second; without the budget, 39. The margin: with
    // the emulator in this process, a machine busy with other tests fires the emulator's
    // inbound-latency timers late and together, and the arrivals it records bunch by that lag
    // (33 was seen so). deliveryLatency.test.ts holds the engine alone to the limit itself.
    expect(maxPerSecond).toBeLessThanOrEqual(TELEGRAM_LIMITS.globalPerSecond + 5);
    for (const chatId of people) expect(telegram.countTo(chatId)).toBe(5);
    // A reply waits behind at most the deliveries' horizon (250 ms) and its own round trip.
    expect(p99).toBeLessThan(1500);
    for (const chatId of subscribers) expect(telegram.countTo(chatId)).toBe(1);
  }, 60_000);

  it("a 429 on a reply holds back every sender, deliveries included, for retry_after", async () => {
    const keys = redisKeys(`${redis.prefix}:budget429`);
    const api = new Api(TEST_TOKEN, { apiRoot: telegram.apiRoot });
    api.config.use(new SendBudget({ redis: redis.client, keys, logger, ratePerSecond: RATE }).transformer);
    telegram.injectFault("too-many-requests", { chatId: 43_000_001, count: 1, value: 2 });
    await expect(api.sendMessage(43_000_001, "too soon")).rejects.toMatchObject({ error_code: 429 });
    // A delivery in any process now finds the schedule 2 s away...
    const admission = new SendAdmission({ redis: redis.client, keys, ratePerSecond: RATE });
    const delivery = await admission.admit("story.x", 43_000_003, 1000);
    expect(delivery.verdict === "send" ? delivery.waitMs : 0).toBeGreaterThan(1500);
    // ...and so does another person's reply.
    const asked = performance.now();
    await api.sendMessage(43_000_002, "after the pause");
    expect(performance.now() - asked).toBeGreaterThan(1500);
  }, 20_000);
});
