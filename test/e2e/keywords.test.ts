import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BotHarness } from "../support/botHarness.js";
import { FeedServer } from "../support/feedServer.js";
import { type NewsItem as Item, newsFeed, subscribeByDialogue } from "../support/subscriberSteps.js";
import type { TestUser } from "../support/telegramEmulator.js";

/** A trade story that names the keyword in another form (Ташкенте). */
const IN_TASHKENT: Item = {
  title: "В Ташкенте Казахстан и Узбекистан договорились довести товарооборот до 10 млрд долларов",
  summary: "Премьер-министры двух стран подписали дорожную карту по расширению торговли и экспорта.",
  link: "https://outlet-a.test/news/trade-tashkent",
  minutesAgo: 20,
};
/** A trade story that does not. */
const ELSEWHERE: Item = {
  title: "Казахстан и Узбекистан запустят новый грузовой железнодорожный маршрут через Сарыагаш",
  summary: "Перевозчики двух стран согласовали тарифы и расписание контейнерных поездов.",
  link: "https://outlet-a.test/news/rail-route",
  minutesAgo: 10,
};

const ADMIN = 8900;

/** Own keywords end to end: chosen in a dialogue or with /keywords, then matched on real feeds. */
describe("own keywords", () => {
  let h: BotHarness;
  let feeds: FeedServer;

  beforeAll(async () => {
    feeds = await FeedServer.start();
    feeds.route("/a.xml", { body: newsFeed([]) });
    h = await BotHarness.start(
      { POLL_CRON: "*/2 * * * * *", ADMIN_IDS: String(ADMIN) },
      { feeds: [{ id: "outlet-a", url: feeds.url("/a.xml"), outlet: "Outlet A", language: "ru" }] },
    );
  });
  afterAll(async () => {
    await h?.close();
    await feeds?.close();
  });

  const profile = (chatId: number) => h.redis.client.hgetall(`${h.redis.prefix}:profile:${chatId}`);

  const subscribe = (user: TestUser, topic: RegExp) => subscribeByDialogue(h, user, [topic]);

  it("the dialogue validates the list, says why an entry is refused, and shows the words as understood", async () => {
    const user = h.telegram.user(8001, { languageCode: "en" });
    const summary = await subscribe(user, /Culture/);
    expect(summary).toContain("Own keywords: none");

    const settings = await user.ask("/settings");
    await user.waitForAnswer(user.press(/Keywords/, settings));
    const prompt = await user.waitForMessage({ after: user.messages().indexOf(settings) + 1 });
    expect(prompt.text).toContain("Your keywords");
    expect(prompt.text).toContain("none");

    const refused = await user.ask("газ*, (a|b)");
    expect(refused.text).toContain("None of these can be used as a keyword");
    expect(refused.text).toContain(
      "✗ «газ*»: only letters, digits, spaces, hyphens, dots and apostrophes are allowed",
    );

    const saved = await user.ask("Ташкент, Рогунская ГЭС, <script>");
    expect(saved.text).toContain("Keywords saved");
    expect(saved.text).toContain("• ташкент…");
    expect(saved.text).toContain("• рогунск… гэс");
    expect(saved.text).toContain("✗ «&lt;script&gt;»");
    expect((await profile(8001)).kw).toBe("ташкент\nрогунская гэс");

    // The dialogue is over: text is plain text again.
    expect((await user.ask("hello")).text).not.toContain("Keywords saved");
    expect((await user.ask("/settings")).text).toContain("Own keywords: ташкент…, рогунск… гэс");
  });

  it("a story that mentions a keyword arrives outside the topics, marked; others do not", async () => {
    const keywordUser = h.telegram.user(8001, { languageCode: "en" });
    const plain = h.telegram.user(8002, { languageCode: "en" });
    await subscribe(plain, /Culture/);
    const before = new Map([keywordUser, plain].map((u) => [u.id, u.messages().length]));
    const newsTo = (u: TestUser) => u.messages().slice(before.get(u.id));

    feeds.route("/a.xml", { body: newsFeed([IN_TASHKENT, ELSEWHERE]) });
    await h.telegram.waitFor(() => newsTo(keywordUser).length >= 1, 20_000, "the keyword story");
    await new Promise((r) => setTimeout(r, 4000));

    // Both stories were accepted: the second simply matches neither topics nor keywords.
    expect(await h.redis.client.zcard(`${h.redis.prefix}:stories`)).toBe(2);
    expect(newsTo(keywordUser)).toHaveLength(1);
    const text = newsTo(keywordUser)[0]?.text ?? "";
    expect(text.split("\n")[0]).toBe("🔑 Your keyword: <b>ташкент</b>");
    expect(text).toContain(`<a href="${IN_TASHKENT.link}">`);
    // Culture only and no keyword: neither trade story.
    expect(newsTo(plain)).toEqual([]);
  });

  it("/keywords with a list sets them at once in a group, for its administrators only", async () => {
    const group = h.telegram.group(-8101, { title: "Keyword group", adminIds: [8102] });
    const admin = h.telegram.user(8102, { languageCode: "en" });
    const member = h.telegram.user(8103, { languageCode: "en" });
    const dialogue = await admin.ask("/subscribe", group);
    await admin.waitForAnswer(admin.press(/Trade/, dialogue, group));
    await admin.waitForAnswer(admin.press(/Done/, dialogue, group));
    await h.telegram.waitFor(() => /Step 2/.test(dialogue.text ?? ""));
    await admin.waitForAnswer(admin.press("No", dialogue, group));
    await h.telegram.waitFor(() => /Step 3/.test(dialogue.text ?? ""));
    await admin.waitForAnswer(admin.press(/Confirm/, dialogue, group));
    await h.telegram.waitFor(() => /subscribed/.test(dialogue.text ?? ""));

    expect((await member.ask("/keywords Хива", group)).text).toBe(
      "Only the group's administrators can change its subscription.",
    );
    const saved = await admin.ask("/keywords Хива, UzAuto Motors", group);
    expect(saved.text).toContain("• хива");
    expect((await profile(-8101)).kw).toBe("хива\nuzauto motors");
  });

  it("/stats counts the chats with keywords and the keywords", async () => {
    const admin = h.telegram.user(ADMIN, { languageCode: "en" });
    expect((await admin.ask("/stats")).text).toContain("<b>Own keywords</b>: 2 chats, 4 keywords");
  });
});
