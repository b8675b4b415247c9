/**
 * The briefing job against a real Redis, at chosen moments: which chats it queues for, in whose
 * time zone, and that a second run (or a second process) queues nothing again.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DeliveryJob } from "../../../src/delivery/index.js";
import { createI18n, translatorOf } from "../../../src/i18n/translator.js";
import { RedisStoryStore } from "../../../src/news/storyStore.js";
import type { Story } from "../../../src/news/types.js";
import { redisKeys } from "../../../src/storage/keys.js";
import { SubscriptionStore } from "../../../src/storage/subscriptions.js";
import { BriefingJob } from "../../../src/subscriber/briefingJob.js";
import { type TestRedis, useTestRedis } from "../../support/redis.js";

const logger = { warn: () => {}, info: () => {}, error: () => {}, debug: () => {} } as never;
const translate = translatorOf(createI18n());

describe("BriefingJob", () => {
  let redis: TestRedis;
  let subscriptions: SubscriptionStore;
  let stories: RedisStoryStore;
  const queued: DeliveryJob[] = [];
  let job: BriefingJob;

  beforeAll(async () => {
    redis = await useTestRedis();
    const keys = redisKeys(redis.prefix);
    subscriptions = new SubscriptionStore(redis.client, keys, logger);
    stories = new RedisStoryStore(redis.client, keys, logger);
    job = new BriefingJob({
      redis: redis.client,
      keys,
      logger,
      subscriptions,
      stories,
      enqueue: async (jobs) => {
        queued.push(...jobs);
        return { submitted: jobs.length, alreadySent: 0 };
      },
      translate,
      timeZone: "Asia/Almaty", // UTC+5
      ratesHtml: async () => "💱 <b>rates</b>",
    });
  });
  afterAll(async () => redis?.close());

  const story = (id: string, acceptedAt: string): Story => ({
    id,
    feedId: "f",
    outlet: "Outlet A",
    language: "ru",
    title: `Казахстан и Узбекистан: торговля ${id}`,
    summary: "",
    link: `https://outlet.test/${id}`,
    published: acceptedAt,
    publishedEstimated: false,
    categories: [],
    topics: ["trade"],
    alsoReportedBy: [],
    acceptedAt,
  });

  it("queues a briefing at the chat's hour in its own zone, not in TIMEZONE's, and only once", async () => {
    await stories.saveStory(story("a", "2026-12-03T04:00:00Z"));
    // Moscow (UTC+3) 08:00 is 10:00 in Almaty.
    await subscriptions.subscribe(701, { kind: "private", language: "en", topics: ["trade"], rates: false });
    await subscriptions.setDelivery(701, "briefing", 8);
    await subscriptions.setTimeZone(701, "Europe/Moscow");
    // Almaty-time reader at the same hour 8.
    await subscriptions.subscribe(702, { kind: "private", language: "en", topics: ["trade"], rates: false });
    await subscriptions.setDelivery(702, "briefing", 8);

    expect(await job.runOnce(new Date("2026-12-03T04:30:00Z"))).toBe(1); // Almaty 09:30, Moscow 07:30
    expect(queued.map((j) => j.chatId)).toEqual([702]);

    expect(await job.runOnce(new Date("2026-12-03T05:10:00Z"))).toBe(1); // Moscow 08:10
    expect(queued.map((j) => j.chatId)).toEqual([702, 701]);
    const moscow = queued[1];
    expect(moscow?.kind === "text" && moscow.ref).toBe("briefing:2026-12-03:1");
    expect(moscow?.kind === "text" && moscow.text).toContain('<a href="https://outlet.test/a">');

    // Later runs the same day queue nothing more.
    expect(await job.runOnce(new Date("2026-12-03T06:00:00Z"))).toBe(0);
    expect(queued).toHaveLength(2);
  });

  it("sends stories held in the quiet hours when they end in the chat's zone, and nothing on a quiet night", async () => {
    const keys = redisKeys(redis.prefix);
    await subscriptions.subscribe(703, { kind: "private", language: "en", topics: ["trade"], rates: false });
    await subscriptions.setQuietHours(703, { start: 22, end: 7 });
    await subscriptions.setTimeZone(703, "Europe/London"); // UTC+0 in December
    await subscriptions.subscribe(704, { kind: "private", language: "en", topics: ["trade"], rates: false });
    await subscriptions.setQuietHours(704, { start: 22, end: 7 }); // nothing held for this one
    await redis.client.rpush(keys.heldStories(703), "a");
    queued.length = 0;

    expect(await job.runOnce(new Date("2026-12-03T06:30:00Z"))).toBe(0); // London 06:30: still quiet
    expect(await job.runOnce(new Date("2026-12-03T07:05:00Z"))).toBe(1); // London 07:05
    expect(queued.map((j) => j.chatId)).toEqual([703]);
    const held = queued[0];
    expect(held?.kind === "text" && held.text).toContain("While your quiet hours lasted");
    expect(await redis.client.exists(keys.heldStories(703))).toBe(0);
    expect(await job.runOnce(new Date("2026-12-03T07:30:00Z"))).toBe(0);
  });

  it("queues a weekly digest on Monday at its hour, without rates, with the week's stories", async () => {
    await stories.saveStory(story("w", "2026-12-05T10:00:00Z")); // Saturday
    await subscriptions.subscribe(705, { kind: "private", language: "en", topics: ["trade"], rates: true });
    await subscriptions.setDelivery(705, "weekly", 9);
    queued.length = 0;
    const digestsTo705 = () => queued.filter((j) => j.chatId === 705);
    await job.runOnce(new Date("2026-12-06T05:00:00Z")); // Sunday 10:00 in Almaty
    expect(digestsTo705()).toEqual([]);
    await job.runOnce(new Date("2026-12-07T04:30:00Z")); // Monday 09:30
    expect(digestsTo705()).toHaveLength(1);
    const digest = queued.find((j) => j.chatId === 705);
    expect(digest?.kind === "text" && digest.ref).toBe("digest:2026-12-07:1");
    const text = digest?.kind === "text" ? digest.text : "";
    expect(text).toContain("Your weekly digest");
    expect(text).toContain('<a href="https://outlet.test/w">');
    expect(text).not.toContain("rates");
    await job.runOnce(new Date("2026-12-07T05:30:00Z"));
    expect(digestsTo705()).toHaveLength(1);
  });
});
