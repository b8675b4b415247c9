import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TelegramEmulator } from "../../support/telegramEmulator.js";

/** The emulator's channels and forum topics, as a bot sees them over HTTP. */
const TOKEN = "44:emulator-channels-test-token-0000";
const BOT = 44;

/** The parts of updates these tests read. */
type Update = {
  my_chat_member?: { from: { id: number }; old_chat_member: unknown; new_chat_member: unknown };
  channel_post?: unknown;
  message?: { chat_shared?: unknown; forward_origin?: unknown };
};

describe("Telegram emulator: channels and forum topics", () => {
  let telegram: TelegramEmulator;
  const call = async (method: string, params: Record<string, unknown> = {}) => {
    const res = await fetch(`${telegram.apiRoot}/bot${TOKEN}/${method}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(params),
    });
    const body = (await res.json()) as {
      ok: boolean;
      description?: string;
      result?: Record<string, unknown>;
    };
    return { status: res.status, ...body };
  };

  beforeAll(async () => {
    // What is tested here is the emulator itself: its answers, not its timing or its limits.
    telegram = await TelegramEmulator.start(TOKEN, { latency: false, limits: false });
  });
  afterAll(async () => telegram.stop());

  it("answers getChat by @username and getChatMember in a channel by the bot's rights", async () => {
    telegram.channel(-1001, { title: "News", username: "news_kz", adminIds: [5, 6] });
    expect((await call("getChat", { chat_id: "@news_kz" })).result).toMatchObject({
      id: -1001,
      type: "channel",
    });
    expect(await call("getChat", { chat_id: "@nobody" })).toMatchObject({
      status: 400,
      description: "Bad Request: chat not found",
    });
    expect((await call("getChatMember", { chat_id: -1001, user_id: BOT })).result).toMatchObject({
      status: "administrator",
      can_post_messages: true,
    });
    expect((await call("getChatMember", { chat_id: -1001, user_id: 5 })).result).toMatchObject({
      status: "creator",
    });
    expect((await call("getChatMember", { chat_id: -1001, user_id: 6 })).result).toMatchObject({
      status: "administrator",
    });
    expect((await call("getChatMember", { chat_id: -1001, user_id: 7 })).result).toMatchObject({
      status: "left",
    });

    // Not an admin any more: no member list, and posts are refused.
    telegram.setBotInChannel(-1001, "left", 5, false);
    expect(await call("getChatMember", { chat_id: -1001, user_id: 5 })).toMatchObject({
      status: 400,
      description: "Bad Request: member list is inaccessible",
    });
    expect(await call("sendMessage", { chat_id: -1001, text: "x" })).toMatchObject({
      status: 403,
      description: "Forbidden: bot is not a member of the channel chat",
    });
    telegram.setBotInChannel(-1001, "admin-no-post", 5, false);
    expect(await call("sendMessage", { chat_id: -1001, text: "x" })).toMatchObject({
      status: 400,
      description: "Bad Request: need administrator rights in the channel chat",
    });
    telegram.setBotInChannel(-1001, "admin", 5, false);
    expect((await call("sendMessage", { chat_id: -1001, text: "x" })).ok).toBe(true);
  });

  it("sends my_chat_member when an admin changes the bot's rights, and channel posts", async () => {
    const before = telegram.calls.length;
    telegram.setBotInChannel(-1001, "admin-no-post", 5);
    telegram.channelPost(-1001, "hello");
    const updates = (await call("getUpdates", { offset: 0 })).result as unknown as Update[];
    const member = updates.find((u) => u.my_chat_member)?.my_chat_member;
    if (!member) throw new Error("no my_chat_member update");
    expect(member.old_chat_member).toMatchObject({ status: "administrator", can_post_messages: true });
    expect(member.new_chat_member).toMatchObject({ status: "administrator", can_post_messages: false });
    expect(member.from.id).toBe(5);
    expect(updates.find((u) => u.channel_post)?.channel_post).toMatchObject({
      chat: { id: -1001 },
      text: "hello",
    });
    expect(telegram.calls.length).toBeGreaterThan(before);
  });

  it("keeps forum topics: messages carry message_thread_id; closed and deleted topics answer Telegram's errors", async () => {
    telegram.forum(-2001, { adminIds: [5] });
    const created = await call("createForumTopic", { chat_id: -2001, name: "Energy" });
    const thread = Number(created.result?.message_thread_id);
    expect(thread).toBeGreaterThan(0);
    const sent = await call("sendMessage", {
      chat_id: -2001,
      message_thread_id: thread,
      text: "in the topic",
    });
    expect(sent.result).toMatchObject({ message_thread_id: thread, is_topic_message: true });
    await call("sendMessage", { chat_id: -2001, text: "in General" });
    expect(telegram.messagesInThread(-2001, thread).map((m) => m.text)).toEqual(["in the topic"]);
    expect(telegram.messagesInThread(-2001, undefined).map((m) => m.text)).toEqual(["in General"]);

    expect((await call("closeForumTopic", { chat_id: -2001, message_thread_id: thread })).ok).toBe(true);
    expect(await call("sendMessage", { chat_id: -2001, message_thread_id: thread, text: "x" })).toMatchObject(
      {
        status: 400,
        description: "Bad Request: TOPIC_CLOSED",
      },
    );
    await call("reopenForumTopic", { chat_id: -2001, message_thread_id: thread });
    expect((await call("sendMessage", { chat_id: -2001, message_thread_id: thread, text: "y" })).ok).toBe(
      true,
    );
    await call("deleteForumTopic", { chat_id: -2001, message_thread_id: thread });
    expect(await call("sendMessage", { chat_id: -2001, message_thread_id: thread, text: "z" })).toMatchObject(
      {
        status: 400,
        description: "Bad Request: message thread not found",
      },
    );
    expect(
      await call("sendMessage", { chat_id: -2001, message_thread_id: 999_999, text: "z" }),
    ).toMatchObject({
      description: "Bad Request: message thread not found",
    });
    expect(await call("createForumTopic", { chat_id: -1001, name: "x" })).toMatchObject({ status: 400 });
  });

  it("plays a user sharing a chat with the picker (chat_shared) and forwarding a channel post", async () => {
    const user = telegram.user(5);
    const channel = telegram.chats.get(-1001);
    if (!channel) throw new Error("no channel");
    user.shareChat(1, channel);
    user.forwardFromChannel(channel);
    const updates = (await call("getUpdates", { offset: 0 })).result as unknown as Update[];
    const messages = updates.flatMap((u) => (u.message ? [u.message] : []));
    expect(messages.find((m) => m.chat_shared)?.chat_shared).toEqual({
      request_id: 1,
      chat_id: -1001,
      title: "News",
      username: "news_kz",
    });
    expect(messages.find((m) => m.forward_origin)?.forward_origin).toMatchObject({
      type: "channel",
      chat: { id: -1001 },
    });
  });
});
