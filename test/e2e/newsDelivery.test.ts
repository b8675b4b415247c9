import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BotHarness } from "../support/botHarness.js";
import { FeedServer } from "../support/feedServer.js";
import { rssFeed } from "../support/rssFeed.js";
import type { TestUser } from "../support/telegramEmulator.js";

type Item = { title: string; summary: string; link: string; minutesAgo: number };

function rss(items: Item[]): string {
  const now = Date.now();
  return rssFeed(
    "Test outlet",
    items.map((item) => ({
      title: item.title,
      link: item.link,
      description: `<![CDATA[<p>${item.summary}</p>]]>`,
      published: new Date(now - item.minutesAgo * 60_000),
    })),
  );
}

const TRADE: Item = {
  title: "Казахстан и Узбекистан договорились довести товарооборот до 10 млрд долларов",
  summary: "Премьер-министры двух стран подписали дорожную карту по расширению торговли и экспорта.",
  link: "https://outlet-a.test/news/trade-10bn",
  minutesAgo: 30,
};
const CULTURE: Item = {
  title: "В Ташкенте открылись Дни культуры Казахстана",
  summary: "Казахстанские артисты выступят в столице Узбекистана с концертами и выставками.",
  link: "https://outlet-a.test/news/culture-days",
  minutesAgo: 20,
};
const OTHER: Item = {
  title: "Казахстан и Китай обсудили строительство новой железной дороги",
  summary: "Стороны рассмотрели проект в рамках визита делегации в Пекин.",
  link: "https://outlet-a.test/news/kz-cn-rail",
  minutesAgo: 10,
};
/** The trade story as another outlet tells it: recognised as the same event. */
const TRADE_AGAIN: Item = {
  title: "Qozog'iston va O'zbekiston tovar ayirboshlashni 10 mlrd dollarga yetkazishga kelishdi",
  summary: "Ikki davlat bosh vazirlari savdo va eksportni kengaytirish bo'yicha yo'l xaritasini imzoladi.",
  link: "https://outlet-b.test/uz/trade-10bn",
  minutesAgo: 5,
};

/**
 * The product end to end: feeds polled by the real bot, stories filtered and tagged, then
 * delivered through the queue to exactly the subscribers whose topics match.
 */
describe("news from feeds to subscribers", () => {
  let h: BotHarness;
  let feeds: FeedServer;

  beforeAll(async () => {
    feeds = await FeedServer.start();
    feeds.route("/a.xml", { body: rss([]) });
    feeds.route("/b.xml", { body: rss([]) });
    h = await BotHarness.start(
      { POLL_CRON: "*/2 * * * * *" },
      {
        feeds: [
          { id: "outlet-a", url: feeds.url("/a.xml"), outlet: "Outlet A", language: "ru" },
          { id: "outlet-b", url: feeds.url("/b.xml"), outlet: "Outlet B", language: "uz-Latn" },
        ],
      },
    );
  });
  afterAll(async () => {
    await h?.close();
    await feeds?.close();
  });

  async function subscribe(user: TestUser, topicLabels: RegExp[]) {
    const dialogue = await user.ask("/subscribe");
    for (const label of topicLabels) await user.waitForAnswer(user.press(label, dialogue));
    await user.waitForAnswer(user.press(/Done/, dialogue));
    await h.telegram.waitFor(() => /Step 2/.test(dialogue.text ?? ""));
    await user.waitForAnswer(user.press("No", dialogue));
    await h.telegram.waitFor(() => /Step 3/.test(dialogue.text ?? ""));
    await user.waitForAnswer(user.press(/Confirm/, dialogue));
    await h.telegram.waitFor(() => /subscribed/.test(dialogue.text ?? ""));
  }

  it("sends each matching story once, with also-reported-by, to the right subscribers", async () => {
    const trader = h.telegram.user(5001, { languageCode: "en" });
    const artist = h.telegram.user(5002, { languageCode: "en" });
    const everything = h.telegram.user(5003, { languageCode: "en" });
    await subscribe(trader, [/Trade/]);
    await subscribe(artist, [/Culture/]);
    await subscribe(everything, [/All topics/]);
    const before = new Map([trader, artist, everything].map((u) => [u.id, u.messages().length]));

    feeds.route("/a.xml", { body: rss([TRADE, CULTURE, OTHER]) });
    await h.telegram.waitFor(
      () => everything.messages().length >= (before.get(5003) ?? 0) + 2,
      20_000,
      "two stories to the all-topics subscriber",
    );
    feeds.route("/b.xml", { body: rss([TRADE_AGAIN]) });
    // Several more cycles: re-polling must not send anything again.
    await new Promise((r) => setTimeout(r, 5000));

    const newsTo = (u: TestUser) => u.messages().slice(before.get(u.id));
    expect(newsTo(trader).map((m) => m.text?.split("\n")[0])).toEqual([
      `<b><a href="${TRADE.link}">${TRADE.title}</a></b>`,
    ]);
    expect(newsTo(artist).map((m) => m.text?.split("\n")[0])).toEqual([
      `<b><a href="${CULTURE.link}">${CULTURE.title}</a></b>`,
    ]);
    expect(newsTo(everything)).toHaveLength(2);
    // No third-country story reached anyone.
    for (const u of [trader, artist, everything]) {
      expect(newsTo(u).some((m) => m.text?.includes("Китай"))).toBe(false);
    }
    const trade = newsTo(trader)[0]?.text ?? "";
    expect(trade).toContain("Outlet A");
    expect(trade).toContain("#trade");
    // The Uzbek retelling was recognised as the same event: not sent, recorded on the story.
    const alsoKeys = await h.redis.client.keys(`${h.redis.prefix}:story:*:also`);
    const also = (await Promise.all(alsoKeys.map((k) => h.redis.client.lrange(k, 0, -1)))).flat().join("\n");
    expect(also).toContain("Outlet B");
  });

  it("shows the stored stories on /latest", async () => {
    const trader = h.telegram.user(5001, { languageCode: "en" });
    const latest = await trader.ask("/latest");
    expect(latest.text).toContain("The latest stories on your topics");
    expect(latest.text).toContain(TRADE.title);
    expect(latest.text).not.toContain(CULTURE.title);
  });
});
