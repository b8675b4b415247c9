import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStorySink } from "../../src/delivery/fanOut.js";
import { type Delivery, type DeliveryTuning, startDelivery } from "../../src/delivery/index.js";
import { deliveryJobId, refToken, storyRef } from "../../src/delivery/queue.js";
import type { DeliveryEvent } from "../../src/delivery/worker.js";
import { LANGUAGES } from "../../src/i18n/languages.js";
import { createI18n, translatorOf } from "../../src/i18n/translator.js";
import { createLogger } from "../../src/logger.js";
import { RedisStoryStore } from "../../src/news/storyStore.js";
import type { TopicId } from "../../src/news/topicIds.js";
import type { Story } from "../../src/news/types.js";
import { type RedisKeys, redisKeys } from "../../src/storage/keys.js";
import { SubscriptionStore, topicsToMask, wantsStory } from "../../src/storage/subscriptions.js";
import { TEST_TOKEN } from "../support/botProcess.js";
import { type TestRedis, useTestRedis } from "../support/redis.js";
import { type ApiCall, TelegramEmulator } from "../support/telegramEmulator.js";
import { maxInWindow } from "../support/timing.js";

/**
 * The delivery engine in-process against the Telegram emulator and a real Redis: fan-out,
 * deactivation, migration, limits, faults, idempotency and dead letters. Each scenario gets its
 * own key namespace (queue included) and its own chat ids.
 */

const logger = createLogger({ level: "silent" });
const translate = translatorOf(createI18n());

let redis: TestRedis;
let telegram: TelegramEmulator;
const running: Delivery[] = [];

beforeAll(async () => {
  redis = await useTestRedis();
  // As slow as Telegram, but without its limits: these scenarios test what arrives, at 1,000 a
  // second so a fan-out of 1,000 takes a second, and the one about pacing turns the limits on.
  telegram = await TelegramEmulator.start(TEST_TOKEN, { limits: false });
});
afterAll(async () => {
  await Promise.allSettled(running.map((d) => d.stop()));
  await telegram?.stop();
  await redis?.close();
});

type Env = {
  keys: RedisKeys;
  subscriptions: SubscriptionStore;
  stories: RedisStoryStore;
  delivery: Delivery;
  events: DeliveryEvent[];
};

let namespace = 0;

async function start(sendRateLimit: number, tuning: Partial<DeliveryTuning> = {}): Promise<Env> {
  const keys = redisKeys(`${redis.prefix}:n${namespace++}`);
  const subscriptions = new SubscriptionStore(redis.client, keys, logger);
  const stories = new RedisStoryStore(redis.client, keys, logger);
  const events: DeliveryEvent[] = [];
  const delivery = await startDelivery({
    config: {
      botToken: TEST_TOKEN,
      redisUrl: redis.url,
      telegramApiRoot: telegram.apiRoot,
      timezone: "Asia/Almaty",
      sendRateLimit,
    },
    redis: redis.client,
    keys,
    logger,
    translate,
    subscriptions,
    stories,
    tuning: {
      lockDurationMs: 5000,
      stalledIntervalMs: 2000,
      resumeIntervalMs: 0,
      backoffMs: 50,
      onEvent: (e) => events.push(e),
      ...tuning,
    },
  });
  running.push(delivery);
  return { keys, subscriptions, stories, delivery, events };
}

function makeStory(id: string, topics: TopicId[], overrides: Partial<Story> = {}): Story {
  return {
    id,
    feedId: "gazeta",
    outlet: "Gazeta.uz",
    language: "ru",
    title: `Story ${id}: <Kazakhstan> & Uzbekistan`,
    summary: "Both sides agreed on many things. ".repeat(20),
    link: `https://www.gazeta.uz/news/${id}?a=1&b=2`,
    published: new Date().toISOString(),
    publishedEstimated: false,
    categories: [],
    topics,
    alsoReportedBy: [{ outlet: "Kun.uz", link: `https://kun.uz/${id}` }],
    acceptedAt: new Date().toISOString(),
    ...overrides,
  };
}

async function subscribe(env: Env, chatIds: number[], topics: (i: number) => TopicId[]): Promise<void> {
  await Promise.all(
    chatIds.map((chatId, i) =>
      env.subscriptions.subscribe(chatId, {
        kind: chatId < 0 ? "group" : "private",
        language: LANGUAGES[i % LANGUAGES.length] ?? "ru",
        topics: topics(i),
        rates: false,
      }),
    ),
  );
}

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);
const total = (ids: number[]) => ids.reduce((sum, id) => sum + telegram.countTo(id), 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the chats got `expected` messages in all and the queue is empty. */
async function settle(env: Env, ids: number[], expected: number, timeoutMs = 20_000): Promise<void> {
  await telegram.waitFor(
    () => total(ids) >= expected,
    timeoutMs,
    `${expected} messages (have ${total(ids)})`,
  );
  const deadline = Date.now() + timeoutMs;
  while ((await env.delivery.queue.pending()) > 0) {
    if (Date.now() > deadline) {
      const counts = await env.delivery.queue.queue.getJobCounts();
      throw new Error(`the queue did not drain: ${JSON.stringify(counts)}`);
    }
    await sleep(50);
  }
  await sleep(300); // room for a duplicate to show up, if there were one
}

describe("delivery engine", () => {
  it("fans several stories out to 1,000 subscribers: each gets exactly the matching ones", async () => {
    const env = await start(1000);
    const ids = range(1_000_000, 1000);
    const topicSets: TopicId[][] = [
      ["trade"],
      ["energy", "water"],
      ["diplomacy"],
      ["culture", "trade"],
      ["other"],
    ];
    await subscribe(env, ids, (i) => topicSets[i % topicSets.length] as TopicId[]);
    const stories = [
      makeStory("a1", ["trade"]),
      makeStory("a2", ["energy"]),
      makeStory("a3", ["diplomacy", "water"]),
      makeStory("a4", ["security"]), // nobody
    ];
    for (const s of stories) await env.stories.saveStory(s);

    const started = performance.now();
    for (const s of stories) await env.delivery.sink.accept(s);
    const expected = new Map<number, number>();
    for (const [i, id] of ids.entries()) {
      const mask = topicsToMask(topicSets[i % topicSets.length] as TopicId[]);
      expected.set(id, stories.filter((s) => wantsStory(mask, s.topics)).length);
    }
    const expectedTotal = [...expected.values()].reduce((a, b) => a + b, 0);
    expect(expectedTotal).toBe(1000); // by construction: 1 + 2 + 1 + 1 + 0 per five chats
    await settle(env, ids, expectedTotal);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `fan-out: ${expectedTotal} messages in ${seconds.toFixed(1)} s (${(expectedTotal / seconds).toFixed(0)}/s, limit 1000/s)`,
    );

    for (const id of ids) expect(telegram.countTo(id), `chat ${id}`).toBe(expected.get(id));
    // Every message is one story, escaped, in the reader's language.
    const en = telegram.messagesTo(ids[3] as number); // i = 3 → en, topics culture+trade → a1
    expect(en).toHaveLength(1);
    expect(en[0]?.text).toContain("Story a1: &lt;Kazakhstan&gt; &amp; Uzbekistan");
    expect(en[0]?.text).toContain("Also reported by:");
    expect(en[0]?.parse_mode).toBe("HTML");
    const ru = telegram.messagesTo(ids[0] as number); // i = 0 → ru, trade → a1
    expect(ru[0]?.text).toContain('<a href="https://kun.uz/a1">Kun.uz</a>');
    expect(ru[0]?.text).not.toContain("Also reported by:");
    expect(await env.delivery.worker?.listDeadLetters()).toEqual([]);
    expect(env.events.filter((e) => e.type === "sent")).toHaveLength(expectedTotal);
    const stats = await env.delivery.worker?.statsOf();
    expect(stats?.sent).toBe(expectedTotal);
  });

  it("deactivates blocked, deactivated and vanished chats, and keeps sending to the rest", async () => {
    const env = await start(1000);
    const ids = range(2_000_000, 20);
    await subscribe(env, ids, () => ["trade"]);
    const [blocked1, blocked2, deactivated, vanished] = ids as [number, number, number, number];
    telegram.block(blocked1);
    telegram.block(blocked2);
    telegram.injectFault("deactivated", { chatId: deactivated });
    telegram.forgetChat(vanished);

    const story = makeStory("b1", ["trade"]);
    await env.stories.saveStory(story);
    await env.delivery.sink.accept(story);
    await settle(env, ids, 16);

    expect(total(ids)).toBe(16);
    for (const [id, status] of [
      [blocked1, "blocked"],
      [blocked2, "blocked"],
      [deactivated, "gone"],
      [vanished, "gone"],
    ] as const) {
      expect((await env.subscriptions.get(id))?.status, `chat ${id}`).toBe(status);
      expect(await env.subscriptions.isActive(id)).toBe(false);
    }
    expect(await env.subscriptions.countActive()).toBe(16);
    expect(await env.delivery.worker?.listDeadLetters()).toEqual([]);
    const stats = await env.delivery.worker?.statsOf();
    expect(stats?.["deactivated:blocked"]).toBe(2);
    expect(stats?.["deactivated:gone"]).toBe(2);

    // A second story is not even queued for them.
    const next = makeStory("b2", ["trade"]);
    await env.stories.saveStory(next);
    await env.delivery.sink.accept(next);
    await settle(env, ids, 32);
    expect(total(ids)).toBe(32);
    expect(telegram.calls.filter((c) => Number(c.params.chat_id) === blocked1)).toHaveLength(1);
  });

  it("follows a group's migration to a supergroup: message arrives, subscription moves", async () => {
    const env = await start(1000);
    const group = -3_000_001;
    const supergroup = -1_003_000_001;
    telegram.group(group);
    await subscribe(env, [group], () => ["energy"]);
    telegram.injectFault("migrate", { chatId: group, value: supergroup });

    const story = makeStory("c1", ["energy"]);
    await env.stories.saveStory(story);
    await env.delivery.sink.accept(story);
    await settle(env, [supergroup], 1);

    expect(telegram.countTo(group)).toBe(0);
    expect(telegram.countTo(supergroup)).toBe(1);
    expect(await env.subscriptions.isActive(supergroup)).toBe(true);
    expect(await env.subscriptions.isActive(group)).toBe(false);
    expect((await env.subscriptions.get(supergroup))?.kind).toBe("supergroup");
    expect(env.events).toContainEqual({ type: "migrated", fromChatId: group, toChatId: supergroup });

    // The next story goes straight to the new id.
    const next = makeStory("c2", ["energy"]);
    await env.stories.saveStory(next);
    await env.delivery.sink.accept(next);
    await settle(env, [supergroup], 2);
    expect(telegram.countTo(supergroup)).toBe(2);
    expect(telegram.countTo(group)).toBe(0);
  });

  it("absorbs injected 429s and 5xx: nothing lost, nothing doubled, the queue pauses on 429", async () => {
    const env = await start(1000);
    // Enough chats that the fan-out is still sending when the pause would end it.
    const ids = range(4_000_000, 1000);
    await subscribe(env, ids, () => ["transport"]);
    const story = makeStory("d1", ["transport"]);
    await env.stories.saveStory(story);

    telegram.injectFault("too-many-requests", { count: 2, value: 1 });
    telegram.setRandomFaults({ serverError: 0.1 });
    try {
      await env.delivery.sink.accept(story);
      await settle(env, ids, ids.length, 20_000);
    } finally {
      telegram.setRandomFaults({});
    }
    for (const id of ids) expect(telegram.countTo(id), `chat ${id}`).toBe(1);
    expect(env.events.filter((e) => e.type === "rate-limited")).toHaveLength(2);
    expect(env.events.some((e) => e.type === "retrying")).toBe(true);
    expect(await env.delivery.worker?.listDeadLetters()).toEqual([]);

    // Once the first 429 (retry after 1 s) is back at the bot, no new send reaches Telegram until
    // the second is over. What still arrives a little after it was already on its way: admitted
    // before the pause (at most deliveryHorizonMs, 250 ms, ahead) plus the way to the server.
    const calls = telegram.calls.filter((c) => ids.includes(Number(c.params.chat_id)));
    const limited = calls.filter((c) => c.status === 429);
    expect(limited).toHaveLength(2);
    const [first] = limited as [ApiCall];
    const pausedFrom = (first.answeredAt as number) + 400;
    const inPause = calls.filter((c) => c.at > pausedFrom && c.at < first.at + 950 && c.status === 200);
    const before = calls.filter((c) => c.at > first.at && c.at <= pausedFrom && c.status === 200);
    console.log(
      `429 answered ${((first.answeredAt as number) - first.at).toFixed(0)} ms after its arrival; sends after it: ${before.length} on their way, ${inPause.length} in the pause`,
    );
    expect(inPause).toEqual([]);
  });

  it("the same story accepted twice, by two sinks at once, and again later: once per chat", async () => {
    const env = await start(1000);
    const ids = range(5_000_000, 300);
    await subscribe(env, ids, () => ["finance"]);
    const story = makeStory("e1", ["finance"]);
    await env.stories.saveStory(story);
    const other = createStorySink({
      redis: redis.client,
      keys: env.keys,
      logger,
      subscriptions: env.subscriptions,
      queue: env.delivery.queue,
    });

    await Promise.all([
      env.delivery.sink.accept(story),
      other.accept(story),
      env.delivery.sink.accept(story),
    ]);
    await settle(env, ids, 300);
    await env.delivery.sink.accept(story);
    // Even with the fan-out's "done" marker gone, the ledger stops a second send.
    await redis.client.del(env.keys.deliveryFanOutDone(refToken(storyRef(story.id))));
    await other.accept(story);
    await sleep(500);
    while ((await env.delivery.queue.pending()) > 0) await sleep(50);
    for (const id of ids) expect(telegram.countTo(id), `chat ${id}`).toBe(1);
  });

  it("resumes a fan-out a crash interrupted, without duplicates", async () => {
    const env = await start(1000);
    const ids = range(6_000_000, 500);
    await subscribe(env, ids, () => ["health"]);
    const story = makeStory("f1", ["health"]);
    await env.stories.saveStory(story);
    // The state a process leaves when killed mid-walk: the fan-out recorded as unfinished,
    // part of the chats queued (some already sent), the rest never reached.
    await redis.client.hset(env.keys.deliveryFanOuts, story.id, topicsToMask(story.topics));
    await env.delivery.queue.enqueue(
      ids
        .slice(0, 200)
        .map((chatId) => ({ kind: "story" as const, storyId: story.id, chatId, language: "en" as const })),
    );
    await settle(env, ids, 200);
    expect(total(ids)).toBe(200);

    expect(await env.delivery.sink.resumeUnfinished()).toBe(1);
    await settle(env, ids, 500);
    for (const id of ids) expect(telegram.countTo(id), `chat ${id}`).toBe(1);
    expect(await redis.client.hlen(env.keys.deliveryFanOuts)).toBe(0);
  });

  it("dead-letters a message after repeated 5xx (and a bad payload), and resends it on retryDeadLetters", async () => {
    const env = await start(1000, { attempts: 3 });
    const ids = range(7_000_000, 5);
    await subscribe(env, ids, () => ["water"]);
    const unlucky = ids[2] as number;
    telegram.injectFault("server-error", { chatId: unlucky, count: 3 });
    const story = makeStory("g1", ["water"]);
    await env.stories.saveStory(story);
    await env.delivery.sink.accept(story);
    await settle(env, ids, 4);
    await telegram.waitFor(() => env.events.some((e) => e.type === "dead-letter"), 10_000, "a dead letter");

    // A payload that does not fit the schema is a dead letter too, never a crash or a loop.
    await env.delivery.queue.queue.add("story", { kind: "story", chatId: "nope" } as never, {
      jobId: deliveryJobId("bad", 1),
    });
    await telegram.waitFor(
      () => env.events.filter((e) => e.type === "dead-letter").length === 2,
      10_000,
      "2 dead letters",
    );

    const letters = (await env.delivery.worker?.listDeadLetters()) ?? [];
    expect(letters).toHaveLength(2);
    expect(letters[1]).toMatchObject({
      job: { chatId: unlucky, storyId: "g1" },
      reason: "502 Bad Gateway",
      attempts: 3,
    });
    expect(letters[0]?.reason).toMatch(/^invalid payload/);
    expect(telegram.countTo(unlucky)).toBe(0);
    expect((await env.delivery.worker?.statsOf())?.["dead:502"]).toBe(1);

    expect(await env.delivery.worker?.retryDeadLetters()).toEqual({ requeued: 1, kept: 1 });
    await settle(env, [unlucky], 1);
    expect(telegram.countTo(unlucky)).toBe(1);
    for (const id of ids) expect(telegram.countTo(id)).toBe(1);
    expect(await env.delivery.worker?.listDeadLetters()).toHaveLength(1); // the invalid one stays
  });

  it("with Telegram's limits enforced and SEND_RATE_LIMIT 25: no 429, global and per-chat pacing hold", async () => {
    telegram.enforceLimits();
    try {
      const env = await start(25);
      const privateIds = range(8_000_000, 40);
      const groupIds = range(1, 10).map((i) => -8_000_000 - i);
      const ids = [...privateIds, ...groupIds];
      await subscribe(env, ids, () => ["tourism", "culture"]);
      const stories = [
        makeStory("h1", ["tourism"]),
        makeStory("h2", ["culture"]),
        makeStory("h3", ["tourism"]),
      ];
      for (const s of stories) await env.stories.saveStory(s);
      const before = telegram.tooManyRequests;
      const started = performance.now();
      for (const s of stories) await env.delivery.sink.accept(s);
      await settle(env, ids, ids.length * 3, 30_000);
      const seconds = (performance.now() - started) / 1000;

      expect(telegram.tooManyRequests - before).toBe(0);
      for (const id of ids) expect(telegram.countTo(id)).toBe(3);
      const sends = telegram.calls
        .filter(
          (c) => c.method === "sendMessage" && c.status === 200 && ids.includes(Number(c.params.chat_id)),
        )
        .map((c) => c.at)
        .sort((a, b) => a - b);
      // Over 3 s windows, so scheduling jitter on a busy machine does not read as a breach.
      const maxIn3s = maxInWindow(sends, 3000);
      console.log(
        `limit 25/s: ${sends.length} messages in ${seconds.toFixed(1)} s (${(sends.length / seconds).toFixed(1)}/s), max ${maxIn3s} in any 3 s, 429s: 0`,
      );
      expect(maxIn3s).toBeLessThanOrEqual(3 * 25 + 5);
      // Per group: never more than one message in 3 s.
      for (const g of groupIds) {
        const at = telegram.messagesTo(g).map((m) => m.at);
        for (let i = 1; i < at.length; i++)
          expect((at[i] as number) - (at[i - 1] as number)).toBeGreaterThan(2500);
      }
    } finally {
      telegram.enforceLimits(false);
    }
  });

  it("stop() lets the send in flight finish, and a later start sends the rest", async () => {
    const first = await start(1000, { concurrency: 1 });
    const ids = range(12_000_000, 30);
    await subscribe(first, ids, () => ["digital"]);
    const story = makeStory("s1", ["digital"]);
    await first.stories.saveStory(story);
    // Every send takes 300 ms, one at a time: at any moment one send is in flight.
    telegram.injectFault("slow", { count: ids.length, value: 300 });
    await first.delivery.sink.accept(story);
    await telegram.waitFor(() => total(ids) >= 2, 5000, "two sends");
    // Caught within 50 ms of its arrival, a send has at least 250 ms of its 300 left.
    await telegram.waitFor(() => telegram.inFlight("sendMessage") === 1, 5000, "a send in flight");
    const started = performance.now();
    await first.delivery.stop();
    const stopMs = performance.now() - started;
    // It waited for the send in flight, which was answered; nothing new started.
    expect(stopMs).toBeGreaterThan(100);
    expect(stopMs).toBeLessThan(5000);
    expect(telegram.inFlight("sendMessage")).toBe(0);
    const afterStop = total(ids);
    await sleep(400);
    expect(total(ids)).toBe(afterStop);
    expect(telegram.inFlight("sendMessage")).toBe(0);
    const sentByFirst = total(ids);

    // Whatever was left waits in Redis for the next process: same namespace, new engine.
    const second = await startDelivery({
      config: {
        botToken: TEST_TOKEN,
        redisUrl: redis.url,
        telegramApiRoot: telegram.apiRoot,
        timezone: "Asia/Almaty",
        sendRateLimit: 1000,
      },
      redis: redis.client,
      keys: first.keys,
      logger,
      translate,
      subscriptions: first.subscriptions,
      stories: first.stories,
    });
    running.push(second);
    await telegram.waitFor(() => total(ids) >= ids.length, 10_000, "the rest");
    await sleep(300);
    console.log(
      `graceful stop took ${stopMs.toFixed(0)} ms with a 300 ms send in flight; ${sentByFirst} sent before it`,
    );
    for (const id of ids) expect(telegram.countTo(id)).toBe(1);
  });

  it("a story batch whose story is gone: one dead letter per chat, each resendable", async () => {
    const env = await start(1000);
    const ids = range(13_000_000, 5);
    await env.delivery.queue.enqueueStories(
      "vanished",
      ids.map((chatId) => ({ chatId, language: "uz" as const })),
    );
    await telegram.waitFor(
      () => env.events.filter((e) => e.type === "dead-letter").length === ids.length,
      10_000,
      "a dead letter per chat",
    );
    const letters = (await env.delivery.worker?.listDeadLetters()) ?? [];
    expect(letters.map((l) => (l.job as { chatId: number }).chatId).sort()).toEqual(ids);
    for (const l of letters) {
      expect(l).toMatchObject({
        job: { kind: "story", storyId: "vanished" },
        reason: "story no longer stored",
      });
    }
    expect(total(ids)).toBe(0);
  });

  it("keeps a queued delivery small in Redis", async () => {
    const env = await start(1000, { worker: false });
    const story = makeStory("m".repeat(40), ["trade"]);
    const n = 5000;
    // A first small batch creates the queue's own keys and loads its scripts: not per-job costs.
    await env.delivery.queue.enqueue([{ kind: "story", storyId: "warm-up", chatId: 1, language: "ru" }]);
    const usedBefore = await usedMemory();
    await env.delivery.queue.enqueue(
      range(9_000_000, n).map((chatId) => ({
        kind: "story" as const,
        storyId: story.id,
        chatId,
        language: "kk" as const,
      })),
    );
    const perJob = ((await usedMemory()) - usedBefore) / n;
    console.log(`redis memory per queued delivery: ${perJob.toFixed(0)} bytes`);
    expect(perJob).toBeLessThan(1024);
    await env.delivery.queue.queue.obliterate({ force: true });

    // A fan-out queues story batches: one job's overhead per 100 chats.
    const batchedBefore = await usedMemory();
    await env.delivery.queue.enqueueStories(
      story.id,
      range(9_000_000, n).map((chatId) => ({ chatId, language: "kk" as const })),
    );
    const perBatched = ((await usedMemory()) - batchedBefore) / n;
    console.log(`redis memory per queued delivery in a story batch: ${perBatched.toFixed(0)} bytes`);
    expect(perBatched).toBeLessThan(100);
    await env.delivery.queue.queue.obliterate({ force: true });

    // What stays after the sends: one member per chat in the story's ledger SET, until its TTL.
    const chats = range(9_000_000, n);
    for (let i = 0; i < n; i += 1000)
      await env.delivery.queue.markSent(storyRef(story.id), chats.slice(i, i + 1000));
    const ledgerKey = env.keys.deliverySent(refToken(storyRef(story.id)));
    const perChat = Number(await redis.client.memory("USAGE", ledgerKey)) / n;
    console.log(`redis memory per sent chat (ledger): ${perChat.toFixed(0)} bytes`);
    expect(perChat).toBeLessThan(100);
    expect(await env.delivery.queue.wasSent([{ ref: storyRef(story.id), chatId: 9_000_001 }])).toEqual([
      true,
    ]);
  });
});

async function usedMemory(): Promise<number> {
  const info = await redis.client.info("memory");
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}
