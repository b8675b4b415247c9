import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STORIES, storyFeed } from "../support/bilateralStories.js";
import { BotHarness } from "../support/botHarness.js";
import { FeedServer } from "../support/feedServer.js";
import type { SentMessage, TestUser } from "../support/telegramEmulator.js";

const TRADE = STORIES.trade;
const CULTURE = STORIES.culture;
const ENERGY = STORIES.energy;

const NEWS = -1001000000001; // the journalist's channel, connected with the chat picker
const EMBASSY = -1001000000002; // connected by its @username
const PRIVATE_CLUB = -1001000000003; // the bot is not in it
const MUTED = -1001000000004; // the bot is an admin that may not post
const GROUP = -1001000000005; // a supergroup, not a channel

/**
 * Channels through the real entry point: connected from a channel admin's private chat (chat
 * picker, @username, forwarded post), checked on both sides with getChatMember, subscribed with
 * the same dialogue as a chat, delivered to, and paused (with the managers told) when the bot
 * loses its right to post, by a my_chat_member update or by a 403 in the middle of a fan-out.
 */
describe("channels", () => {
  let h: BotHarness;
  let feeds: FeedServer;
  let editor: TestUser;
  let reader: TestUser;

  beforeAll(async () => {
    feeds = await FeedServer.start();
    feeds.route("/a.xml", { body: storyFeed([]) });
    h = await BotHarness.start(
      { POLL_CRON: "*/2 * * * * *" },
      { feeds: [{ id: "outlet-a", url: feeds.url("/a.xml"), outlet: "Outlet A", language: "ru" }] },
    );
    editor = h.telegram.user(3001, { languageCode: "en" });
    reader = h.telegram.user(3002, { languageCode: "en" });
    h.telegram.channel(NEWS, { title: "KZ-UZ Daily", adminIds: [3001] });
    h.telegram.channel(EMBASSY, { title: "Embassy News", username: "embassy_news", adminIds: [3001] });
    h.telegram.channel(PRIVATE_CLUB, {
      title: "Private Club",
      username: "private_club",
      adminIds: [3001],
      bot: "left",
    });
    h.telegram.channel(MUTED, {
      title: "Muted",
      username: "muted_channel",
      adminIds: [3001],
      bot: "admin-no-post",
    });
    h.telegram.group(GROUP, { type: "supergroup", title: "Chat group", adminIds: [3001] });
    (h.telegram.chats.get(GROUP) as { username?: string }).username = "chat_group";
  });
  afterAll(async () => {
    await h?.close();
    await feeds?.close();
  });

  const profile = (chatId: number) => h.redis.client.hgetall(`${h.redis.prefix}:profile:${chatId}`);
  const isSubscriber = async (chatId: number) =>
    (await h.redis.client.sismember(`${h.redis.prefix}:subscribers`, chatId)) === 1;

  /** The first message to `user` after index `after` whose text matches. */
  function nextMatching(user: TestUser, pattern: RegExp, after: number, timeoutMs = 10_000) {
    return h.telegram.waitFor(
      () =>
        user
          .messages()
          .slice(after)
          .find((m) => pattern.test(m.text ?? "")),
      timeoutMs,
      `a message ${pattern} to ${user.id}`,
    );
  }

  async function press(user: TestUser, label: string | RegExp, message?: SentMessage) {
    return user.waitForAnswer(user.press(label, message));
  }

  /** Walks the subscribe dialogue on `dialogue`: these topics, no daily rates, confirm. */
  async function finishDialogue(user: TestUser, dialogue: SentMessage, topics: RegExp[]) {
    for (const topic of topics) await press(user, topic, dialogue);
    await press(user, "✅ Done", dialogue);
    await h.telegram.waitFor(() => /Step 2 of 3/.test(dialogue.text ?? ""));
    await press(user, "No", dialogue);
    await h.telegram.waitFor(() => /Step 3 of 3/.test(dialogue.text ?? ""));
    await press(user, /Confirm/, dialogue);
    await h.telegram.waitFor(
      () => /channel is subscribed/.test(dialogue.text ?? ""),
      8000,
      "the confirmation",
    );
  }

  it("/channels explains how to connect and offers Telegram's channel picker", async () => {
    const how = await editor.ask("/channels");
    expect(how.text).toContain("Connect a channel");
    const button = how.reply_markup?.keyboard?.[0]?.[0];
    expect(button?.text).toBe("📢 Choose a channel");
    expect(button?.request_chat).toMatchObject({
      chat_is_channel: true,
      bot_administrator_rights: { can_post_messages: true },
      user_administrator_rights: { can_post_messages: true },
    });
  });

  it("connects a channel picked with request_chat and subscribes it with the usual dialogue", async () => {
    const after = editor.messages().length;
    editor.shareChat(1, h.telegram.chats.get(NEWS) as never);
    const connected = await nextMatching(editor, /Channel <b>KZ-UZ Daily<\/b> is connected/, after);
    expect(connected.reply_markup?.remove_keyboard).toBe(true);
    const dialogue = await nextMatching(editor, /Step 1 of 3/, after);
    expect(await isSubscriber(NEWS)).toBe(false);
    await finishDialogue(editor, dialogue, [/Trade/]);
    expect(dialogue.text).toContain("/settings");
    expect(await isSubscriber(NEWS)).toBe(true);
    expect(await profile(NEWS)).toMatchObject({ k: "channel", s: "active", lang: "en", r: "0" });
    // The bot checked both sides: its own right to post and the user's admin status.
    const asked = h.telegram.callsOf("getChatMember").filter((c) => Number(c.params.chat_id) === NEWS);
    expect(asked.map((c) => Number(c.params.user_id)).sort()).toEqual(
      [3001, Number(h.telegram.bot.id)].sort(),
    );
    // The channel itself got nothing but what it subscribed to (nothing yet).
    expect(h.telegram.messagesTo(NEWS)).toHaveLength(0);
  });

  it("connects a second channel by its @username; /settings lists both", async () => {
    const after = editor.messages().length;
    editor.send("@embassy_news");
    const dialogue = await nextMatching(editor, /Step 1 of 3/, after);
    await finishDialogue(editor, dialogue, [/Culture/, /Energy/]);
    expect(await profile(EMBASSY)).toMatchObject({ k: "channel", s: "active" });

    const before = editor.messages().length;
    editor.send("/settings");
    const list = await nextMatching(editor, /Channels you manage \(2\)/, before);
    expect(list.reply_markup?.inline_keyboard?.flat().map((b) => b.text)).toEqual([
      "📢 Embassy News",
      "📢 KZ-UZ Daily",
    ]);
  });

  it("refuses with a clear message: not an admin, bot not in the channel, bot may not post, not a channel, unknown", async () => {
    const refusal = async (user: TestUser, act: () => void) => {
      const after = user.messages().length;
      act();
      return (await user.waitForMessage({ after })).text ?? "";
    };
    // A reader of the channel forwards one of its posts: they are no admin of it.
    expect(await refusal(reader, () => reader.forwardFromChannel(h.telegram.chats.get(NEWS) as never))).toBe(
      "Only an administrator of «KZ-UZ Daily» can connect it to me.",
    );
    expect(await refusal(editor, () => editor.send("@private_club"))).toContain(
      "I am not an administrator of «Private Club»",
    );
    expect(await refusal(editor, () => editor.send("https://t.me/muted_channel"))).toContain(
      "but I may not post messages there",
    );
    expect(await refusal(editor, () => editor.send("@chat_group"))).toContain("is not a channel");
    expect(await refusal(editor, () => editor.send("@no_such_channel"))).toContain(
      "I cannot find the channel @no_such_channel",
    );
    for (const id of [PRIVATE_CLUB, MUTED, GROUP]) expect(await isSubscriber(id)).toBe(false);
    // Nobody was made a manager of the channel they were refused.
    expect(await h.redis.client.smembers(`${h.redis.prefix}:channel:${NEWS}:managers`)).toEqual(["3001"]);
    // Someone who is no manager cannot press a channel's buttons either (forged data).
    const forged = await reader.waitForAnswer(reader.pressData(`ch:p${NEWS}`, undefined));
    expect(forged).toEqual({ text: "You do not manage this channel.", show_alert: true });
    expect(await isSubscriber(NEWS)).toBe(true);
  });

  it("a second admin connects the same channel; one who is no longer an admin loses it", async () => {
    const deputy = h.telegram.user(3004, { languageCode: "en" });
    h.telegram.admins.get(NEWS)?.add(3004);
    const after = deputy.messages().length;
    deputy.forwardFromChannel(h.telegram.chats.get(NEWS) as never);
    await nextMatching(deputy, /Channel <b>KZ-UZ Daily<\/b> is connected to you as well/, after);
    const settings = await nextMatching(deputy, /📢 <b>KZ-UZ Daily<\/b>/, after);
    expect((await h.redis.client.smembers(`${h.redis.prefix}:channel:${NEWS}:managers`)).sort()).toEqual([
      "3001",
      "3004",
    ]);

    h.telegram.admins.get(NEWS)?.delete(3004);
    expect(await press(deputy, "⏸ Pause", settings)).toEqual({
      text: "You are no longer an administrator of «KZ-UZ Daily», so you cannot manage it here.",
      show_alert: true,
    });
    expect(await isSubscriber(NEWS)).toBe(true);
    expect(await h.redis.client.smembers(`${h.redis.prefix}:channel:${NEWS}:managers`)).toEqual(["3001"]);
  });

  it("changes a channel's settings from the private chat: rates, language", async () => {
    const before = editor.messages().length;
    editor.send("/settings");
    const list = await nextMatching(editor, /Channels you manage/, before);
    await press(editor, "📢 KZ-UZ Daily", list);
    const settings = await nextMatching(editor, /📢 <b>KZ-UZ Daily<\/b>\n\nStatus: active/, before);
    expect(settings.text).toContain("Daily rates: no");
    await press(editor, "💱 Daily rates: off", settings);
    await h.telegram.waitFor(() => /Daily rates: yes, at 09:00/.test(settings.text ?? ""));
    await press(editor, "🌐 Language", settings);
    await h.telegram.waitFor(() =>
      settings.reply_markup?.inline_keyboard?.flat().some((b) => b.text === "Русский"),
    );
    await press(editor, "Русский", settings);
    await h.telegram.waitFor(() => /Language: Русский/.test(settings.text ?? ""));
    expect(await profile(NEWS)).toMatchObject({ r: "1", lang: "ru" });
    // The manager's own language is untouched.
    expect(await h.redis.client.hget(`${h.redis.prefix}:profile:3001`, "lang")).toBe("en");
    await press(editor, "💱 Daily rates: on", settings);
    await h.telegram.waitFor(() => /Daily rates: no/.test(settings.text ?? ""));
  });

  it("posts exactly the stories each channel asked for, in the channel's language", async () => {
    feeds.route("/a.xml", { body: storyFeed([TRADE, CULTURE]) });
    await h.telegram.waitFor(
      () => h.telegram.messagesTo(NEWS).length >= 1 && h.telegram.messagesTo(EMBASSY).length >= 1,
      25_000,
      "a story in each channel",
    );
    await new Promise((r) => setTimeout(r, 4000)); // more poll cycles: nothing is sent twice
    const first = (chatId: number) => h.telegram.messagesTo(chatId).map((m) => m.text?.split("\n")[0]);
    expect(first(NEWS)).toEqual([`<b><a href="${TRADE.link}">${TRADE.title}</a></b>`]);
    expect(first(EMBASSY)).toEqual([`<b><a href="${CULTURE.link}">${CULTURE.title}</a></b>`]);
    expect(h.telegram.messagesTo(NEWS)[0]?.text).toContain("#trade");
    // Each in its channel's language: the date line is Russian in one, English in the other.
    const englishMonth = /\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b/;
    expect(h.telegram.messagesTo(EMBASSY)[0]?.text).toMatch(englishMonth);
    expect(h.telegram.messagesTo(NEWS)[0]?.text).not.toMatch(englishMonth);
    // A channel post (the story the bot published, or anyone's) is never answered.
    const calls = h.telegram.calls.length;
    h.telegram.channelPost(NEWS, "/start");
    await new Promise((r) => setTimeout(r, 1000));
    expect(h.telegram.calls.slice(calls).filter((c) => c.method === "sendMessage")).toHaveLength(0);
  });

  it("pauses a channel whose admin takes the right to post away, tells its manager, and resumes it", async () => {
    const after = editor.messages().length;
    h.telegram.setBotInChannel(NEWS, "admin-no-post", 3001);
    const notice = await nextMatching(editor, /can no longer post in the channel/, after);
    expect(notice.text).toContain("<b>KZ-UZ Daily</b>");
    expect(await profile(NEWS)).toMatchObject({ s: "blocked" });
    expect(await isSubscriber(NEWS)).toBe(false);

    // /settings shows why, and Resume is refused while the bot still may not post.
    const before = editor.messages().length;
    editor.send("/settings");
    const list = await nextMatching(editor, /Channels you manage/, before);
    await press(editor, "📢 KZ-UZ Daily", list);
    const settings = await nextMatching(editor, /📢 <b>KZ-UZ Daily<\/b>/, before + 1);
    expect(settings.text).toContain("I cannot post in the channel");
    expect(await press(editor, "▶️ Resume", settings)).toMatchObject({ show_alert: true });
    expect(await isSubscriber(NEWS)).toBe(false);

    const again = editor.messages().length;
    h.telegram.setBotInChannel(NEWS, "admin", 3001);
    await nextMatching(editor, /can post in the channel .*again/, again);
    expect(await isSubscriber(NEWS)).toBe(true);
  });

  it("a channel that removed the bot mid fan-out: paused on the 403, manager told, the rest delivered", async () => {
    const watcher = h.telegram.user(3003, { languageCode: "en" });
    const dialogue = await watcher.ask("/subscribe");
    for (const label of [/Energy/]) await press(watcher, label, dialogue);
    await press(watcher, "✅ Done", dialogue);
    await h.telegram.waitFor(() => /Step 2/.test(dialogue.text ?? ""));
    await press(watcher, "No", dialogue);
    await h.telegram.waitFor(() => /Step 3/.test(dialogue.text ?? ""));
    await press(watcher, /Confirm/, dialogue);
    await h.telegram.waitFor(() => /subscribed/.test(dialogue.text ?? ""));

    // Removed, and the story is out before Telegram's my_chat_member update arrives.
    h.telegram.setBotInChannel(EMBASSY, "left", 3001, false);
    const after = editor.messages().length;
    const watcherBefore = watcher.messages().length;
    feeds.route("/a.xml", { body: storyFeed([TRADE, CULTURE, ENERGY]) });
    await h.telegram.waitFor(() => watcher.messages().length > watcherBefore, 25_000, "the energy story");
    const notice = await nextMatching(
      editor,
      /can no longer post in the channel <b>Embassy News<\/b>/,
      after,
      15_000,
    );
    expect(notice).toBeDefined();
    expect(await profile(EMBASSY)).toMatchObject({ s: "blocked" });
    expect(await isSubscriber(EMBASSY)).toBe(false);
    const refused = h.telegram
      .callsOf("sendMessage")
      .filter((c) => Number(c.params.chat_id) === EMBASSY && c.status === 403);
    // One refused send, never retried: the channel is out of the index at once.
    expect(refused).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 3000));
    expect(
      h.telegram
        .callsOf("sendMessage")
        .filter((c) => Number(c.params.chat_id) === EMBASSY && c.status === 403),
    ).toHaveLength(1);
    // Told once, however many stories met the removed channel.
    expect(
      editor
        .messages()
        .slice(after)
        .filter((m) => /no longer post/.test(m.text ?? "")),
    ).toHaveLength(1);
  });
});
