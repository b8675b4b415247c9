import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { USER_AGENT } from "../../../src/http/fetchBytes.js";
import { FEED_ACCEPT, type FeedFetchResult, fetchFeed } from "../../../src/news/fetchFeed.js";
import type { FeedConfig } from "../../../src/news/types.js";
import { FeedServer } from "../../support/feedServer.js";

const NOW = new Date("2026-04-01T12:00:00Z");
const OPTIONS = { timeoutMs: 5000, maxBytes: 5 * 1024 * 1024, now: NOW };

let server: FeedServer;
beforeAll(async () => {
  server = await FeedServer.start();
});
afterAll(async () => {
  await server.close();
});

function feedAt(url: string, id = "test-feed"): FeedConfig {
  return { id, url, outlet: "Test", language: "ru", defaultTopics: [] };
}

function expectOk(result: FeedFetchResult): Extract<FeedFetchResult, { kind: "ok" }> {
  if (result.kind !== "ok") throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result;
}

function expectFailed(result: FeedFetchResult): Extract<FeedFetchResult, { kind: "failed" }> {
  if (result.kind !== "failed") throw new Error(`expected failed, got ${result.kind}`);
  return result;
}

describe("fetchFeed: formats and encodings", () => {
  it("reads RSS 2.0 and sends the feed-reader headers", async () => {
    const url = server.feed("/gazeta/ru/rss/", "gazeta-ru.xml");
    const result = expectOk(await fetchFeed(feedAt(url), {}, OPTIONS));
    expect(result).toMatchObject({ format: "rss2", encoding: "utf-8", cache: {} });
    expect(result.items).toHaveLength(4);
    expect(result.items[0]?.title).toBe(
      "Узбекистан и Казахстан договорились запустить «зелёный коридор» для грузов",
    );
    const seen = server.lastRequest("/gazeta/ru/rss/");
    expect(seen?.headers["user-agent"]).toBe(USER_AGENT);
    expect(seen?.headers.accept).toBe(FEED_ACCEPT);
    expect(seen?.headers["if-none-match"]).toBeUndefined();
  });

  it.each([
    ["Atom", "atom-en.xml", "atom", 3],
    ["RSS 1.0 / RDF", "rdf-uz-cyrl.xml", "rdf", 2],
    ["WordPress", "timesca-wordpress.xml", "rss2", 2],
    ["Kun.uz with categories", "kun-uz.xml", "rss2", 4],
  ])("reads %s", async (_name, file, format, count) => {
    const url = server.feed(`/formats/${file}`, file, { contentType: "application/xml" });
    const result = expectOk(await fetchFeed(feedAt(url), {}, OPTIONS));
    expect(result.format).toBe(format);
    expect(result.items).toHaveLength(count);
  });

  it("reads windows-1251 declared only in the prolog, despite a Content-Type without charset", async () => {
    const url = server.feed("/tengri/news.rss", "tengrinews-cp1251.utf8.xml", {
      encoding: "windows-1251",
      contentType: "application/rss+xml",
    });
    const result = expectOk(await fetchFeed(feedAt(url), {}, OPTIONS));
    expect(result.encoding).toBe("windows-1251");
    expect(result.items[0]?.title).toContain("Казахстан и Узбекистан создадут");
  });

  it("reads KOI8-R", async () => {
    const url = server.feed("/koi8/rss", "old-site-koi8r.utf8.xml", { encoding: "koi8-r" });
    const result = expectOk(await fetchFeed(feedAt(url), {}, OPTIONS));
    expect(result.encoding).toBe("koi8-r");
    expect(result.items[0]?.title).toBe("Делегация Узбекистана прибыла в Астану");
  });

  it("repairs a feed with a stray '&' and HTML entities, and reports the repairs", async () => {
    const url = server.feed("/kun/ru/rss", "kun-ru-broken.xml");
    const result = expectOk(await fetchFeed(feedAt(url), {}, OPTIONS));
    expect(result.items).toHaveLength(2);
    expect(result.warnings?.join("; ")).toMatch(/stray '&'/);
  });

  it("does not trust a date in the future", async () => {
    const url = server.feed("/dates/rss", "dates.xml");
    const result = expectOk(await fetchFeed(feedAt(url), {}, OPTIONS));
    expect(result.items.find((i) => i.title === "From the future")).toMatchObject({
      published: NOW.toISOString(),
      publishedEstimated: true,
    });
  });
});

describe("fetchFeed: conditional GET", () => {
  it("sends the ETag back and gets a 304 without parsing", async () => {
    const url = server.feed("/cond/etag", "gazeta-ru.xml", { etag: '"v1"' });
    const first = expectOk(await fetchFeed(feedAt(url), {}, OPTIONS));
    expect(first.cache).toEqual({ etag: '"v1"' });
    const second = await fetchFeed(feedAt(url), first.cache, OPTIONS);
    expect(second).toEqual({ kind: "not-modified" });
    expect(server.lastRequest("/cond/etag")?.headers["if-none-match"]).toBe('"v1"');
    expect(server.requestCount("/cond/etag")).toBe(2);
  });

  it("uses Last-Modified when there is no ETag", async () => {
    const lastModified = "Wed, 01 Apr 2026 11:00:00 GMT";
    const url = server.feed("/cond/lm", "kun-uz.xml", { lastModified });
    const first = expectOk(await fetchFeed(feedAt(url), {}, OPTIONS));
    expect(first.cache).toEqual({ lastModified });
    expect(await fetchFeed(feedAt(url), first.cache, OPTIONS)).toEqual({ kind: "not-modified" });
    expect(server.lastRequest("/cond/lm")?.headers["if-modified-since"]).toBe(lastModified);
  });

  it("reads the feed again when the ETag has changed", async () => {
    const url = server.feed("/cond/changed", "kun-uz.xml", { etag: '"v2"' });
    const result = expectOk(await fetchFeed(feedAt(url), { etag: '"v1"' }, OPTIONS));
    expect(result.cache.etag).toBe('"v2"');
  });
});

describe("fetchFeed: failures are values with a reason", () => {
  it("times out on a slow feed", async () => {
    const url = server.feed("/slow", "kun-uz.xml", { delayMs: 3000 });
    const result = expectFailed(await fetchFeed(feedAt(url), {}, { ...OPTIONS, timeoutMs: 200 }));
    expect(result.reason).toMatch(/did not answer in time/);
    expect(result.retryable).toBe(true);
  });

  it("says the site refused the bot on a 403", async () => {
    const url = server.forbidden("/forbidden");
    const result = expectFailed(await fetchFeed(feedAt(url), {}, OPTIONS));
    expect(result).toMatchObject({ status: 403, retryable: false });
    expect(result.reason).toMatch(/^the site refused the bot \(HTTP 403\)/);
  });

  it.each([404, 410])("says the feed is gone on a %i", async (status) => {
    const url = server.route(`/gone-${status}`, { status, body: "no" });
    const result = expectFailed(await fetchFeed(feedAt(url), {}, OPTIONS));
    expect(result).toMatchObject({ status, retryable: false });
    expect(result.reason).toMatch(/not there .*moved/);
  });

  it.each([500, 502, 503])("treats %i as retryable", async (status) => {
    const url = server.route(`/error-${status}`, { status, body: "oops" });
    const result = expectFailed(await fetchFeed(feedAt(url), {}, OPTIONS));
    expect(result).toMatchObject({
      status,
      retryable: true,
      reason: `the site has a server error (HTTP ${status})`,
    });
  });

  it("says an HTML page is not a feed", async () => {
    const url = server.htmlPage("/html", "Attention Required! | Cloudflare");
    const result = expectFailed(await fetchFeed(feedAt(url), {}, OPTIONS));
    expect(result.reason).toBe(
      'the server sent an HTML page titled "Attention Required! | Cloudflare", not a feed: it may block bots or the URL is a web page',
    );
    expect(result).toMatchObject({ status: 200, retryable: false });
  });

  it("says JSON and an empty body are not feeds", async () => {
    const json = server.feed("/json", "not-a-feed.json", { contentType: "application/json" });
    expect(expectFailed(await fetchFeed(feedAt(json), {}, OPTIONS)).reason).toMatch(/sent JSON/);
    const empty = server.route("/empty", { body: "" });
    expect(expectFailed(await fetchFeed(feedAt(empty), {}, OPTIONS)).reason).toMatch(/empty body/);
  });

  it("says a truncated feed is not well-formed XML", async () => {
    const url = server.feed("/truncated", "truncated.xml");
    const result = expectFailed(await fetchFeed(feedAt(url), {}, OPTIONS));
    expect(result.reason).toMatch(/^the feed is not well-formed XML \(/);
    expect(result.retryable).toBe(true);
  });

  it("cuts a 50 MB streamed body at the cap with bounded memory", async () => {
    const url = server.route("/huge", { streamBytes: 50 * 1024 * 1024 });
    const heapBefore = process.memoryUsage().heapUsed;
    const result = expectFailed(await fetchFeed(feedAt(url), {}, OPTIONS));
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    expect(result.reason).toMatch(/larger than the 5 MB limit/);
    expect(result.retryable).toBe(false);
    expect(server.bytesSent("/huge")).toBeLessThan(25 * 1024 * 1024);
    expect(heapGrowth).toBeLessThan(40 * 1024 * 1024);
  });

  it("refuses a declared 50 MB body without reading it", async () => {
    const url = server.route("/huge-declared", { streamBytes: 50 * 1024 * 1024, declareLength: true });
    const result = expectFailed(await fetchFeed(feedAt(url), {}, OPTIONS));
    expect(result.reason).toMatch(/larger than the 5 MB limit/);
    expect(server.bytesSent("/huge-declared")).toBeLessThan(25 * 1024 * 1024);
  });

  it("stops an endless redirect", async () => {
    const url = server.redirectLoop("/loop");
    const result = expectFailed(await fetchFeed(feedAt(url), {}, OPTIONS));
    expect(result.reason).toMatch(/redirects in a loop or too many times/);
    expect(server.requestCount("/loop")).toBeLessThanOrEqual(7);
  });

  it("follows a normal redirect", async () => {
    const target = server.feed("/moved/rss", "kun-uz.xml");
    const url = server.route("/old/rss", { redirectTo: "/moved/rss", status: 301 });
    expect(target).toContain("/moved/rss");
    expect(expectOk(await fetchFeed(feedAt(url), {}, OPTIONS)).items).toHaveLength(4);
  });

  it("defuses an entity bomb", async () => {
    const url = server.feed("/bomb", "billion-laughs.xml");
    const result = await fetchFeed(feedAt(url), {}, OPTIONS);
    const ok = expectOk(result);
    expect(ok.items[0]?.title).toBe("&lol9;");
    expect(ok.warnings?.[0]).toMatch(/removed the DOCTYPE/);
  });

  it("reports a refused connection as retryable", async () => {
    const closed = await FeedServer.start();
    const url = closed.url("/rss");
    await closed.close();
    const result = expectFailed(await fetchFeed(feedAt(url), {}, OPTIONS));
    expect(result.reason).toMatch(/^could not reach the server/);
    expect(result.retryable).toBe(true);
  });

  it("reports a cancelled fetch", async () => {
    const url = server.feed("/slow-cancel", "kun-uz.xml", { delayMs: 2000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const result = expectFailed(await fetchFeed(feedAt(url), {}, { ...OPTIONS, signal: controller.signal }));
    expect(result.reason).toMatch(/cancelled/);
  });

  it("never throws, even for a URL it cannot request", async () => {
    const result = await fetchFeed(feedAt("notaurl"), {}, OPTIONS);
    expect(result.kind).toBe("failed");
  });
});

describe("fetchFeed: a poll cycle's worth", () => {
  it("fetches 100 feeds concurrently (90 unchanged, 10 with 50 items) in well under a second of CPU", async () => {
    const item = (i: number) =>
      `<item><title><![CDATA[Казахстан и Узбекистан &laquo;${i}&raquo;]]></title><link>https://kun.uz/news/${i}?utm_source=rss</link>` +
      `<description><![CDATA[<p>${"Текст &amp;quot;тизера&amp;quot; с&nbsp;разметкой. ".repeat(8)}</p>]]></description>` +
      `<category>Iqtisodiyot</category><pubDate>Wed, 01 Apr 2026 10:00:00 +0500</pubDate></item>`;
    const body = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>x</title>${Array.from({ length: 50 }, (_, i) => item(i)).join("")}</channel></rss>`;
    const feeds: FeedConfig[] = [];
    for (let i = 0; i < 100; i++) {
      feeds.push(feedAt(server.route(`/cycle/${i}`, { body, etag: `"e${i}"` }), `cycle-${i}`));
    }
    const cacheFor = (i: number) => (i < 90 ? { etag: `"e${i}"` } : {});
    // Warm up the code paths once, as a running bot would be.
    await Promise.all(feeds.map((feed, i) => fetchFeed(feed, cacheFor(i), OPTIONS)));

    const cpu = process.cpuUsage();
    const results = await Promise.all(feeds.map((feed, i) => fetchFeed(feed, cacheFor(i), OPTIONS)));
    const used = process.cpuUsage(cpu);
    expect(results.filter((r) => r.kind === "not-modified")).toHaveLength(90);
    const ok = results.filter((r) => r.kind === "ok");
    expect(ok).toHaveLength(10);
    for (const r of ok) expect(r.kind === "ok" && r.items.length).toBe(50);
    // Client and server share this process, so this over-counts the fetching side.
    expect((used.user + used.system) / 1000).toBeLessThan(700);
  });
});
