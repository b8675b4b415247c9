import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BotHarness } from "../support/botHarness.js";
import type { SentMessage, TestUser } from "../support/telegramEmulator.js";

/**
 * Dialogues that never get in the way: while /subscribe is open, other messages' buttons work,
 * and double taps never produce a second confirmation or an error.
 */
describe("dialogues and other buttons", () => {
  let h: BotHarness;

  beforeAll(async () => {
    h = await BotHarness.start();
    // /rates needs history for its chart; the bot backfills it on its first start.
    for (let i = 0; i < 100 && (await h.redis.client.zcard(`${h.redis.prefix}:rates:dates`)) < 50; i++) {
      await new Promise((r) => setTimeout(r, 200));
    }
  });
  afterAll(async () => h?.close());

  const press = async (user: TestUser, label: string | RegExp, message: SentMessage) =>
    user.waitForAnswer(user.press(label, message));
  const waitForText = (message: SentMessage, pattern: RegExp) =>
    h.telegram.waitFor(() => pattern.test(message.text ?? ""), 8000, `message text ${pattern}`);
  const labels = (message: SentMessage) =>
    (message.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.text);
  const refusals = () =>
    (h.bot?.output().stdout ?? "").split("\n").filter((l) => l.includes("telegram refused"));

  /** Subscribes `user` through the dialogue with all topics and rates. */
  async function subscribe(user: TestUser): Promise<void> {
    const dialogue = await user.ask("/subscribe");
    await press(user, "All topics", dialogue);
    await press(user, "✅ Done", dialogue);
    await waitForText(dialogue, /Step 2 of 3/);
    await press(user, "Yes", dialogue);
    await waitForText(dialogue, /Step 3 of 3/);
    await press(user, /Confirm/, dialogue);
    await waitForText(dialogue, /You are subscribed/);
  }

  it("the /rates chart, /settings, /language and an old /unsubscribe work while /subscribe is open", async () => {
    const user = h.telegram.user(5001, { languageCode: "en" });
    await subscribe(user);
    const chart = await user.ask("/rates");
    const settings = await user.ask("/settings");
    const unsubscribe = await user.ask("/unsubscribe");
    const languages = await user.ask("/language");
    const dialogue = await user.ask("/subscribe");
    expect(dialogue.text).toContain("Step 1 of 3");

    const chartBefore = chart.photo?.file_id;
    expect(await press(user, "7 days", chart)).toEqual({});
    await h.telegram.waitFor(() => chart.photo?.file_id !== chartBefore, 8000, "the chart to change");

    expect(await press(user, /Daily rates: on/, settings)).toEqual({});
    await waitForText(settings, /Daily rates: no/);

    expect(await press(user, "No, keep", unsubscribe)).toEqual({});
    await waitForText(unsubscribe, /Nothing changed/);

    expect(await press(user, "Русский", languages)).toEqual({});
    await waitForText(languages, /Готово/);
    expect(await press(user, "English", await user.ask("/language"))).toEqual({});

    // The dialogue is still where it was, and goes on.
    await press(user, /Trade/, dialogue);
    await press(user, /Done/, dialogue);
    await waitForText(dialogue, /Step 2 of 3/);
    await user.ask("/cancel");
    expect(refusals()).toEqual([]);
  });

  it("in a group, a member's press on the /rates chart works while an admin's dialogue is open", async () => {
    const group = h.telegram.group(-5101, { title: "Dialogue group", adminIds: [5102] });
    const admin = h.telegram.user(5102, { languageCode: "en" });
    const member = h.telegram.user(5103, { languageCode: "en" });
    const chart = await member.ask("/rates", group);
    const dialogue = await admin.ask("/subscribe", group);
    const before = chart.photo?.file_id;
    expect(await member.waitForAnswer(member.press("90 days", chart, group))).toEqual({});
    await h.telegram.waitFor(() => chart.photo?.file_id !== before, 8000, "the chart to change");
    // The dialogue's own buttons are still the admin's alone.
    expect(await member.waitForAnswer(member.press(/Trade/, dialogue, group))).toEqual({
      text: "These buttons belong to another person's dialogue.",
    });
  });

  it("a double tap on Done or Confirm moves on once, answers both presses and sends nothing twice", async () => {
    const user = h.telegram.user(5002, { languageCode: "en" });
    const dialogue = await user.ask("/subscribe");
    await press(user, /Energy/, dialogue);
    const doneTaps = [user.press("✅ Done", dialogue), user.press("✅ Done", dialogue)];
    for (const tap of doneTaps) expect(await user.waitForAnswer(tap)).toEqual({});
    await waitForText(dialogue, /Step 2 of 3/);
    await press(user, "No", dialogue);
    await waitForText(dialogue, /Step 3 of 3/);
    const confirmTaps = [user.press(/Confirm/, dialogue), user.press(/Confirm/, dialogue)];
    for (const tap of confirmTaps) expect(await user.waitForAnswer(tap)).toEqual({});
    await waitForText(dialogue, /You are subscribed/);
    expect(dialogue.history.filter((text) => text.includes("You are subscribed"))).toHaveLength(1);
    expect(user.messages().filter((m) => m.message_id > dialogue.message_id)).toEqual([]);
    expect(refusals()).toEqual([]);
  });

  it("a double tap on /unsubscribe, /language or a settings button edits once and opens nothing twice", async () => {
    const user = h.telegram.user(5002, { languageCode: "en" });
    const unsubscribe = await user.ask("/unsubscribe");
    const noTaps = [user.press("No, keep", unsubscribe), user.press("No, keep", unsubscribe)];
    for (const tap of noTaps) expect(await user.waitForAnswer(tap)).toEqual({});
    await waitForText(unsubscribe, /Nothing changed/);

    const languages = await user.ask("/language");
    const languageTaps = [user.press("English", languages), user.press("English", languages)];
    for (const tap of languageTaps) expect(await user.waitForAnswer(tap)).toEqual({});
    await waitForText(languages, /I will speak English/);

    const settings = await user.ask("/settings");
    const openTaps = [user.press(/Language/, settings), user.press(/Language/, settings)];
    for (const tap of openTaps) expect(await user.waitForAnswer(tap)).toEqual({});
    // Only the one language picker: nothing else after it.
    const picker = await user.waitForMessage({ after: user.messages().indexOf(settings) + 1 });
    expect(picker.text).toBe("Choose your language:");
    await new Promise((r) => setTimeout(r, 300));
    expect(user.messages().filter((m) => m.message_id > settings.message_id)).toHaveLength(1);
    expect(refusals()).toEqual([]);
  });

  it("no keyboard has an empty row", async () => {
    const user = h.telegram.user(5003, { languageCode: "uz" });
    await user.ask("/subscribe");
    await user.ask("/settings");
    await user.ask("/language");
    const keyboards = h.telegram
      .messagesTo(5001)
      .concat(h.telegram.messagesTo(5002), h.telegram.messagesTo(5003))
      .flatMap((m) => m.reply_markup?.inline_keyboard ?? []);
    expect(keyboards.length).toBeGreaterThan(5);
    expect(keyboards.filter((row) => row.length === 0)).toEqual([]);
    expect(labels(user.messages()[0] as SentMessage).length).toBeGreaterThan(10);
  });
});
