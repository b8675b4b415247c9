/**
 * The poll cycle end to end: real fetchFeed against a local feed server, real classifier, real
 * Redis stores, and the Poller's overlap and cluster rules.
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../../src/logger.js";
import { classifyItem } from "../../../src/news/classify.js";
import { RedisFeedHealthStore } from "../../../src/news/feedHealth.js";
import { fetchFeed } from "../../../src/news/fetchFeed.js";
import {
  BACKLOG_REASON,
  type PollCycleDeps,
  type PollCycleOptions,
  runPollCycle,
} from "../../../src/news/pollCycle.js";
import { Poller } from "../../../src/news/poller.js";
import { RedisStoryStore } from "../../../src/news/storyStore.js";
import type { FeedConfig, FeedLanguage, Story } from "../../../src/news/types.js";
import { type RedisKeys, redisKeys } from "../../../src/storage/keys.js";
import { acquireLock, withLock } from "../../../src/storage/lock.js";
import { FeedServer } from "../../support/feedServer.js";
import { deleteByPattern, type TestRedis, useTestRedis } from "../../support/redis.js";
import { rssFeed } from "../../support/rssFeed.js";

const logger = createLogger({ level: "silent" });
const HOUR = 3_600_000;

type FeedItem = { title: string; summary: string; link: string; hoursAgo: number; guid?: string };

function rss(title: string, items: FeedItem[], now: Date): string {
  return rssFeed(
    title,
    items.map((i) => ({
      title: i.title,
      link: i.link,
      description: i.summary,
      published: new Date(now.getTime() - i.hoursAgo * HOUR),
      ...(i.guid ? { guid: i.guid } : {}),
    })),
  );
}

const GAS_RU: FeedItem = {
  title: "Казахстан и Узбекистан подписали газовое соглашение на $1,5 млрд",
  summary: "Правительства Казахстана и Узбекистана подписали соглашение о поставках газа на $1,5 млрд.",
  link: "https://ru.example.uz/2026/gas-deal",
  hoursAgo: 2,
};
const RAIL_RU: FeedItem = {
  title: "Казахстан и Узбекистан построят новую железную дорогу Дарбаза — Мактаарал",
  summary:
    "Министры транспорта Казахстана и Узбекистана согласовали строительство железной дороги между странами.",
  link: "https://ru.example.uz/2026/railway",
  hoursAgo: 3,
};
const METRO_RU: FeedItem = {
  title: "В Алматы открылась новая станция метро",
  summary: "Станция «Сайран» приняла первых пассажиров.",
  link: "https://ru.example.uz/2026/metro",
  hoursAgo: 1,
};
const OLD_VISIT_RU: FeedItem = {
  title: "Мирзиёев прибыл в Астану с государственным визитом в Казахстан",
  summary: "Президент Узбекистана Шавкат Мирзиёев прибыл в Казахстан, его встретил Касым-Жомарт Токаев.",
  link: "https://ru.example.uz/2026/old-visit",
  hoursAgo: 30,
};
const GAS_EN: FeedItem = {
  title: "Kazakhstan and Uzbekistan sign $1.5bn gas deal",
  summary: "The governments of Kazakhstan and Uzbekistan signed a $1.5 billion gas supply agreement.",
  link: "https://en.example.kz/2026/gas-deal",
  hoursAgo: 1,
};

function feed(id: string, url: string, language: FeedLanguage, outlet = id): FeedConfig {
  return { id, url, outlet, language, defaultTopics: [] };
}

describe("poll cycle against Redis and a feed server", () => {
  let redis: TestRedis;
  let server: FeedServer;
  let keys: RedisKeys;
  let now: Date;

  beforeAll(async () => {
    [redis, server] = await Promise.all([useTestRedis(), FeedServer.start()]);
    keys = redisKeys(redis.prefix);
  });
  afterAll(async () => {
    await Promise.all([redis?.close(), server?.close()]);
  });
  beforeEach(async () => {
    await deleteByPattern(redis.client, `${redis.prefix}:*`);
    server.resetCounters();
    now = new Date();
  });

  /** Fresh store objects each time, as after a restart; the data lives in Redis. */
  function deps(feeds: FeedConfig[], options: Partial<PollCycleOptions> = {}) {
    const accepted: Story[] = [];
    const d: PollCycleDeps = {
      feeds,
      fetchFeed,
      classify: classifyItem,
      store: new RedisStoryStore(redis.client, keys, logger),
      health: new RedisFeedHealthStore(redis.client, keys, logger),
      sink: {
        async accept(story) {
          accepted.push(story);
        },
      },
      logger,
      options: { timeoutMs: 2000, ...options },
    };
    return { deps: d, accepted, store: d.store as RedisStoryStore, health: d.health as RedisFeedHealthStore };
  }

  it("accepts relevant stories once, gets 304s next time, and accepts nothing after a restart", async () => {
    const body = rss("RU", [GAS_RU, RAIL_RU, METRO_RU], now);
    const url = server.route("/ru.xml", { body, etag: '"v1"' });
    const feeds = [feed("ru", url, "ru")];

    const first = deps(feeds);
    const report = await runPollCycle(first.deps, now);
    expect(report.feeds[0], report.feeds[0]?.reason).toMatchObject({
      status: "ok",
      items: 3,
      newItems: 3,
      accepted: 2,
      rejected: 1,
    });
    expect(first.accepted.map((s) => s.link).sort()).toEqual([GAS_RU.link, RAIL_RU.link].sort());
    // Oldest first: the railway story (3 h ago) before the gas story (2 h ago).
    expect(first.accepted.map((s) => s.link)).toEqual([RAIL_RU.link, GAS_RU.link]);
    expect(report.totals).toMatchObject({ accepted: 2, rejected: 1, merged: 0, failed: 0 });
    expect(Object.values(report.rejectionReasons).reduce((a, b) => a + b, 0)).toBe(1);
    const gas = first.accepted.find((s) => s.link === GAS_RU.link);
    expect(gas?.topics).toContain("energy");
    expect(await first.store.getStory(gas?.id ?? "")).toMatchObject({
      title: GAS_RU.title,
      alsoReportedBy: [],
    });
    const latest = await first.store.latestStories({ limit: 10 });
    expect(latest.map((s) => s.link)).toEqual([GAS_RU.link, RAIL_RU.link]);

    const second = deps(feeds);
    const again = await runPollCycle(second.deps, new Date(now.getTime() + 5 * 60_000));
    expect(again.feeds[0]?.status).toBe("not-modified");
    expect(server.lastRequest("/ru.xml")?.headers["if-none-match"]).toBe('"v1"');
    expect(second.accepted).toEqual([]);
    expect(server.requestCount("/ru.xml")).toBe(2);

    // A restart with a server that forgot its ETag: the full body again, but every item is seen.
    server.route("/ru.xml", { body });
    const restarted = deps(feeds);
    const third = await runPollCycle(restarted.deps, new Date(now.getTime() + 10 * 60_000));
    expect(third.feeds[0]).toMatchObject({ status: "ok", items: 3, newItems: 0, accepted: 0 });
    expect(restarted.accepted).toEqual([]);

    const health = await restarted.health.get("ru");
    expect(health).toMatchObject({ lastStatus: "ok", consecutiveFailures: 0, itemsSeenTotal: 3 });
  });

  it("merges the same story told by two feeds, in one cycle and across cycles", async () => {
    const ru = server.route("/merge-ru.xml", { body: rss("RU", [GAS_RU], now) });
    const en = server.route("/merge-en.xml", { body: rss("EN", [GAS_EN], now) });
    const both = deps([feed("merge-ru", ru, "ru", "Gazeta.uz"), feed("merge-en", en, "en", "Astana Times")]);
    const report = await runPollCycle(both.deps, now);
    expect(report.totals).toMatchObject({ accepted: 1, merged: 1 });
    expect(both.accepted).toHaveLength(1);
    const story = await both.store.getStory(both.accepted[0]?.id ?? "");
    // Whichever feed answered first tells the story; the other is "also reported by".
    // Merged tellings keep their language and title, so a reader of that language can get them.
    const expected =
      story?.link === GAS_RU.link
        ? { outlet: "Astana Times", link: GAS_EN.link, language: "en", title: GAS_EN.title }
        : { outlet: "Gazeta.uz", link: GAS_RU.link, language: "ru", title: GAS_RU.title };
    expect(story?.alsoReportedBy).toMatchObject([expected]);

    // A third outlet a cycle later, after a restart, is merged into the same story.
    const kz = server.route("/merge-kz.xml", {
      body: rss(
        "KZ",
        [
          {
            ...GAS_EN,
            link: "https://kz.example.kz/gas",
            title: "Kazakhstan, Uzbekistan sign $1.5 billion gas agreement",
          },
        ],
        now,
      ),
    });
    const later = deps([feed("merge-kz", kz, "en", "Kursiv")]);
    const next = await runPollCycle(later.deps, new Date(now.getTime() + 5 * 60_000));
    expect(next.totals).toMatchObject({ accepted: 0, merged: 1 });
    const merged = await later.store.getStory(story?.id ?? "");
    expect(merged?.alsoReportedBy.map((r) => r.outlet)).toContain("Kursiv");
  });

  it("keeps going when feeds are slow, broken or not feeds, and records their health", async () => {
    const good = server.route("/good.xml", { body: rss("good", [GAS_RU], now) });
    const slow = server.route("/slow.xml", { body: rss("slow", [RAIL_RU], now), delayMs: 5000 });
    const broken = server.route("/broken.xml", { status: 500, body: "oops", contentType: "text/plain" });
    const html = server.htmlPage("/html.xml");
    const huge = server.route("/huge.xml", { streamBytes: 50 * 1024 * 1024 });
    const feeds = [
      feed("slow", slow, "ru"),
      feed("broken", broken, "ru"),
      feed("html", html, "ru"),
      feed("huge", huge, "ru"),
      feed("good", good, "ru"),
    ];
    const run = deps(feeds, { timeoutMs: 800, maxBytes: 1024 * 1024 });
    const started = performance.now();
    const report = await runPollCycle(run.deps, now);
    const elapsed = performance.now() - started;
    // The slow feed costs its timeout, not its 5 s, and the others run beside it.
    expect(elapsed).toBeLessThan(4500);

    const byId = Object.fromEntries(report.feeds.map((f) => [f.feedId, f]));
    expect(byId.good).toMatchObject({ status: "ok", accepted: 1 });
    for (const id of ["slow", "broken", "html", "huge"]) {
      expect(byId[id]?.status, id).toBe("failed");
      expect(byId[id]?.reason, id).toBeTruthy();
      expect(byId[id]?.backoffUntil, id).toBeTruthy();
    }
    expect(byId.slow?.reason).toMatch(/time/);
    expect(byId.broken?.httpStatus).toBe(500);
    expect(run.accepted.map((s) => s.link)).toEqual([GAS_RU.link]);

    const health = await run.health.get("broken");
    expect(health).toMatchObject({ lastStatus: "failed", consecutiveFailures: 1, lastHttpStatus: 500 });
    expect(health?.lastError).toMatch(/500/);
    expect(Date.parse(health?.backoffUntil ?? "")).toBe(now.getTime() + 5 * 60_000);

    // The next cycle, a minute later, leaves them alone while they back off.
    server.resetCounters();
    const next = await runPollCycle(deps(feeds).deps, new Date(now.getTime() + 60_000));
    for (const id of ["slow", "broken", "html", "huge"]) {
      expect(next.feeds.find((f) => f.feedId === id)?.status).toBe("backing-off");
    }
    expect(server.requestCount("/broken.xml")).toBe(0);
    expect(server.requestCount("/good.xml")).toBe(1);
    expect(next.totals.backingOff).toBe(4);
  });

  it("skips items older than the backlog window on the first poll of a new feed only", async () => {
    const url = server.route("/backlog.xml", { body: rss("RU", [GAS_RU, OLD_VISIT_RU], now) });
    const feeds = [feed("backlog", url, "ru")];
    const first = deps(feeds, { backlogHours: 24, explain: true });
    const report = await runPollCycle(first.deps, now);
    expect(first.accepted.map((s) => s.link)).toEqual([GAS_RU.link]);
    expect(report.rejectionReasons[BACKLOG_REASON]).toBe(1);
    expect(report.decisions).toEqual([
      expect.objectContaining({ decision: "rejected", link: OLD_VISIT_RU.link, reason: BACKLOG_REASON }),
    ]);

    // Once the feed is known, a late item with an old date is a normal item.
    const late: FeedItem = { ...OLD_VISIT_RU, link: "https://ru.example.uz/2026/late-visit", hoursAgo: 30 };
    server.route("/backlog.xml", { body: rss("RU", [GAS_RU, OLD_VISIT_RU, late], now) });
    const second = deps(feeds, { backlogHours: 24 });
    await runPollCycle(second.deps, new Date(now.getTime() + 5 * 60_000));
    expect(second.accepted.map((s) => s.link)).toEqual([late.link]);
  });

  it("a classifier fault loses no item: the claims are given back and the next cycle judges them", async () => {
    const url = server.route("/fault.xml", { body: rss("RU", [GAS_RU, RAIL_RU], now), etag: '"f1"' });
    const feeds = [feed("fault", url, "ru")];
    const broken = deps(feeds);
    broken.deps.classify = () => {
      throw new Error("vocabulary file is broken");
    };
    const report = await runPollCycle(broken.deps, now);
    expect(report.feeds[0]).toMatchObject({ status: "failed", accepted: 0 });
    expect(report.feeds[0]?.reason).toMatch(/vocabulary file is broken/);

    const fixed = deps(feeds);
    // Backoff is over by then; the old HTTP cache was kept, so the body is read again.
    const next = await runPollCycle(fixed.deps, new Date(now.getTime() + 10 * 60_000));
    expect(next.feeds[0]).toMatchObject({ status: "ok", newItems: 2, accepted: 2 });
  });

  it("never runs two cycles at once in one process", async () => {
    const slow = server.route("/overlap.xml", { body: rss("RU", [GAS_RU], now), delayMs: 400 });
    const run = deps([feed("overlap", slow, "ru")]);
    const poller = new Poller({
      redis: redis.client,
      keys,
      logger,
      cron: "*/5 * * * *",
      runCycle: (at, signal) => runPollCycle({ ...run.deps, signal }, at),
    });
    const first = poller.runOnce();
    expect(poller.running).toBe(true);
    const second = await poller.runOnce();
    expect(second).toEqual({ kind: "skipped", reason: "previous-cycle-running" });
    expect((await first).kind).toBe("ran");
    expect(server.requestCount("/overlap.xml")).toBe(1);
    expect(run.accepted).toHaveLength(1);
    expect(await redis.client.exists(keys.lock("poll"))).toBe(0);
  });

  it("runs the cycle once when two pollers share one Redis", async () => {
    const url = server.route("/cluster.xml", { body: rss("RU", [GAS_RU, RAIL_RU], now), delayMs: 200 });
    const otherClient = new Redis(redis.url, { maxRetriesPerRequest: null });
    try {
      const a = deps([feed("cluster", url, "ru")]);
      const b = deps([feed("cluster", url, "ru")]);
      b.deps.store = new RedisStoryStore(otherClient, keys, logger);
      b.deps.health = new RedisFeedHealthStore(otherClient, keys, logger);
      const make = (client: Redis, d: PollCycleDeps) =>
        new Poller({
          redis: client,
          keys,
          logger,
          cron: "*/5 * * * *",
          runCycle: (at, signal) => runPollCycle({ ...d, signal }, at),
        });
      const [ra, rb] = await Promise.all([
        make(redis.client, a.deps).runOnce(),
        make(otherClient, b.deps).runOnce(),
      ]);
      const kinds = [ra.kind, rb.kind].sort();
      expect(kinds).toEqual(["ran", "skipped"]);
      expect([ra, rb].find((r) => r.kind === "skipped")).toEqual({
        kind: "skipped",
        reason: "locked-by-another-process",
      });
      expect(server.requestCount("/cluster.xml")).toBe(1);
      expect(a.accepted.length + b.accepted.length).toBe(2);
    } finally {
      otherClient.disconnect();
    }
  });

  it("start() runs a cycle at once and stop() waits for it", async () => {
    const url = server.route("/start.xml", { body: rss("RU", [GAS_RU], now), delayMs: 300 });
    const run = deps([feed("start", url, "ru")]);
    let finished = 0;
    const poller = new Poller({
      redis: redis.client,
      keys,
      logger,
      cron: "0 0 1 1 *",
      runCycle: async (at, signal) => {
        const report = await runPollCycle({ ...run.deps, signal }, at);
        finished++;
        return report;
      },
    });
    poller.start();
    expect(poller.running).toBe(true);
    await poller.stop();
    expect(finished).toBe(1);
    expect(run.accepted).toHaveLength(1);
    expect(await poller.runOnce()).toEqual({ kind: "skipped", reason: "stopped" });
  });
});

describe("story store and cluster lock", () => {
  let redis: TestRedis;
  let keys: RedisKeys;

  beforeAll(async () => {
    redis = await useTestRedis();
    keys = redisKeys(redis.prefix);
  });
  afterAll(async () => {
    await redis?.close();
  });

  const story = (id: string, topics: Story["topics"], acceptedAt: string): Story => ({
    id,
    feedId: "f",
    outlet: "Outlet",
    language: "ru",
    title: `Story ${id}`,
    summary: "",
    link: `https://example.test/${id}`,
    published: acceptedAt,
    publishedEstimated: false,
    categories: [],
    topics,
    alsoReportedBy: [],
    acceptedAt,
  });

  it("markSeen gives each id to exactly one of two concurrent claimants", async () => {
    const other = new Redis(redis.url, { maxRetriesPerRequest: null });
    try {
      const a = new RedisStoryStore(redis.client, keys, logger);
      const b = new RedisStoryStore(other, keys, logger);
      const ids = Array.from({ length: 200 }, (_, i) => `item-${i}`);
      const now = new Date();
      const [fa, fb] = await Promise.all([a.markSeen(ids, now), b.markSeen([...ids].reverse(), now)]);
      expect(fa.size + fb.size).toBe(200);
      for (const id of fa) expect(fb.has(id)).toBe(false);
      expect((await a.markSeen(ids, now)).size).toBe(0);
      const ttl = await redis.client.pttl(keys.seenItem("item-0"));
      expect(ttl).toBeGreaterThan(29 * 86_400_000);
      // A very long id is stored under a hash, and still claimed once.
      const long = `https://example.test/${"x".repeat(500)}`;
      expect((await a.markSeen([long, long], now)).size).toBe(1);
      expect((await b.markSeen([long], now)).size).toBe(0);
    } finally {
      other.disconnect();
    }
  });

  it("lists newest first, filters by topic, skips corrupt records, trims old ones", async () => {
    const store = new RedisStoryStore(redis.client, keys, logger);
    await store.saveStory(story("s1", ["energy"], "2026-04-01T10:00:00Z"));
    await store.saveStory(story("s2", ["transport"], "2026-04-01T11:00:00Z"));
    await store.saveStory(story("s3", ["energy", "trade"], "2026-04-01T12:00:00Z"));
    await store.saveStory(story("old", ["energy"], "2026-02-01T12:00:00Z"));
    expect((await store.latestStories({ limit: 10 })).map((s) => s.id)).toEqual(["s3", "s2", "s1", "old"]);
    expect((await store.latestStories({ limit: 2, topics: ["energy"] })).map((s) => s.id)).toEqual([
      "s3",
      "s1",
    ]);

    await redis.client.set(keys.story("s2"), "{not json");
    expect((await store.latestStories({ limit: 10 })).map((s) => s.id)).toEqual(["s3", "s1", "old"]);
    expect(await store.getStory("s2")).toBeUndefined();

    expect(await store.addAlsoReported("s1", { outlet: "Kun.uz", link: "https://kun.uz/1" })).toBe(true);
    expect(await store.addAlsoReported("s1", { outlet: "Kun.uz", link: "https://kun.uz/1" })).toBe(true);
    expect((await store.getStory("s1"))?.alsoReportedBy).toEqual([
      { outlet: "Kun.uz", link: "https://kun.uz/1" },
    ]);
    expect(await store.addAlsoReported("missing", { outlet: "X", link: "https://x" })).toBe(false);

    await redis.client.zadd(keys.storyFingerprints, Date.parse("2026-04-01T12:00:00Z"), "garbage");
    const fps = await store.recentFingerprints(new Date("2026-03-31T00:00:00Z"));
    expect(fps.map((f) => f.storyId).sort()).toEqual(["s1", "s2", "s3"]);

    await store.trim(new Date("2026-04-02T00:00:00Z"));
    expect((await store.latestStories({ limit: 10 })).map((s) => s.id)).toEqual(["s3", "s1"]);
  });

  it("a task whose lock is lost is told to stop, and feeds cut off are not marked as failing", async () => {
    const key = keys.lock("lost");
    const server = await FeedServer.start();
    try {
      const url = server.route("/hang.xml", { body: "<rss/>", delayMs: 5000 });
      const health = new RedisFeedHealthStore(redis.client, keys, logger);
      const result = await withLock(redis.client, key, 150, async (signal) => {
        // Another process takes over after the lock expired (e.g. Redis was away too long).
        await redis.client.set(key, "someone-else");
        return runPollCycle(
          {
            feeds: [{ id: "hang", url, outlet: "Hang", language: "ru", defaultTopics: [] }],
            fetchFeed,
            classify: classifyItem,
            store: new RedisStoryStore(redis.client, keys, logger),
            health,
            sink: { accept: async () => {} },
            logger,
            signal,
          },
          new Date(),
        );
      });
      expect(result.acquired).toBe(true);
      const report = result.acquired ? result.value : undefined;
      expect(report?.feeds[0]?.status).toBe("aborted");
      expect(await health.get("hang")).toBeUndefined();
      // The other holder's lock is left alone.
      expect(await redis.client.get(key)).toBe("someone-else");
    } finally {
      await server.close();
    }
  });

  it("a lock is released only by its own holder", async () => {
    const key = keys.lock("test");
    const first = await acquireLock(redis.client, key, 100);
    expect(first).toBeDefined();
    expect(await acquireLock(redis.client, key, 100)).toBeUndefined();
    await new Promise((r) => setTimeout(r, 150));
    const second = await acquireLock(redis.client, key, 5000);
    expect(second).toBeDefined();
    // The expired first holder must not free the second holder's lock.
    await first?.release();
    expect(await first?.renew()).toBe(false);
    expect(await redis.client.get(key)).toBe(second?.token);
    await second?.release();
    expect(await redis.client.exists(key)).toBe(0);
  });
});
