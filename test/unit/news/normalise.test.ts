import { readFileSync } from "node:fs";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { readFeedBody } from "../../../src/news/fetchFeed.js";
import {
  cleanLink,
  htmlToText,
  type ItemSource,
  itemId,
  normaliseItem,
  normaliseLink,
  parseFeedDate,
  SUMMARY_MAX_CHARS,
  truncate,
} from "../../../src/news/normalise.js";
import { parseFeed, type RawItem } from "../../../src/news/parseFeed.js";
import type { NormalisedItem } from "../../../src/news/types.js";
import { FEED_FIXTURES_DIR } from "../../support/feedServer.js";

const NOW = new Date("2026-04-01T12:00:00Z");
const FEED: ItemSource = {
  id: "test-feed",
  outlet: "Test",
  language: "ru",
  url: "https://news.example.uz/rss/",
};

const fixtureBytes = (name: string, encoding?: string): Buffer => {
  const bytes = readFileSync(`${FEED_FIXTURES_DIR}${name}`);
  return encoding ? iconv.encode(bytes.toString("utf8"), encoding) : bytes;
};

async function itemsOf(name: string, encoding?: string): Promise<NormalisedItem[]> {
  const result = await readFeedBody(FEED, fixtureBytes(name, encoding), null, NOW);
  if (!result.ok) throw new Error(result.reason);
  return result.items;
}

function raw(fields: Partial<RawItem>): RawItem {
  return { categories: [], enclosures: [], media: [], ...fields };
}

describe("fixture feeds, end to end without the network", () => {
  it("Gazeta.uz: CDATA teasers, double-encoded entities, typeless image enclosures, +0500", async () => {
    const items = await itemsOf("gazeta-ru.xml");
    expect(items).toHaveLength(4);
    const [first, second, third, fourth] = items;
    expect(first).toEqual({
      id: "url:https://gazeta.uz/ru/2026/04/01/green-corridor",
      feedId: "test-feed",
      outlet: "Test",
      language: "ru",
      title: "Узбекистан и Казахстан договорились запустить «зелёный коридор» для грузов",
      summary:
        'Правительства двух стран подписали соглашение о "зелёном коридоре" на пункте пропуска «Жибек жолы» — время оформления сократится до 30 минут.',
      link: "https://www.gazeta.uz/ru/2026/04/01/green-corridor/",
      published: "2026-04-01T11:20:00.000Z",
      publishedEstimated: false,
      categories: [],
      imageUrl: "https://www.gazeta.uz/media/img/2026/04/aa11bb22/green_corridor.jpg",
    });
    // An extension followed by a query still marks an image.
    expect(second?.imageUrl).toBe("https://www.gazeta.uz/media/img/2026/04/cc33dd44/trade.png?v=2");
    expect(second?.summary).not.toMatch(/[<>]|&\w+;/);
    expect(third?.link).toBe("https://www.gazeta.uz/ru/2026/04/01/ankhor-park/");
    expect(fourth?.imageUrl).toBeUndefined();
  });

  it("Kun.uz: categories, tracking parameters, a missing guid, Uzbek apostrophes", async () => {
    const items = await itemsOf("kun-uz.xml");
    expect(items.map((i) => i.categories)).toEqual([
      ["Iqtisodiyot"],
      ["Jamiyat"],
      ["Siyosat", "Dunyo"],
      ["Sport"],
    ]);
    expect(items[0]?.link).toBe("https://kun.uz/news/2026/04/01/ozbekiston-va-qozogiston-temir-yol");
    expect(items[0]?.imageUrl).toBe("https://storage.kun.uz/source/11/abc123.jpg");
    expect(items[2]?.id).toBe("url:https://kun.uz/news/2026/04/01/mirziyoyev-toqayev");
    expect(items[2]?.title).toBe(
      "Mirziyoyev Qozog'iston Prezidenti Toqayev bilan telefon orqali suhbatlashdi",
    );
  });

  it("WordPress (Times of Central Asia): content:encoded, media:content, the 'appeared first on' tail", async () => {
    const [withTeaser, fullTextOnly] = await itemsOf("timesca-wordpress.xml");
    expect(withTeaser?.summary).toBe(
      "ASTANA – The energy ministries of Kazakhstan and Uzbekistan signed a road map for a jointly owned hydropower plant, officials said on Wednesday.",
    );
    expect(withTeaser?.imageUrl).toBe("https://timesca.com/wp-content/uploads/2026/04/hydro.jpg");
    expect(withTeaser?.categories).toEqual(["Kazakhstan", "Uzbekistan", "Energy"]);
    // The feed's own permalink guid is the identity; the pretty link was the id before (kept as
    // the legacy id, so an upgrade does not send the story again).
    expect(withTeaser?.id).toBe("url:https://timesca.com?p=123456");
    expect(withTeaser?.legacyId).toBe(
      "url:https://timesca.com/kazakhstan-and-uzbekistan-agree-on-joint-hydropower-plant",
    );
    expect(fullTextOnly?.summary).toBe(
      "BISHKEK – More than a million visitors came in the first quarter, the tourism department said. Most arrived from neighbouring countries.",
    );
    expect(fullTextOnly?.imageUrl).toBe("https://timesca.com/wp-content/uploads/2026/04/bishkek-150x150.jpg");
  });

  it("Atom: html titles, <category term>, relative images, an unreadable date does not sink the feed", async () => {
    const [memo, metro, odd] = await itemsOf("atom-en.xml");
    expect(memo?.title).toBe("Astana and Tashkent sign digital trade memorandum");
    expect(memo?.link).toBe("https://news.example.kz/en/2026/04/01/digital-trade");
    expect(memo?.categories).toEqual(["Economy", "uzbekistan"]);
    expect(memo?.published).toBe("2026-04-01T06:00:00.000Z");
    expect(memo?.id).toBe("guid:test-feed:tag:news.example.kz,2026:entry-5001");
    expect(metro?.summary).toBe("Trains will run every six minutes.");
    expect(metro?.imageUrl).toBe("https://news.example.kz/img/metro.webp");
    expect(metro?.published).toBe("2026-04-01T09:00:00.000Z");
    expect(odd).toMatchObject({ published: NOW.toISOString(), publishedEstimated: true });
  });

  it("RSS 1.0 / RDF in Uzbek Cyrillic with dc:date", async () => {
    const items = await itemsOf("rdf-uz-cyrl.xml");
    expect(items.map((i) => [i.title, i.published])).toEqual([
      ["Ўзбекистон ва Қозоғистон чегарасида янги савдо маркази очилди", "2026-04-01T04:30:00.000Z"],
      ["Самарқандда баҳорги ярмарка бошланди", "2026-04-01T03:00:00.000Z"],
    ]);
  });

  it("windows-1251 with Russian-locale dates and a missing date", async () => {
    const result = await readFeedBody(
      FEED,
      fixtureBytes("tengrinews-cp1251.utf8.xml", "windows-1251"),
      null,
      NOW,
    );
    if (!result.ok) throw new Error(result.reason);
    expect(result.encoding).toBe("windows-1251");
    const [zone, noon, undated] = result.items;
    expect(zone?.title).toBe(
      "Казахстан и Узбекистан создадут совместную индустриальную зону «Центральная Азия»",
    );
    expect(zone?.published).toBe("2026-04-01T10:30:00.000Z");
    expect(noon?.published).toBe("2026-04-01T07:00:00.000Z");
    expect(undated).toMatchObject({ published: NOW.toISOString(), publishedEstimated: true });
  });

  it("KOI8-R", async () => {
    const result = await readFeedBody(FEED, fixtureBytes("old-site-koi8r.utf8.xml", "koi8-r"), null, NOW);
    if (!result.ok) throw new Error(result.reason);
    expect(result.encoding).toBe("koi8-r");
    expect(result.items[0]?.title).toBe("Делегация Узбекистана прибыла в Астану");
    // A bare-number guid is not trusted over the link.
    expect(result.items[0]?.id).toBe("url:https://old-news.example.kz/news/7001.html");
  });

  it("repairs a stray '&', &nbsp; without a DTD and a control character (Kun.uz Russian feed)", async () => {
    const result = await readFeedBody(FEED, fixtureBytes("kun-ru-broken.xml"), null, NOW);
    if (!result.ok) throw new Error(result.reason);
    expect(result.items[0]?.title).toBe("Казахстан & Узбекистан: итоги заседания межправкомиссии");
    expect(result.items[0]?.summary).toBe(
      "Стороны подписали 14 документов — от «зелёной» энергетики до логистики. AT&T тут ни при чём.",
    );
    expect(result.items[1]?.summary).toBe("Центробанк установил курс доллара… © Kun.uz");
    expect(result.warnings.join("; ")).toMatch(/stray '&'.*HTML entity/);
  });

  it("dates: +0500, GMT, missing, future, unparseable; a hash id without guid or link", async () => {
    const items = await itemsOf("dates.xml");
    expect(items.map((i) => [i.title, i.published, i.publishedEstimated])).toEqual([
      ["RFC 822 with +0500", "2026-04-01T10:00:00.000Z", false],
      ["RFC 822 in GMT", "2026-04-01T10:00:00.000Z", false],
      ["Missing date", NOW.toISOString(), true],
      ["From the future", NOW.toISOString(), true],
      ["Unparseable", NOW.toISOString(), true],
      ["No guid, no link", "2026-04-01T03:00:00.000Z", false],
    ]);
    expect(items[5]?.id).toMatch(/^hash:test-feed:[0-9a-f]{20}$/);
    expect(items[5]?.link).toBe("");
  });

  it("the entity bomb parses and expands nothing", async () => {
    const items = await itemsOf("billion-laughs.xml");
    expect(items[0]?.title).toBe("&lol9;");
    expect(items[0]?.summary.length).toBeLessThan(50);
  });

  it("a truncated feed fails with a reason", async () => {
    const result = await readFeedBody(FEED, fixtureBytes("truncated.xml"), null, NOW);
    expect(result).toMatchObject({ ok: false, retryable: true });
    if (!result.ok)
      expect(result.reason).toMatch(/^the feed is not well-formed XML \(.*line \d+.*cut off\)$/);
  });

  it("gives the same items for the same input (pure)", async () => {
    expect(await itemsOf("gazeta-ru.xml")).toEqual(await itemsOf("gazeta-ru.xml"));
  });
});

describe("parseFeed", () => {
  it("recovers the items of a document with a mismatched tag, and says where strict XML broke", async () => {
    const result = await parseFeed(
      '<rss version="2.0"><channel><item><title>x</item><item><title>y</title></item></channel></rss>',
      "rss2",
    );
    if (!result.ok) throw new Error(result.reason);
    expect(result.items.map((i) => i.title)).toEqual(["x", "y"]);
    expect(result.warnings.join("; ")).toMatch(
      /^strict XML rejected the feed \(expected closing tag 'title'.* at line 1, column \d+\); read with the tolerant reader$/,
    );
  });

  it("collects every enclosure, media:group content and Atom category labels", async () => {
    const result = await parseFeed(
      `<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><item><title>t</title>
        <enclosure url="https://a.test/p.mp3" type="audio/mpeg"/><enclosure url="https://a.test/p.jpg"/>
        <media:group><media:content url="https://a.test/g.jpg" type="image/jpeg"/></media:group>
        <category domain="https://a.test/c">Economy</category></item></channel></rss>`,
      "rss2",
    );
    if (!result.ok) throw new Error(result.reason);
    expect(result.items[0]).toMatchObject({
      enclosures: [{ url: "https://a.test/p.mp3", type: "audio/mpeg" }, { url: "https://a.test/p.jpg" }],
      media: [{ url: "https://a.test/g.jpg", type: "image/jpeg" }],
      categories: ["Economy"],
    });
  });
});

describe("htmlToText", () => {
  it.each([
    ["<p>Hello <b>world</b></p>", "Hello world"],
    ["a<script>var x = '<p>';</script>b<style>p{}</style>c", "a b c"],
    ["&amp;quot;Uzbekneftegaz&amp;quot; &amp;amp; partners", '"Uzbekneftegaz" & partners'],
    ["&lt;p&gt;Escaped &lt;i&gt;markup&lt;/i&gt;&lt;/p&gt;", "Escaped markup"],
    ["a&nbsp;b\n\n  c\u00a0d\u200be\u00adf", "a b c def"],
    ["1 < 2 and 3 > 2", "1 < 2 and 3 > 2"],
    ["<!-- hidden -->shown", "shown"],
  ])("%j → %j", (html, text) => {
    expect(htmlToText(html)).toBe(text);
  });
});

describe("truncate", () => {
  it("cuts at a word boundary near the limit and adds an ellipsis", () => {
    const text = "слово ".repeat(200).trim();
    const cut = truncate(text, SUMMARY_MAX_CHARS);
    expect(cut.length).toBeLessThanOrEqual(SUMMARY_MAX_CHARS + 1);
    expect(cut.length).toBeGreaterThan(SUMMARY_MAX_CHARS * 0.9);
    expect(cut.endsWith("слово…")).toBe(true);
  });

  it("never splits an emoji", () => {
    const cut = truncate(`${"a".repeat(9)}😀😀`, 10);
    expect(cut).toBe(`${"a".repeat(9)}…`);
  });

  it("keeps short text as it is", () => {
    expect(truncate("short", 600)).toBe("short");
  });
});

describe("links", () => {
  it.each([
    [
      "https://www.gazeta.uz/ru/2026/04/01/x/?utm_source=rss&utm_medium=feed",
      "https://gazeta.uz/ru/2026/04/01/x",
    ],
    ["http://Kun.UZ/news/1?b=2&fbclid=1&a=1#comments", "https://kun.uz/news/1?a=1&b=2"],
    ["https://daryo.uz/?gclid=1&yclid=2&ysclid=3&_openstat=4", "https://daryo.uz"],
    ["https://uza.uz:443/ru/posts/1", "https://uza.uz/ru/posts/1"],
    ["https://example.test:8080/a/", "https://example.test:8080/a"],
  ])("normaliseLink(%s) → %s", (input, expected) => {
    expect(normaliseLink(input)).toBe(expected);
  });

  it("resolves relative links and rejects what is not http(s)", () => {
    expect(normaliseLink("/ru/news/1", "https://www.spot.uz/ru/rss/")).toBe("https://spot.uz/ru/news/1");
    expect(normaliseLink("mailto:a@b.c")).toBeUndefined();
    expect(normaliseLink("not a url")).toBeUndefined();
  });

  it("undoes double-encoded '&amp;' in links without reading parameters as entities", () => {
    const item = normaliseItem(raw({ title: "t", link: "https://a.test/x?a=1&amp;copy=2&reg=3" }), FEED, NOW);
    expect(item?.link).toBe("https://a.test/x?a=1&copy=2&reg=3");
  });

  it("cleanLink drops tracking and the fragment but keeps the scheme and host as published", () => {
    expect(cleanLink("http://www.uzdaily.uz/en/post/1?utm_campaign=x&id=5#top")).toBe(
      "http://www.uzdaily.uz/en/post/1?id=5",
    );
  });
});

describe("itemId", () => {
  it("keeps an opaque guid, scoped to the feed", () => {
    expect(itemId("urn:uuid:1234", "https://a.test/x", "feed-a", "t", "s")).toBe("guid:feed-a:urn:uuid:1234");
  });

  it("prefers a permalink guid, fragment included, to the link; a bare number loses to the link", () => {
    expect(itemId("https://a.test/?p=5", "https://a.test/x", "feed-a", "t", "s")).toBe(
      "url:https://a.test?p=5",
    );
    expect(itemId("http://scripting.com/2002/09/29.html#When:3:59:01PM", undefined, "f", "t", "s")).toBe(
      "url:https://scripting.com/2002/09/29.html#When:3:59:01PM",
    );
    expect(itemId("17", "https://a.test/x", "feed-a", "t", "s")).toBe("url:https://a.test/x");
  });

  it("falls back to a URL guid, then a bare-number guid, then a hash", () => {
    expect(itemId("https://www.a.test/x/", undefined, "f", "t", "s")).toBe("url:https://a.test/x");
    expect(itemId("17", undefined, "f", "t", "s")).toBe("guid:f:17");
    const hash = itemId(undefined, undefined, "f", "title", "summary");
    expect(hash).toBe(itemId(undefined, undefined, "f", "title", "summary"));
    expect(hash).not.toBe(itemId(undefined, undefined, "f", "title", "other summary"));
  });

  it("gives the same id to the same article in two feeds when it is a link", () => {
    const a = normaliseItem(
      raw({ title: "x", link: "https://www.gazeta.uz/ru/a/?utm_source=tg" }),
      FEED,
      NOW,
    );
    const b = normaliseItem(
      raw({ title: "y", link: "http://gazeta.uz/ru/a" }),
      { ...FEED, id: "other-feed", url: "https://other.test/" },
      NOW,
    );
    expect(a?.id).toBe(b?.id);
  });
});

describe("parseFeedDate", () => {
  it.each([
    ["Wed, 01 Apr 2026 15:00:00 +0500", "2026-04-01T10:00:00.000Z"],
    ["Wed, 01 Apr 2026 10:00:00 GMT", "2026-04-01T10:00:00.000Z"],
    ["Wed, 1 Apr 2026 10:00:00 UT", "2026-04-01T10:00:00.000Z"],
    ["Wed, 01 Apr 2026 13:00:00 MSK", "2026-04-01T10:00:00.000Z"],
    ["Wed, 01 Apr 2026 06:00:00 EDT", "2026-04-01T10:00:00.000Z"],
    ["Wed, 01 Apr 2026 15:00:00 +05:00", "2026-04-01T10:00:00.000Z"],
    ["Wed, 01 Apr 26 15:00 +0500", "2026-04-01T10:00:00.000Z"],
    ["Wed, 01 Apr 2026 15:00:00", "2026-04-01T10:00:00.000Z"],
    ["2026-04-01T10:00:00Z", "2026-04-01T10:00:00.000Z"],
    ["2026-04-01T15:00:00.123+05:00", "2026-04-01T10:00:00.000Z"],
    ["2026-04-01 15:00:00", "2026-04-01T10:00:00.000Z"],
    ["Ср, 01 апр 2026 15:00:00 +0500", "2026-04-01T10:00:00.000Z"],
    ["1 апреля 2026 15:00", "2026-04-01T10:00:00.000Z"],
    ["01 мая 2026 15:00", "2026-05-01T10:00:00.000Z"],
    ["1 aprel 2026 15:00", "2026-04-01T10:00:00.000Z"],
    ["1 сәуір 2026 15:00", "2026-04-01T10:00:00.000Z"],
    ["01.04.2026 15:00", "2026-04-01T10:00:00.000Z"],
    ["  Wed, 01 Apr 2026 15:00:00 +0500\n", "2026-04-01T10:00:00.000Z"],
  ])("%j → %s", (text, iso) => {
    expect(parseFeedDate(text)?.toISOString()).toBe(iso);
  });

  it.each([
    "",
    "вчера",
    "31 Apr 2026 10:00 +0500",
    "0001-01-01T00:00:00Z",
    "2026-13-01",
    "Wed, 01 Foo 2026 10:00",
  ])("rejects %j", (text) => {
    expect(parseFeedDate(text)).toBeUndefined();
  });
});

describe("normaliseItem", () => {
  it("trusts a date a few minutes ahead but not one further in the future", () => {
    const soon = normaliseItem(raw({ title: "t", published: "2026-04-01T12:05:00Z" }), FEED, NOW);
    expect(soon).toMatchObject({ published: "2026-04-01T12:05:00.000Z", publishedEstimated: false });
    const later = normaliseItem(raw({ title: "t", published: "2026-04-01T12:11:00Z" }), FEED, NOW);
    expect(later).toMatchObject({ published: NOW.toISOString(), publishedEstimated: true });
  });

  it("makes a title from the summary when there is none, and skips empty items", () => {
    const item = normaliseItem(
      raw({ description: "<p>Only a teaser here.</p>", link: "https://a.test/1" }),
      FEED,
      NOW,
    );
    expect(item?.title).toBe("Only a teaser here.");
    expect(item?.summary).toBe("");
    expect(normaliseItem(raw({ description: "   " }), FEED, NOW)).toBeUndefined();
  });

  it("cuts a long full-text description to about 600 characters", () => {
    const item = normaliseItem(
      raw({ title: "t", description: `<p>${"Полный текст статьи. ".repeat(200)}</p>` }),
      FEED,
      NOW,
    );
    expect(item?.summary.length).toBeLessThanOrEqual(SUMMARY_MAX_CHARS + 1);
    expect(item?.summary.endsWith("…")).toBe(true);
  });

  it("picks an image: typed enclosure over audio, typeless by extension, media, then the first <img>", () => {
    const pick = (fields: Partial<RawItem>) =>
      normaliseItem(raw({ title: "t", ...fields }), FEED, NOW)?.imageUrl;
    expect(
      pick({
        enclosures: [{ url: "https://a.test/a.mp3", type: "audio/mpeg" }, { url: "https://a.test/b" }],
      }),
    ).toBeUndefined();
    expect(pick({ enclosures: [{ url: "https://a.test/b.JPG?w=800" }] })).toBe("https://a.test/b.JPG?w=800");
    expect(pick({ enclosures: [{ url: "https://a.test/b", type: "image/png" }] })).toBe("https://a.test/b");
    expect(pick({ media: [{ url: "https://a.test/v.mp4" }, { url: "https://a.test/m/123" }] })).toBe(
      "https://a.test/m/123",
    );
    expect(pick({ media: [{ url: "https://a.test/v", medium: "video" }] })).toBeUndefined();
    expect(pick({ content: '<p>x</p><img class="a" src="//cdn.a.test/i.png" alt="">' })).toBe(
      "https://cdn.a.test/i.png",
    );
    expect(pick({ description: "<img src='data:image/gif;base64,R0lGOD'>" })).toBeUndefined();
  });

  it("cleans and de-duplicates categories", () => {
    const item = normaliseItem(
      raw({ title: "t", categories: ["Economy &amp; Finance", " economy & finance ", "", "World"] }),
      FEED,
      NOW,
    );
    expect(item?.categories).toEqual(["Economy & Finance", "World"]);
  });
});
