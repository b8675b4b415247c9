import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STORIES } from "../support/bilateralStories.js";
import { BotHarness } from "../support/botHarness.js";
import { FeedServer } from "../support/feedServer.js";
import { type NewsItem as Item, newsFeed } from "../support/subscriberSteps.js";
import type { SentMessage, TestUser } from "../support/telegramEmulator.js";

const TRADE_RU: Item = {
  ...STORIES.trade,
  minutesAgo: 30,
};
/** The same event as an Uzbek (Latin) outlet tells it: merged into the Russian story. */
const TRADE_UZ: Item = {
  title: "Qozog'iston va O'zbekiston tovar ayirboshlashni 10 mlrd dollarga yetkazishga kelishdi",
  summary: "Ikki davlat bosh vazirlari savdo va eksportni kengaytirish bo'yicha yo'l xaritasini imzoladi.",
  link: "https://outlet-b.test/uz/trade-10bn",
  minutesAgo: 5,
};

const ADMIN = 7900;

/**
 * Story languages end to end: chosen in /settings, then a merged story reaches each reader once,
 * in a language they read, with the other outlets under "also reported by".
 */
describe("story languages", () => {
  let h: BotHarness;
  let feeds: FeedServer;

  beforeAll(async () => {
    feeds = await FeedServer.start();
    feeds.route("/a.xml", { body: newsFeed([]) });
    feeds.route("/b.xml", { body: newsFeed([]) });
    h = await BotHarness.start(
      { POLL_CRON: "*/2 * * * * *", ADMIN_IDS: String(ADMIN) },
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

  const waitForText = (message: SentMessage, pattern: RegExp) =>
    h.telegram.waitFor(() => pattern.test(message.text ?? ""), 8000, `message text ${pattern}`);
  const checked = (message: SentMessage) =>
    (message.reply_markup?.inline_keyboard ?? [])
      .flat()
      .filter((b) => b.text.startsWith("✓"))
      .map((b) => b.text);

  async function subscribe(user: TestUser, doneWord: RegExp, confirmWord: RegExp, noWord: string) {
    const dialogue = await user.ask("/subscribe");
    await user.waitForAnswer(user.press(/📦/, dialogue));
    await user.waitForAnswer(user.press(doneWord, dialogue));
    await h.telegram.waitFor(() => (dialogue.reply_markup?.inline_keyboard?.flat().length ?? 0) === 2);
    await user.waitForAnswer(user.press(noWord, dialogue));
    await h.telegram.waitFor(() => confirmWord.test(JSON.stringify(dialogue.reply_markup ?? {})));
    const summary = dialogue.text ?? "";
    await user.waitForAnswer(user.press(confirmWord, dialogue));
    await h.telegram.waitFor(() => !dialogue.reply_markup);
    return summary;
  }

  /** /settings → Story languages, toggles `labels`, Done; returns the settings message. */
  async function chooseLanguages(user: TestUser, labels: RegExp[]): Promise<SentMessage> {
    const settings = await user.ask("/settings");
    await user.waitForAnswer(user.press(/🗣/, settings));
    await h.telegram.waitFor(() => checked(settings).length === 5, 8000, "the story-language picker");
    for (const label of labels) {
      const before = checked(settings).length;
      await user.waitForAnswer(user.press(label, settings));
      await h.telegram.waitFor(() => checked(settings).length !== before, 8000, `toggle ${label}`);
    }
    await user.waitForAnswer(user.press(/✅/, settings));
    await h.telegram.waitFor(() => /⚙️/.test(settings.text ?? ""), 8000, "the settings again");
    return settings;
  }

  it("the /subscribe summary and /settings show the story languages; the picker keeps at least one", async () => {
    const uzReader = h.telegram.user(7001, { languageCode: "uz" });
    const summary = await subscribe(uzReader, /Tayyor/, /Tasdiqlash/, "Yoʻq");
    expect(summary).toContain("Yangiliklar tillari: barcha tillar");

    // Keep only Uzbek (Latin): untick the four others.
    const settings = await chooseLanguages(uzReader, [/Ruscha/, /Qozoqcha/, /kirill/, /Inglizcha/]);
    expect(settings.text).toContain("Yangiliklar tillari: Oʻzbekcha (lotin)");
    expect(await h.redis.client.hget(`${h.redis.prefix}:profile:7001`, "sl")).toBe("4");

    await uzReader.waitForAnswer(uzReader.press(/🗣/, settings));
    await h.telegram.waitFor(() => checked(settings).length === 1);
    expect(await uzReader.waitForAnswer(uzReader.press(/lotin/, settings))).toEqual({
      text: "Kamida bitta tilni qoldiring.",
      show_alert: true,
    });
    expect(checked(settings)).toEqual(["✓ Oʻzbekcha (lotin)"]);
    await uzReader.waitForAnswer(uzReader.press(/✅/, settings));
    await waitForText(settings, /⚙️/);
  });

  it("a merged story reaches each reader once, in a language they read", async () => {
    const uzReader = h.telegram.user(7001, { languageCode: "uz" });
    const ruReader = h.telegram.user(7002, { languageCode: "en" });
    const everyone = h.telegram.user(7003, { languageCode: "en" });
    await subscribe(ruReader, /Done/, /Confirm/, "No");
    await chooseLanguages(ruReader, [/Kazakh/, /Latin/, /Cyrillic/, /English/]);
    await subscribe(everyone, /Done/, /Confirm/, "No");
    const before = new Map([uzReader, ruReader, everyone].map((u) => [u.id, u.messages().length]));
    const newsTo = (u: TestUser) => u.messages().slice(before.get(u.id));

    feeds.route("/a.xml", { body: newsFeed([TRADE_RU]) });
    await h.telegram.waitFor(() => newsTo(everyone).length === 1, 20_000, "the Russian story");
    await h.telegram.waitFor(() => newsTo(ruReader).length === 1, 10_000, "the Russian story (ru reader)");
    // The Uzbek-only reader does not read Russian: nothing yet.
    expect(newsTo(uzReader)).toEqual([]);

    feeds.route("/b.xml", { body: newsFeed([TRADE_UZ]) });
    await h.telegram.waitFor(() => newsTo(uzReader).length === 1, 20_000, "the Uzbek telling");
    // More cycles: nobody gets the event a second time.
    await new Promise((r) => setTimeout(r, 4000));

    const uz = newsTo(uzReader)[0]?.text ?? "";
    expect(uz.split("\n")[0]).toBe(`<b><a href="${TRADE_UZ.link}">${TRADE_UZ.title}</a></b>`);
    expect(uz).toContain("Outlet B");
    expect(uz).toMatch(new RegExp(`<a href="${TRADE_RU.link}">Outlet A</a>`));
    expect(newsTo(ruReader).map((m) => m.text?.split("\n")[0])).toEqual([
      `<b><a href="${TRADE_RU.link}">${TRADE_RU.title}</a></b>`,
    ]);
    expect(newsTo(everyone)).toHaveLength(1);
    expect(newsTo(uzReader)).toHaveLength(1);
  });

  it("/stats counts the readers of fewer than all languages, by language", async () => {
    const admin = h.telegram.user(ADMIN, { languageCode: "en" });
    const stats = await admin.ask("/stats");
    expect(stats.text).toContain(
      "<b>Story languages</b> (active, fewer than all): 2 · Russian: 1 · Uzbek (Latin): 1",
    );
  });
});
