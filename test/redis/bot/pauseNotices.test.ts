/** Who is told that a channel or a forum topic was paused or resumed, and how often. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PauseNotices } from "../../../src/bot/pauseNotices.js";
import type { DeliveryJob } from "../../../src/delivery/index.js";
import { createI18n, translatorOf } from "../../../src/i18n/translator.js";
import { createLogger } from "../../../src/logger.js";
import { ChannelStore } from "../../../src/storage/destinations.js";
import { redisKeys } from "../../../src/storage/keys.js";
import type { Redis } from "../../../src/storage/redis.js";
import { SubscriptionStore } from "../../../src/storage/subscriptions.js";
import { type TestRedis, useTestRedis } from "../../support/redis.js";

describe("PauseNotices", () => {
  let redis: TestRedis;
  let client: Redis;
  const logger = createLogger({ level: "silent" });
  const translate = translatorOf(createI18n());

  beforeAll(async () => {
    redis = await useTestRedis();
    client = redis.client as unknown as Redis;
  });
  afterAll(async () => redis?.close());

  async function setUp() {
    const keys = redisKeys(`${redis.prefix}:${Math.random().toString(36).slice(2)}`);
    const subscriptions = new SubscriptionStore(client, keys, logger);
    const channels = new ChannelStore(client, keys, logger);
    const sent: DeliveryJob[] = [];
    const paused: string[] = [];
    const notices = new PauseNotices({
      redis: client,
      keys,
      logger,
      translate,
      subscriptions,
      channels,
      languageOf: async (chatId) => (chatId === 11 ? "kk" : undefined),
      enqueue: async (jobs) => {
        sent.push(...jobs);
      },
      onPaused: (kind) => paused.push(kind),
    });
    const choice = { language: "en" as const, topics: ["trade" as const], rates: false };
    await subscriptions.subscribe(-100500, { ...choice, kind: "channel" });
    await channels.connect({ chatId: -100500, title: "A & B" }, 11);
    await channels.connect({ chatId: -100500, title: "A & B" }, 12);
    await subscriptions.subscribe(
      { chatId: -100600, threadId: 4 },
      { ...choice, kind: "supergroup", language: "ru" },
    );
    await subscriptions.subscribe(77, { ...choice, kind: "private" });
    return { notices, sent, paused };
  }

  it("tells every manager of a channel once, in their language, however many times it is reported", async () => {
    const { notices, sent, paused } = await setUp();
    await notices.paused({ chatId: -100500 });
    await notices.paused({ chatId: -100500 });
    notices.onDeliveryEvent({ type: "deactivated", chatId: -100500, status: "blocked", reason: "403" });
    await new Promise((r) => setTimeout(r, 100));
    expect(sent.map((j) => j.chatId).sort()).toEqual([11, 12]);
    const kazakh = sent.find((j) => j.chatId === 11);
    expect(kazakh?.kind === "text" && kazakh.text).toContain("<b>A &amp; B</b>");
    expect(kazakh?.kind === "text" && kazakh.text).toContain("арнасында");
    expect(paused).toEqual(["channel"]);

    // Resumed, then paused again soon after: both are news.
    await notices.resumed({ chatId: -100500 });
    await notices.paused({ chatId: -100500 });
    expect(sent).toHaveLength(6);
    expect(new Set(sent.map((j) => (j.kind === "text" ? j.ref : ""))).size).toBe(3);
  });

  it("reports a topic in its forum's General, and nothing for a private chat", async () => {
    const { notices, sent } = await setUp();
    notices.onDeliveryEvent({
      type: "deactivated",
      chatId: -100600,
      threadId: 4,
      status: "gone",
      reason: "400",
    });
    notices.onDeliveryEvent({ type: "deactivated", chatId: 77, status: "blocked", reason: "403" });
    await new Promise((r) => setTimeout(r, 200));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ kind: "text", chatId: -100600 });
    expect(sent[0]).not.toHaveProperty("threadId"); // General: no thread
    expect(sent[0]?.kind === "text" && sent[0].text).toContain("тема №4");
  });
});
