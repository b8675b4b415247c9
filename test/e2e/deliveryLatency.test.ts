import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Delivery, startDelivery } from "../../src/delivery/index.js";
import { scheduledRate } from "../../src/delivery/sendAdmission.js";
import { createI18n, translatorOf } from "../../src/i18n/translator.js";
import { createLogger } from "../../src/logger.js";
import { RedisStoryStore } from "../../src/news/storyStore.js";
import { redisKeys } from "../../src/storage/keys.js";
import { SubscriptionStore } from "../../src/storage/subscriptions.js";
import { TEST_TOKEN } from "../support/botProcess.js";
import { type TestRedis, useTestRedis } from "../support/redis.js";
import { testStory } from "../support/storyFixture.js";
import {
  type LatencyOptions,
  TELEGRAM_LATENCY,
  TELEGRAM_LIMITS,
  TelegramEmulator,
} from "../support/telegramEmulator.js";
import { maxInWindow } from "../support/timing.js";

/**
 * Delivery against a Telegram as slow as the real one: the sends in flight must follow the round
 * trip so the configured rate is reached, and request starts must be spaced so that no one-second
 * window at the server (arrivals, after the inbound half of the latency) holds more than Telegram
 * allows, with Telegram's limits enforced (429 past them).
 *
 * The round trips are the benchmarks' model (median 150 ms, p99 ≈ 1 s, stalls; its tail comes
 * after arrival, see telegram/latency.ts) and a slow one (600 ms). At 30/s, Telegram's own free
 * limit, the schedule keeps its 2.5% margin, so ≥ 97% of the configured rate is still asked. At a
 * 600 ms round trip the former fixed in-flight bound (rate / 2 = 13) reached 79% of 25/s.
 */
const SLOW: LatencyOptions = { medianMs: 600, p99Ms: 900, stallProbability: 0, seed: 11 };

const logger = createLogger({ level: "silent" });
const translate = translatorOf(createI18n());
let redis: TestRedis;
let telegram: TelegramEmulator;
const running: Delivery[] = [];
let namespace = 0;

beforeAll(async () => {
  redis = await useTestRedis();
  telegram = await TelegramEmulator.start(TEST_TOKEN);
  telegram.recordMessages = false;
});
afterAll(async () => {
  await Promise.allSettled(running.map((d) => d.stop()));
  await telegram?.stop();
  await redis?.close();
});

/** Fans one story out to `count` private chats at `rate`/s; returns what the server saw. */
async function fanOut(latency: LatencyOptions, rate: number, count: number, firstChat: number) {
  telegram.setLatency(latency);
  const keys = redisKeys(`${redis.prefix}:lat${namespace++}`);
  const subscriptions = new SubscriptionStore(redis.client, keys, logger);
  const stories = new RedisStoryStore(redis.client, keys, logger);
  const delivery = await startDelivery({
    config: {
      botToken: TEST_TOKEN,
      redisUrl: redis.url,
      telegramApiRoot: telegram.apiRoot,
      timezone: "Asia/Almaty",
      sendRateLimit: rate,
    },
    redis: redis.client,
    keys,
    logger,
    translate,
    subscriptions,
    stories,
    tuning: { resumeIntervalMs: 0 },
  });
  running.push(delivery);
  const chats = Array.from({ length: count }, (_, i) => firstChat + i);
  await Promise.all(
    chats.map((chatId) =>
      subscriptions.subscribe(chatId, { kind: "private", language: "en", topics: ["trade"], rates: false }),
    ),
  );
  const story = testStory(`latency-${latency.medianMs}-${rate}`);
  await stories.saveStory(story);
  const mark = telegram.arrivals.free.length;
  const tooManyBefore = telegram.tooManyRequests;
  await delivery.sink.accept(story);
  const received = () => chats.reduce((sum, id) => sum + telegram.countTo(id), 0);
  await telegram.waitFor(() => received() >= count, 60_000, `${count} messages (have ${received()})`);
  const arrivals = telegram.arrivals.free.slice(mark).sort((a, b) => a - b);
  const spanS = ((arrivals.at(-1) as number) - (arrivals[0] as number)) / 1000;
  const result = {
    sent: arrivals.length,
    // n sends spaced 1/rate apart span (n − 1)/rate seconds.
    rate: (arrivals.length - 1) / spanS,
    maxPerSecond: maxInWindow(arrivals, 1000),
    tooManyRequests: telegram.tooManyRequests - tooManyBefore,
    inFlight: delivery.worker?.inFlightLimit,
  };
  console.log(
    `latency median ${latency.medianMs} ms, limit ${rate}/s: ${result.sent} messages at ${result.rate.toFixed(1)}/s (${((100 * result.rate) / rate).toFixed(1)}%), max ${result.maxPerSecond} in any 1 s, 429s: ${result.tooManyRequests}, in flight at the end: ${result.inFlight}`,
  );
  await delivery.stop();
  return result;
}

describe("delivery under Telegram's latency, Telegram's limits enforced", () => {
  beforeAll(() => telegram.enforceLimits());
  afterAll(() => {
    telegram.enforceLimits(false);
    telegram.setLatency(false);
  });

  for (const [name, latency, rate] of [
    ["Telegram's", TELEGRAM_LATENCY, 25],
    ["Telegram's", TELEGRAM_LATENCY, 30],
    ["600 ms", SLOW, 25],
  ] as const) {
    it(`at ${rate}/s and ${name} round trip: ≥ 97% of the rate, no second over Telegram's limit, no 429`, async () => {
      const result = await fanOut(latency, rate, 200, 31_000_000 + latency.medianMs * 1000 + rate * 100_000);
      expect(result.sent).toBe(200);
      // Of what the schedule keeps (29.25/s at 30): the benchmark holds the figure against the
      // configured rate on a longer run; this one must not fail on a busy machine's 200 messages.
      expect(result.rate).toBeGreaterThanOrEqual(0.97 * scheduledRate(rate));
      expect(result.maxPerSecond).toBeLessThanOrEqual(TELEGRAM_LIMITS.globalPerSecond);
      expect(result.tooManyRequests).toBe(0);
    });
  }
});
