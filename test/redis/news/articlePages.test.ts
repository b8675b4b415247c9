/**
 * ARTICLE_FETCH in the poll cycle: real fetchFeed and article pages from a local server, the real
 * classifier, real Redis stores. A page read adds the topics its text gives substance to and the
 * og:image; a page that fails changes nothing; irrelevant items' pages are never asked for.
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../../src/logger.js";
import { createArticleReader } from "../../../src/news/articleEnricher.js";
import { classifyItem } from "../../../src/news/classify.js";
import { RedisFeedHealthStore } from "../../../src/news/feedHealth.js";
import { fetchFeed } from "../../../src/news/fetchFeed.js";
import { type PollCycleDeps, runPollCycle } from "../../../src/news/pollCycle.js";
import { RedisStoryStore } from "../../../src/news/storyStore.js";
import type { FeedConfig, Story } from "../../../src/news/types.js";
import { type RedisKeys, redisKeys } from "../../../src/storage/keys.js";
import { FeedServer } from "../../support/feedServer.js";
import { deleteByPattern, type TestRedis, useTestRedis } from "../../support/redis.js";
import { rssFeed } from "../../support/rssFeed.js";

const logger = createLogger({ level: "silent" });
const PAGE_FILE = fileURLToPath(new URL("../../fixtures/pages/visit-ru.html", import.meta.url));

// Headline and lead give diplomacy only; the page adds energy, water and transport.
const VISIT = {
  title: "Мирзиёев и Токаев провели переговоры в Ташкенте",
  description: "Президенты Узбекистана и Казахстана провели переговоры в Ташкенте.",
};
const METRO = {
  title: "В Алматы открылась новая станция метро",
  description: "Станция «Сайран» приняла пассажиров.",
};

describe("poll cycle with article pages", () => {
  let redis: TestRedis;
  let server: FeedServer;
  let keys: RedisKeys;
  let now: Date;

  beforeAll(async () => {
    [redis, server] = await Promise.all([useTestRedis(), FeedServer.start()]);
    keys = redisKeys(redis.prefix);
    server.route("/news/visit", { file: PAGE_FILE, contentType: "text/html; charset=utf-8" });
    server.route("/news/slow", { file: PAGE_FILE, contentType: "text/html", delayMs: 5_000 });
    server.route("/news/metro", { file: PAGE_FILE, contentType: "text/html; charset=utf-8" });
  });
  afterAll(async () => {
    await Promise.all([redis?.close(), server?.close()]);
  });
  beforeEach(async () => {
    await deleteByPattern(redis.client, `${redis.prefix}:*`);
    server.resetCounters();
    now = new Date();
  });

  function feedOf(
    id: string,
    items: Array<{ title: string; description: string; path: string }>,
  ): FeedConfig {
    const body = rssFeed(
      id,
      items.map((i, n) => ({
        title: i.title,
        description: i.description,
        link: server.url(i.path),
        published: new Date(now.getTime() - (n + 1) * 60_000),
      })),
    );
    const url = server.route(`/${id}.xml`, { body });
    return { id, url, outlet: id, language: "ru", defaultTopics: [] };
  }

  function deps(feeds: FeedConfig[], articles: PollCycleDeps["articles"]) {
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
      ...(articles ? { articles } : {}),
      options: { timeoutMs: 2_000 },
    };
    return { deps: d, accepted };
  }

  it("a page read re-tags the story with the topics of its text and gives it the og:image", async () => {
    const feed = feedOf("ru", [
      { ...VISIT, path: "/news/visit" },
      { ...METRO, path: "/news/metro" },
    ]);
    const reader = createArticleReader({ perCycle: 5, timeoutMs: 2_000 }, { logger });
    const { deps: d, accepted } = deps([feed], reader);
    const report = await runPollCycle(d, now);

    expect(accepted).toHaveLength(1);
    const story = accepted[0];
    expect(story?.topics).toEqual(expect.arrayContaining(["diplomacy", "energy", "water", "transport"]));
    expect(story?.imageUrl).toBe(server.url("/media/2026/12/visit-tashkent.jpg?w=1200"));
    // The page text serves the judging only: the stored story is what the feed told.
    expect(JSON.stringify(story)).not.toContain("Камбаратинской");
    const stored = await d.store.getStory(story?.id ?? "");
    expect(stored?.topics).toEqual(story?.topics);
    // The irrelevant item's page was never asked for.
    expect(server.requestCount("/news/metro")).toBe(0);
    expect(report.articlePages).toEqual({ read: 1 });
  });

  it("without the reader, or when the page fails, the story is the same as the feed alone gives", async () => {
    const plain = deps([feedOf("plain", [{ ...VISIT, path: "/news/visit" }])], undefined);
    const plainReport = await runPollCycle(plain.deps, now);
    expect(plain.accepted[0]?.topics).toEqual(["diplomacy"]);
    expect(plain.accepted[0]?.imageUrl).toBeUndefined();
    expect(plainReport.articlePages).toBeUndefined();
    expect(server.requestCount("/news/visit")).toBe(0);

    await deleteByPattern(redis.client, `${redis.prefix}:*`);
    const reader = createArticleReader({ perCycle: 5, timeoutMs: 300 }, { logger });
    const failing = deps([feedOf("failing", [{ ...VISIT, path: "/news/slow" }])], reader);
    const started = performance.now();
    const report = await runPollCycle(failing.deps, now);
    // Bounded by the page's deadline, not the server's 5 s.
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(failing.accepted.map((s) => ({ topics: s.topics, image: s.imageUrl }))).toEqual([
      { topics: ["diplomacy"], image: undefined },
    ]);
    expect(report.articlePages).toEqual({ timeout: 1 });
  });

  it("a page's text stands in for a stub lead in dedupe: the retelling merges into the story", async () => {
    const told = {
      ...VISIT,
      description:
        "Президенты Узбекистана и Казахстана провели в Ташкенте переговоры в узком и расширенном составе и подписали пакет документов.",
      path: "/news/visit",
    };
    // Another outlet: a different headline and a "read more" stub for a lead, the same page.
    const retold = {
      title: "Главы Узбекистана и Казахстана встретились в Ташкенте",
      description: "Подробнее",
      path: "/news/visit?from=b",
    };
    const outcomes: Array<{ accepted: number; merged: number }> = [];
    for (const withPages of [false, true]) {
      await deleteByPattern(redis.client, `${redis.prefix}:*`);
      const reader = withPages
        ? createArticleReader({ perCycle: 5, timeoutMs: 2_000 }, { logger })
        : undefined;
      await runPollCycle(deps([feedOf("first", [told])], reader).deps, now);
      const second = await runPollCycle(deps([feedOf("second", [retold])], reader).deps, now);
      outcomes.push({ accepted: second.totals.accepted, merged: second.totals.merged });
    }
    expect(outcomes).toEqual([
      { accepted: 1, merged: 0 },
      { accepted: 0, merged: 1 },
    ]);
  });

  it("reads at most perCycle pages a cycle; the other relevant stories go on as the feed told them", async () => {
    const paths = ["/news/visit", "/news/visit?a=1", "/news/visit?a=2"];
    const items = paths.map((path, i) => ({
      title: `${VISIT.title} (${["утро", "день", "вечер"][i]})`,
      description: `${VISIT.description} Встреча номер ${i + 1} в ${2020 + i} году.`,
      path,
    }));
    const reader = createArticleReader({ perCycle: 1, timeoutMs: 2_000 }, { logger });
    const { deps: d } = deps([feedOf("capped", items)], reader);
    const report = await runPollCycle(d, now);
    expect(server.requestCount("/news/visit")).toBe(1);
    expect(report.articlePages?.read).toBe(1);
    expect(report.articlePages?.["over-budget"]).toBe(2);
  });
});
