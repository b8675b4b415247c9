import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STORIES } from "../support/bilateralStories.js";
import { BotHarness } from "../support/botHarness.js";
import { FeedServer } from "../support/feedServer.js";
import { type NewsItem as Item, newsFeed, subscribeByDialogue } from "../support/subscriberSteps.js";
import type { SentMessage, TestUser } from "../support/telegramEmulator.js";

const TRADE: Item = {
  ...STORIES.trade,
  minutesAgo: 30,
};
const CULTURE: Item = {
  ...STORIES.culture,
  minutesAgo: 20,
};

const ZONE = "Asia/Almaty";
const localHour = () =>
  Number(
    new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, hour: "2-digit", hourCycle: "h23" }).format(
      new Date(),
    ),
  );

/**
 * The morning briefing end to end: chosen in /settings, stories held back from instant delivery,
 * then one briefing at its hour (here: the current hour, caught up at start after a restart),
 * with the rates and the stories by topic, and never a second one.
 */
describe("morning briefing", () => {
  let h: BotHarness;
  let feeds: FeedServer;

  beforeAll(async () => {
    feeds = await FeedServer.start();
    feeds.route("/a.xml", { body: newsFeed([]) });
    h = await BotHarness.start(
      { POLL_CRON: "*/2 * * * * *", TIMEZONE: ZONE },
      { feeds: [{ id: "outlet-a", url: feeds.url("/a.xml"), outlet: "Outlet A", language: "ru" }] },
    );
  });
  afterAll(async () => {
    await h?.close();
    await feeds?.close();
  });

  const briefingsTo = (u: TestUser) => u.messages().filter((m) => /Your briefing for/.test(m.text ?? ""));

  const subscribe = (user: TestUser) => subscribeByDialogue(h, user, ["All topics"]);

  const waitForText = (message: SentMessage, pattern: RegExp) =>
    h.telegram.waitFor(() => pattern.test(message.text ?? ""), 8000, `message text ${pattern}`);

  it("chooses the briefing and its hour in /settings, and holds stories back from instant delivery", async () => {
    const reader = h.telegram.user(9001, { languageCode: "en" });
    const instant = h.telegram.user(9002, { languageCode: "en" });
    await subscribe(reader);
    await subscribe(instant);

    const settings = await reader.ask("/settings");
    expect(settings.text).toContain("Delivery: each story as it comes");
    await reader.waitForAnswer(reader.press("📬 Instant", settings));
    await waitForText(settings, /Delivery: a briefing every day at 08:00/);
    const hour = `${String(localHour()).padStart(2, "0")}:00`;
    await reader.waitForAnswer(reader.press(/Briefing at/, settings));
    await waitForText(settings, /Choose the hour/);
    expect(settings.reply_markup?.inline_keyboard?.map((row) => row.length)).toEqual([4, 4, 4, 4, 4, 4, 1]);
    // The current hour may be the default one (08:00 between 03:00 and 04:00 UTC), marked • 08:00 •.
    await reader.waitForAnswer(reader.press(new RegExp(`^(• )?${hour}( •)?$`), settings));
    await waitForText(settings, new RegExp(`Delivery: a briefing every day at ${hour}`));
    expect(await h.redis.client.hget(`${h.redis.prefix}:profile:9001`, "dm")).toBe("b");

    const before = reader.messages().length;
    const instantBefore = instant.messages().length;
    feeds.route("/a.xml", { body: newsFeed([TRADE, CULTURE]) });
    await h.telegram.waitFor(() => instant.messages().length >= instantBefore + 2, 20_000, "instant stories");
    await new Promise((r) => setTimeout(r, 1500));
    // The briefing reader got neither story as it came.
    expect(reader.messages().slice(before)).toEqual([]);
  });

  it("sends the briefing at its hour after a restart, with the rates and the stories by topic, once", async () => {
    const reader = h.telegram.user(9001, { languageCode: "en" });
    await h.restart("graceful");
    await h.telegram.waitFor(() => briefingsTo(reader).length > 0, 20_000, "the briefing");
    const [briefing] = briefingsTo(reader);
    const text = briefing?.text ?? "";
    expect(text).toContain("Official NBK exchange rates");
    expect(text).toContain("<b>📦 Trade</b>");
    expect(text).toContain(`<a href="${TRADE.link}">${TRADE.title}</a> — <i>Outlet A</i>`);
    expect(text).toContain(`<a href="${CULTURE.link}">`);
    expect(text.indexOf("📦 Trade")).toBeLessThan(text.indexOf(CULTURE.title));

    // Another restart (and more poll cycles): the period's briefing is not sent again.
    await h.restart("kill");
    await new Promise((r) => setTimeout(r, 4000));
    expect(briefingsTo(reader)).toHaveLength(1);
  });
});
