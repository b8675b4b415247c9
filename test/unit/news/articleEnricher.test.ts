import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../../src/logger.js";
import {
  createArticleReader,
  FEED_TEXT_ENOUGH_CHARS,
  type FetchArticlePageFn,
  topicsWithArticle,
} from "../../../src/news/articleEnricher.js";
import { FeedServer } from "../../support/feedServer.js";

const PAGE_FILE = fileURLToPath(new URL("../../fixtures/pages/visit-ru.html", import.meta.url));
const logger = createLogger({ level: "silent" });

describe("article reader: one cycle's allowance", () => {
  let server: FeedServer;
  beforeAll(async () => {
    server = await FeedServer.start();
    server.route("/a", { file: PAGE_FILE, contentType: "text/html; charset=utf-8" });
    server.route("/b", { file: PAGE_FILE, contentType: "text/html; charset=utf-8" });
    server.route("/c", { file: PAGE_FILE, contentType: "text/html; charset=utf-8" });
    server.route("/slow", { file: PAGE_FILE, contentType: "text/html", delayMs: 5_000 });
    server.route("/gone", { status: 410, contentType: "text/html", body: "<h1>Gone</h1>" });
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(() => server.resetCounters());

  it("reads at most perCycle pages a cycle; the next cycle has a fresh allowance", async () => {
    const reader = createArticleReader({ perCycle: 2, timeoutMs: 2_000 }, { logger });
    const cycle = reader.forCycle();
    const reads = await Promise.all(["/a", "/b", "/c"].map((p) => cycle.read({ link: server.url(p) })));
    expect(reads.map((r) => r !== undefined)).toEqual([true, true, false]);
    expect(reads[0]?.text).toContain("Камбаратинской ГЭС");
    expect(reads[0]?.image).toBe(server.url("/media/2026/12/visit-tashkent.jpg?w=1200"));
    expect(server.requestCount("/c")).toBe(0);
    expect(cycle.counts()).toEqual({ read: 2, "over-budget": 1 });

    const next = reader.forCycle();
    expect(await next.read({ link: server.url("/c") })).toBeDefined();
    expect(next.counts()).toEqual({ read: 1 });
  });

  it("a failing or slow page gives nothing and is counted by reason, within its deadline", async () => {
    const cycle = createArticleReader(
      { perCycle: 5, timeoutMs: 300, cycleBudgetMs: 5_000 },
      { logger },
    ).forCycle();
    const started = performance.now();
    expect(await cycle.read({ link: server.url("/slow") })).toBeUndefined();
    expect(await cycle.read({ link: server.url("/gone") })).toBeUndefined();
    expect(await cycle.read({ link: server.url("/nowhere") })).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(cycle.counts()).toEqual({ timeout: 1, "http-status": 2 });
  });

  it("stops starting pages once the cycle's time budget is spent", async () => {
    const cycle = createArticleReader(
      { perCycle: 10, timeoutMs: 400, cycleBudgetMs: 900 },
      { logger },
    ).forCycle();
    const started = performance.now();
    for (let i = 0; i < 4; i++) await cycle.read({ link: server.url("/slow") });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(2_500);
    const counts = cycle.counts();
    expect(counts.timeout).toBeGreaterThanOrEqual(2);
    expect(counts["over-budget"]).toBeGreaterThanOrEqual(1);
    expect((counts.timeout ?? 0) + (counts["over-budget"] ?? 0)).toBe(4);
  });

  it("survives a page function that hangs or throws", async () => {
    const hangs: FetchArticlePageFn = () => new Promise(() => {});
    const throws: FetchArticlePageFn = async () => {
      throw new Error("parser exploded");
    };
    const started = performance.now();
    const hanging = createArticleReader(
      { perCycle: 5, timeoutMs: 200 },
      { logger, fetchPage: hangs },
    ).forCycle();
    expect(await hanging.read({ link: "https://example.kz/a" })).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(hanging.counts()).toEqual({ timeout: 1 });
    const throwing = createArticleReader(
      { perCycle: 5, timeoutMs: 200 },
      { logger, fetchPage: throws },
    ).forCycle();
    expect(await throwing.read({ link: "https://example.kz/a" })).toBeUndefined();
    expect(throwing.counts()).toEqual({ network: 1 });
  });

  it("does not ask for the page when the feed already gave the full text", async () => {
    const cycle = createArticleReader({ perCycle: 5, timeoutMs: 2_000 }, { logger }).forCycle();
    const content = "Полный текст новости из content:encoded. ".repeat(60);
    expect(content.length).toBeGreaterThanOrEqual(FEED_TEXT_ENOUGH_CHARS);
    expect(await cycle.read({ link: server.url("/a"), content })).toBeUndefined();
    expect(server.requestCount("/a")).toBe(0);
    expect(await cycle.read({ link: server.url("/a"), content: "Подробнее…" })).toBeDefined();
    expect(cycle.counts()).toEqual({ "feed-has-text": 1, read: 1 });
  });

  it("cancels pages in flight when the cycle is aborted", async () => {
    const controller = new AbortController();
    const cycle = createArticleReader({ perCycle: 5, timeoutMs: 4_000 }, { logger }).forCycle(
      controller.signal,
    );
    const started = performance.now();
    const pending = cycle.read({ link: server.url("/slow") });
    setTimeout(() => controller.abort(), 100);
    expect(await pending).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(await cycle.read({ link: server.url("/a") })).toBeUndefined();
    expect(cycle.counts()).toEqual({ network: 1, "over-budget": 1 });
  });
});

describe("topicsWithArticle", () => {
  it("takes the topics of the classification with the page, else keeps the feed's", () => {
    expect(
      topicsWithArticle(["diplomacy"], { relevant: true, topics: ["energy", "diplomacy"], reason: "" }),
    ).toEqual(["energy", "diplomacy"]);
    expect(topicsWithArticle(["diplomacy"], { relevant: false, reason: "" })).toEqual(["diplomacy"]);
    expect(topicsWithArticle(["trade"], { relevant: true, topics: [], reason: "" })).toEqual(["trade"]);
  });
});
