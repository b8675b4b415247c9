import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BotHarness } from "../support/botHarness.js";
import { FeedServer } from "../support/feedServer.js";
import { newsFeed, subscribeByDialogue, zoneAtLocalHour } from "../support/subscriberSteps.js";
import type { SentMessage, TestUser } from "../support/telegramEmulator.js";

const TRADE = {
  minutesAgo: 10,
  title: "Казахстан и Узбекистан запустили совместный логистический хаб в Ташкенте",
  summary: "Торговые представительства двух стран открыли хаб для экспорта и транзита грузов.",
  link: "https://outlet-a.test/news/trade-hub",
};

/**
 * Quiet hours, the subscriber's choice end to end: in the night a `silent` chat gets the story at
 * once with disable_notification, a `hold` chat gets nothing until its quiet hours end, and a chat
 * without quiet hours gets it with sound.
 */
describe("quiet hours: silent or held", () => {
  let h: BotHarness;
  let feeds: FeedServer;
  const night = zoneAtLocalHour(2);
  const morning = zoneAtLocalHour(8);
  const profile = (chatId: number) => `${h.redis.prefix}:profile:${chatId}`;

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
  /** The story's sendMessage calls to a chat, with the parameters the bot sent. */
  const storyCalls = (chatId: number) =>
    h.telegram
      .callsOf("sendMessage")
      .filter((c) => Number(c.params.chat_id) === chatId && String(c.params.text).includes(TRADE.title));

  async function openQuietPicker(user: TestUser, settings: SentMessage) {
    await user.waitForAnswer(user.press(/Quiet hours:/, settings));
    await h.telegram.waitFor(
      () => /Quiet hours \(/.test(settings.text ?? ""),
      8000,
      "the quiet-hours picker",
    );
  }

  it("stores the choice, shows it in /settings and in the picker", async () => {
    const silent = h.telegram.user(9601, { languageCode: "en" });
    const holder = h.telegram.user(9602, { languageCode: "en" });
    const awake = h.telegram.user(9603, { languageCode: "en" });
    for (const user of [silent, holder, awake])
      expect(await subscribeByDialogue(h, user, ["All topics"])).toContain("Quiet hours: off");

    // Without quiet hours there is no mode to choose, and a stale mode button changes nothing.
    const awakeSettings = await awake.ask("/settings");
    await openQuietPicker(awake, awakeSettings);
    const labels = (m: SentMessage) => (m.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.text);
    expect(labels(awakeSettings).join(" | ")).not.toMatch(/silently|Hold until/);
    await awake.waitForAnswer(awake.pressData("qh:silent", awakeSettings));
    await h.telegram.waitFor(() => /Quiet hours: off/.test(awakeSettings.text ?? ""), 8000, "the settings");
    expect(await h.redis.client.hexists(profile(9603), "qh")).toBe(0);

    for (const user of [silent, holder]) {
      const settings = await user.ask("/settings");
      await openQuietPicker(user, settings);
      await user.waitForAnswer(user.press("22:00–07:00", settings));
      await h.telegram.waitFor(
        () => /Quiet hours: 22:00–07:00, held until they end/.test(settings.text ?? ""),
        8000,
        "the settings (held, the default)",
      );
      if (user === holder) continue;
      await openQuietPicker(user, settings);
      expect(settings.text).toMatch(/are held/);
      expect(labels(settings)).toContain("• 🌙 Hold until they end •");
      await user.waitForAnswer(user.press(/Send silently/, settings));
      await h.telegram.waitFor(
        () => /Quiet hours: 22:00–07:00, sent silently/.test(settings.text ?? ""),
        8000,
        "the settings (silent)",
      );
      await openQuietPicker(user, settings);
      expect(settings.text).toMatch(/without a notification sound/);
      expect(labels(settings)).toContain("• 🔕 Send silently •");
      // Another span keeps the chosen mode.
      await user.waitForAnswer(user.press("23:00–07:00", settings));
      await h.telegram.waitFor(
        () => /Quiet hours: 23:00–07:00, sent silently/.test(settings.text ?? ""),
        8000,
        "the settings (another span, still silent)",
      );
    }
    expect(await h.redis.client.hget(profile(9601), "qh")).toBe("23-7s");
    expect(await h.redis.client.hget(profile(9602), "qh")).toBe("22-7");
  });

  it("in the night: silent gets the story at once without sound, hold gets nothing yet", async () => {
    feeds.route("/a.xml", { body: newsFeed([TRADE]) });
    await h.telegram.waitFor(() => storyCalls(9603).length > 0, 20_000, "the story (no quiet hours)");
    await h.telegram.waitFor(() => storyCalls(9601).length > 0, 20_000, "the story (silent)");
    await new Promise((r) => setTimeout(r, 1500));

    const [toSilent, ...againSilent] = storyCalls(9601);
    expect(againSilent).toEqual([]);
    expect(toSilent?.params.disable_notification).toBe(true);
    expect(storyCalls(9603).map((c) => c.params.disable_notification)).toEqual([undefined]);

    expect(storyCalls(9602)).toEqual([]);
    expect(await h.redis.client.llen(`${h.redis.prefix}:brief:held:9602`)).toBe(1);
    expect(await h.redis.client.exists(`${h.redis.prefix}:brief:held:9601`)).toBe(0);
  });

  it("when the quiet hours end: the held story arrives for hold, nothing more for silent", async () => {
    const silent = h.telegram.user(9601, { languageCode: "en" });
    const holder = h.telegram.user(9602, { languageCode: "en" });
    h.setEnv({ TIMEZONE: morning });
    await h.restart("graceful");
    await h.telegram.waitFor(() => heldTo(holder).length > 0, 20_000, "the held stories");
    expect(heldTo(holder)[0]?.text).toContain(`<a href="${TRADE.link}">${TRADE.title}</a>`);
    await new Promise((r) => setTimeout(r, 1500));
    expect(heldTo(silent)).toEqual([]);
    expect(storyCalls(9601)).toHaveLength(1);
  });
});
