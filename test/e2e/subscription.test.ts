import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BotHarness } from "../support/botHarness.js";
import type { SentMessage, TestUser } from "../support/telegramEmulator.js";

/** The subscription dialogues, driven by pressing buttons in the emulator. */
describe("subscriptions through conversations", () => {
  let h: BotHarness;

  beforeAll(async () => {
    h = await BotHarness.start();
  });
  afterAll(async () => h?.close());

  const profile = (chatId: number) => h.redis.client.hgetall(`${h.redis.prefix}:profile:${chatId}`);
  const isSubscriber = async (chatId: number) =>
    (await h.redis.client.sismember(`${h.redis.prefix}:subscribers`, chatId)) === 1;

  /** Presses a button and waits until the bot has answered the press. */
  async function press(user: TestUser, label: string | RegExp, message?: SentMessage) {
    const id = user.press(label, message);
    return user.waitForAnswer(id);
  }

  async function waitForText(message: SentMessage, pattern: RegExp) {
    await h.telegram.waitFor(() => pattern.test(message.text ?? ""), 8000, `message text ${pattern}`);
  }

  it("/subscribe: pick topics by toggling one message, choose rates, confirm", async () => {
    const user = h.telegram.user(2001, { languageCode: "en" });
    const dialogue = await user.ask("/subscribe");
    expect(dialogue.text).toContain("Step 1 of 3");

    await press(user, /Trade/, dialogue);
    await h.telegram.waitFor(() =>
      dialogue.reply_markup?.inline_keyboard?.flat().some((b) => b.text.startsWith("✓ 📦")),
    );
    await press(user, /Energy/, dialogue);
    await h.telegram.waitFor(() =>
      dialogue.reply_markup?.inline_keyboard?.flat().some((b) => b.text.startsWith("✓ ⚡")),
    );
    await press(user, /Trade/, dialogue); // toggled off again
    await h.telegram.waitFor(
      () => !dialogue.reply_markup?.inline_keyboard?.flat().some((b) => b.text.startsWith("✓ 📦")),
    );
    await press(user, /Water/, dialogue);

    // Toggling edited the same message: the dialogue so far is one message.
    expect(user.messages().filter((m) => m.message_id >= dialogue.message_id)).toHaveLength(1);

    await press(user, "✅ Done", dialogue);
    await waitForText(dialogue, /Step 2 of 3/);
    await press(user, "Yes", dialogue);
    await waitForText(dialogue, /Step 3 of 3/);
    expect(dialogue.text).toContain("⚡ Energy, 💧 Water &amp; environment");
    expect(dialogue.text).toContain("yes, at 09:00");
    expect(await isSubscriber(2001)).toBe(false); // nothing stored before Confirm

    await press(user, /Confirm/, dialogue);
    await waitForText(dialogue, /You are subscribed/);
    expect(dialogue.text).toContain("Every day at 09:00");
    expect(await isSubscriber(2001)).toBe(true);
    expect(await profile(2001)).toMatchObject({ lang: "en", s: "active", r: "1", k: "private" });
  });

  it("refuses Done with no topic, with an alert", async () => {
    const user = h.telegram.user(2002, { languageCode: "ru" });
    const dialogue = await user.ask("/subscribe");
    const answer = await press(user, "✅ Готово", dialogue);
    expect(answer).toEqual({ text: "Выберите хотя бы одну тему.", show_alert: true });
    await user.ask("/cancel");
  });

  it("continues a half-done /subscribe after a restart", async () => {
    const user = h.telegram.user(2003, { languageCode: "kk" });
    const dialogue = await user.ask("/subscribe");
    await press(user, "Барлық тақырыптар", dialogue);
    await press(user, "✅ Дайын", dialogue);
    await waitForText(dialogue, /3 қадамның 2-сі/);

    // A deploy: SIGTERM, a new process; the dialogue state is in Redis.
    await h.restart("graceful");

    await press(user, "Жоқ", dialogue);
    await waitForText(dialogue, /3 қадамның 3-і/);
    expect(dialogue.text).toContain("Барлық тақырыптар");
    await press(user, /Растау/, dialogue);
    await waitForText(dialogue, /Сіз жазылдыңыз/);
    expect(await profile(2003)).toMatchObject({ s: "active", r: "0", lang: "kk" });
  });

  it("answers text and stale or forged presses during a dialogue, and /cancel leaves it", async () => {
    const user = h.telegram.user(2004, { languageCode: "en" });
    const first = await user.ask("/subscribe");
    const hint = await user.ask("trade please");
    expect(hint.text).toBe("Please use the buttons above, or send /cancel to stop.");

    // A second /subscribe replaces the first dialogue: the old message's buttons are stale.
    const second = await user.ask("/subscribe");
    expect(second.message_id).not.toBe(first.message_id);
    expect(await press(user, /Trade/, first)).toEqual({ text: "This button is no longer active." });
    expect(await user.waitForAnswer(user.pressData("tp:99", second))).toEqual({
      text: "This button is no longer active.",
    });

    const cancelled = await user.ask("/cancel");
    expect(cancelled.text).toBe("Cancelled. Nothing was changed.");
    expect(await press(user, /Trade/, second)).toEqual({ text: "This button is no longer active." });
    expect((await user.ask("/cancel")).text).toBe("There is nothing to cancel.");
    expect(await isSubscriber(2004)).toBe(false);
  });

  it("/topics changes the topics; /settings shows and edits the profile", async () => {
    const user = h.telegram.user(2001, { languageCode: "en" });
    const picker = await user.ask("/topics");
    expect(picker.text).toContain("Choose your topics");
    // The current choice is pre-selected.
    expect(picker.reply_markup?.inline_keyboard?.flat().filter((b) => b.text.startsWith("✓")).length).toBe(2);
    await press(user, /Tourism/, picker);
    await press(user, "✅ Done", picker);
    await waitForText(picker, /Topics saved/);
    expect(picker.text).toContain("⚡ Energy, 💧 Water &amp; environment, 🧳 Tourism");

    const settings = await user.ask("/settings");
    expect(settings.text).toContain("Status: active");
    expect(settings.text).toContain("Daily rates: yes, at 09:00");
    await press(user, /Daily rates: on/, settings);
    await waitForText(settings, /Daily rates: no/);
    await press(user, /Rates at 09:00/, settings);
    await h.telegram.waitFor(() =>
      settings.reply_markup?.inline_keyboard?.flat().some((b) => b.text.includes("12:00")),
    );
    expect(await profile(2001)).toMatchObject({ r: "0", rt: "12:00" });
  });

  it("/unsubscribe asks first, then stops everything; /subscribe brings it back", async () => {
    const user = h.telegram.user(2001, { languageCode: "en" });
    const ask = await user.ask("/unsubscribe");
    await press(user, "No, keep", ask);
    await waitForText(ask, /Nothing changed/);
    expect(await isSubscriber(2001)).toBe(true);

    const again = await user.ask("/unsubscribe");
    await press(user, "Yes, stop", again);
    await waitForText(again, /You are unsubscribed/);
    expect(await isSubscriber(2001)).toBe(false);
    expect((await profile(2001)).s).toBe("paused");
    // /start does not undo a deliberate unsubscribe.
    await user.ask("/start");
    expect(await isSubscriber(2001)).toBe(false);
  });

  it("pauses a chat that blocks the bot and resumes it on /start", async () => {
    const user = h.telegram.user(2003, { languageCode: "kk" });
    user.blockBot();
    await expect.poll(() => isSubscriber(2003), { timeout: 5000 }).toBe(false);
    expect((await profile(2003)).s).toBe("blocked");
    user.unblockBot();
    const before = user.messages().length;
    user.send("/start");
    await user.waitForMessage({ after: before + 1 });
    expect(user.messages().at(-1)?.text).toContain("Қайта оралуыңызбен");
    expect(await isSubscriber(2003)).toBe(true);
  });

  it("in a group only administrators may subscribe, and presses by others are refused", async () => {
    const group = h.telegram.group(-3001, { title: "KZ-UZ traders", adminIds: [2101] });
    const admin = h.telegram.user(2101, { languageCode: "ru" });
    const member = h.telegram.user(2102, { languageCode: "ru" });

    const refused = await member.ask("/subscribe", group);
    expect(refused.text).toBe("Менять подписку группы могут только её администраторы.");

    const dialogue = await admin.ask("/subscribe@kzuz_news_bot", group);
    expect(dialogue.text).toContain("Шаг 1 из 3");
    const foreign = member.press(/Торговля/, dialogue, group);
    expect(await member.waitForAnswer(foreign)).toEqual({
      text: "Эти кнопки относятся к диалогу другого человека.",
    });

    const step = async (label: string | RegExp, next: RegExp) => {
      await admin.waitForAnswer(admin.press(label, dialogue, group));
      await waitForText(dialogue, next);
    };
    await admin.waitForAnswer(admin.press(/Торговля/, dialogue, group));
    await step("✅ Готово", /Шаг 2 из 3/);
    await step("Нет", /Шаг 3 из 3/);
    await step(/Подтвердить/, /Вы подписаны/);
    await waitForText(dialogue, /Вы подписаны/);
    expect(await profile(-3001)).toMatchObject({ s: "active", k: "group", r: "0" });

    admin.removeBotFrom(group);
    await expect.poll(() => isSubscriber(-3001), { timeout: 5000 }).toBe(false);
  });
});
