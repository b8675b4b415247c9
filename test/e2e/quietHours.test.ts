import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STORIES } from "../support/bilateralStories.js";
import { BotHarness } from "../support/botHarness.js";
import { FeedServer } from "../support/feedServer.js";
import { newsFeed, subscribeByDialogue, zoneAtLocalHour } from "../support/subscriberSteps.js";
import type { TestUser } from "../support/telegramEmulator.js";

const TRADE = {
  minutesAgo: 10,
  ...STORIES.trade,
};

/**
 * Quiet hours end to end: a story in the night is held (no notification at 2 a.m.), and arrives
 * with the others when the quiet hours end, once. The night and the morning are two time zones
 * on either side of a restart.
 */
describe("quiet hours", () => {
  let h: BotHarness;
  let feeds: FeedServer;
  const night = zoneAtLocalHour(2);
  const morning = zoneAtLocalHour(8);

  beforeAll(async () => {
    feeds = await FeedServer.start();
    feeds.route("/a.xml", { body: newsFeed([]) });
    h = await BotHarness.start(
      { POLL_CRON: "*/2 * * * * *", TIMEZONE: night },
      { feeds: [{ id: "outlet-a", url: feeds.url("/a.xml"), outlet: "Outlet A", language: "ru" }] },
    );
  });
  afterAll(async () => {
    await h?.close();
    await feeds?.close();
  });

  const heldTo = (u: TestUser) =>
    u.messages().filter((m) => /While your quiet hours lasted/.test(m.text ?? ""));

  async function subscribe(user: TestUser) {
    expect(await subscribeByDialogue(h, user, ["All topics"])).toContain("Quiet hours: off");
  }

  it("holds a story that comes in the quiet hours", async () => {
    const sleeper = h.telegram.user(9501, { languageCode: "en" });
    const awake = h.telegram.user(9502, { languageCode: "en" });
    await subscribe(sleeper);
    await subscribe(awake);

    const settings = await sleeper.ask("/settings");
    await sleeper.waitForAnswer(sleeper.press(/Quiet hours: off/, settings));
    await h.telegram.waitFor(
      () => /Quiet hours \(/.test(settings.text ?? ""),
      8000,
      "the quiet-hours picker",
    );
    await sleeper.waitForAnswer(sleeper.press("22:00–07:00", settings));
    await h.telegram.waitFor(
      () => /Quiet hours: 22:00–07:00/.test(settings.text ?? ""),
      8000,
      "the settings",
    );
    expect(await h.redis.client.hget(`${h.redis.prefix}:profile:9501`, "qh")).toBe("22-7");

    // The chat's own time zone, picked from the cities, and back to the bot's time.
    await sleeper.waitForAnswer(sleeper.press(/🕰/, settings));
    await h.telegram.waitFor(() => /Choose the time zone/.test(settings.text ?? ""), 8000, "the zone picker");
    await sleeper.waitForAnswer(sleeper.press("Moscow", settings));
    await h.telegram.waitFor(() => /Time zone: Moscow/.test(settings.text ?? ""), 8000, "the settings");
    expect(await h.redis.client.hget(`${h.redis.prefix}:profile:9501`, "tz")).toBe("Europe/Moscow");
    await sleeper.waitForAnswer(sleeper.press(/🕰/, settings));
    await h.telegram.waitFor(() => /Choose the time zone/.test(settings.text ?? ""), 8000, "the zone picker");
    await sleeper.waitForAnswer(sleeper.press("bot's time", settings));
    await h.telegram.waitFor(() => /Time zone: bot's time/.test(settings.text ?? ""), 8000, "the settings");
    expect(await h.redis.client.hexists(`${h.redis.prefix}:profile:9501`, "tz")).toBe(0);

    const before = sleeper.messages().length;
    const awakeBefore = awake.messages().length;
    feeds.route("/a.xml", { body: newsFeed([TRADE]) });
    await h.telegram.waitFor(() => awake.messages().length > awakeBefore, 20_000, "the story (awake reader)");
    await new Promise((r) => setTimeout(r, 1500));
    expect(sleeper.messages().slice(before)).toEqual([]);
    expect(await h.redis.client.llen(`${h.redis.prefix}:brief:held:9501`)).toBe(1);
  });

  it("sends the held stories together when the quiet hours end, once", async () => {
    const sleeper = h.telegram.user(9501, { languageCode: "en" });
    h.setEnv({ TIMEZONE: morning });
    await h.restart("graceful");
    await h.telegram.waitFor(() => heldTo(sleeper).length > 0, 20_000, "the held stories");
    const text = heldTo(sleeper)[0]?.text ?? "";
    expect(text).toContain("<b>📦 Trade</b>");
    expect(text).toContain(`<a href="${TRADE.link}">${TRADE.title}</a>`);
    expect(await h.redis.client.exists(`${h.redis.prefix}:brief:held:9501`)).toBe(0);

    await h.restart("kill");
    await new Promise((r) => setTimeout(r, 3000));
    expect(heldTo(sleeper)).toHaveLength(1);
  });
});
