/**
 * Destinations against a real Redis: forum topics beside their chat in the subscription store and
 * the delivery ledger, records written before topics still read the same, and channel managers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeliveryQueue, expandStoryBatch, storyRef } from "../../../src/delivery/queue.js";
import { createLogger } from "../../../src/logger.js";
import { ChannelStore } from "../../../src/storage/destinations.js";
import { redisKeys } from "../../../src/storage/keys.js";
import type { Redis } from "../../../src/storage/redis.js";
import { SubscriptionStore } from "../../../src/storage/subscriptions.js";
import { type TestRedis, useTestRedis } from "../../support/redis.js";

describe("destinations in Redis", () => {
  let redis: TestRedis;
  let client: Redis;
  const logger = createLogger({ level: "silent" });

  beforeAll(async () => {
    redis = await useTestRedis();
    client = redis.client as unknown as Redis;
  });
  afterAll(async () => redis?.close());

  const choice = { kind: "supergroup" as const, language: "ru" as const, rates: false };

  it("a forum's topics hold their own subscriptions beside the chat's, and the walk yields each", async () => {
    const keys = redisKeys(`${redis.prefix}:subs`);
    const store = new SubscriptionStore(client, keys, logger);
    const forum = -1005000000001;
    await store.subscribe(forum, { ...choice, topics: ["trade"] });
    await store.subscribe({ chatId: forum, threadId: 7 }, { ...choice, topics: ["energy"], language: "en" });
    await store.subscribe({ chatId: forum, threadId: 9 }, { ...choice, topics: ["culture"] });

    expect((await store.get(forum))?.topics).toEqual(["trade"]);
    expect(await store.get({ chatId: forum, threadId: 7 })).toMatchObject({
      chatId: forum,
      threadId: 7,
      topics: ["energy"],
      language: "en",
    });
    // The chat's own record keeps its old key: nothing stored before topics moves.
    expect(await client.hget(keys.profile(forum), "t")).not.toBeNull();
    const walked = [];
    for await (const batch of store.activeRecipients()) walked.push(...batch);
    expect(walked.map((r) => [r.chatId, r.threadId]).sort()).toEqual(
      [
        [forum, undefined],
        [forum, 7],
        [forum, 9],
      ].sort(),
    );
    expect(walked.every((r) => r.kind === "supergroup")).toBe(true);

    // Pausing a topic leaves the chat and the other topic alone; the forum lists its topics.
    expect(await store.setStatus({ chatId: forum, threadId: 7 }, "gone")).toBe(true);
    expect(await store.setStatus({ chatId: forum, threadId: 7 }, "gone")).toBe(false); // already
    expect(await store.isActive({ chatId: forum, threadId: 7 })).toBe(false);
    expect(await store.isActive(forum)).toBe(true);
    expect(await store.isActive({ chatId: forum, threadId: 9 })).toBe(true);
    expect((await store.destinationsOf(forum)).map((d) => d.threadId ?? 0).sort()).toEqual([0, 7, 9]);
    expect(await store.resume({ chatId: forum, threadId: 7 })).toBe(true);
    expect(await store.isActive({ chatId: forum, threadId: 7 })).toBe(true);
  });

  it("reads an index and profile written before topics existed", async () => {
    const keys = redisKeys(`${redis.prefix}:legacy`);
    await client
      .multi()
      .hset(keys.profile(3141), { lang: "kk", t: "3", r: "1", rt: "08:00", s: "active", since: "1" })
      .sadd(keys.subscribers, 3141)
      .exec();
    const store = new SubscriptionStore(client, keys, logger);
    expect(await store.get(3141)).toMatchObject({ chatId: 3141, kind: "private", language: "kk" });
    const walked = [];
    for await (const batch of store.activeRecipients()) walked.push(...batch);
    expect(walked).toMatchObject([
      { chatId: 3141, language: "kk", topicMask: 3, rates: true, ratesTime: "08:00" },
    ]);
    expect(walked).toHaveLength(1);
  });

  it("the ledger and story batches tell two topics of one forum apart from each other and the chat", async () => {
    const keys = redisKeys(`${redis.prefix}:ledger`);
    const queue = new DeliveryQueue({ connection: client, redis: client, keys });
    try {
      const forum = -1005000000002;
      const ref = storyRef("s1");
      await queue.markSent(ref, [{ chatId: forum, threadId: 7 }]);
      expect(
        await queue.wasSent([
          { ref, chatId: { chatId: forum, threadId: 7 } },
          { ref, chatId: { chatId: forum, threadId: 9 } },
          { ref, chatId: forum },
        ]),
      ).toEqual([true, false, false]);
      // Only the two not yet sent are queued, each keeping its thread.
      const result = await queue.enqueueStories("s1", [
        { chatId: forum, threadId: 7, language: "ru" },
        { chatId: forum, threadId: 9, language: "ru" },
        { chatId: forum, language: "en" },
      ]);
      expect(result).toEqual({ submitted: 2, alreadySent: 1 });
      const [job] = await queue.queue.getJobs(["waiting"]);
      const data = job?.data;
      expect(data?.kind).toBe("stories");
      if (data?.kind === "stories") {
        // No null in the payload for a chat without a thread.
        expect(JSON.stringify(data.chats)).toBe(`[[${forum},"ru",9],[${forum},"en"]]`);
        expect(expandStoryBatch(data).map((j) => j.threadId)).toEqual([9, undefined]);
      }
    } finally {
      await queue.queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it("keeps a channel's managers and a manager's channels in step", async () => {
    const keys = redisKeys(`${redis.prefix}:channels`);
    const channels = new ChannelStore(client, keys, logger);
    await channels.connect({ chatId: -1001, title: "Zeta" }, 1);
    await channels.connect({ chatId: -1002, title: "Alpha", username: "alpha" }, 1);
    await channels.connect({ chatId: -1001, title: "Zeta" }, 2);
    expect((await channels.managedBy(1)).map((c) => c.title)).toEqual(["Alpha", "Zeta"]);
    expect((await channels.managers(-1001)).sort()).toEqual([1, 2]);
    expect(await channels.disconnect(-1001, 1)).toBe(1);
    expect(await channels.isManager(-1001, 1)).toBe(false);
    expect((await channels.managedBy(1)).map((c) => c.chatId)).toEqual([-1002]);
    expect(await channels.get(-1002)).toEqual({ chatId: -1002, title: "Alpha", username: "alpha" });
  });
});
