import { Composer, GrammyError } from "grammy";
import type { ChatMember } from "grammy/types";
import { escapeHtml } from "../../html.js";
import type { Translate } from "../../i18n/translator.js";
import type { ChannelRecord, ChannelStore } from "../../storage/destinations.js";
import { nextRatesTime, type Subscription, type SubscriptionStore } from "../../storage/subscriptions.js";
import type { ChannelOp } from "../callbackData.js";
import { SUBSCRIBE_CONVERSATION, TOPICS_CONVERSATION } from "../conversations/subscribe.js";
import {
  CHANNEL_REQUEST_ID,
  channelLanguageKeyboard,
  channelListKeyboard,
  channelSettingsKeyboard,
  pickChannelKeyboard,
} from "../keyboards/channels.js";
import { topicListText } from "../keyboards/subscription.js";
import type { PauseNotices } from "../pauseNotices.js";
import type { SubscriptionContext } from "./subscription.js";

export type ChannelDeps = {
  translate: Translate;
  subscriptions: SubscriptionStore;
  channels: ChannelStore;
  notices: Pick<PauseNotices, "paused" | "resumed">;
};

/** A public channel's name as people type it: "@name", "t.me/name" or "https://t.me/name". */
const CHANNEL_NAME = /^(?:@|(?:https?:\/\/)?t\.me\/)([A-Za-z][A-Za-z0-9_]{3,31})\/?$/;

const isAdmin = (member: ChatMember) => member.status === "creator" || member.status === "administrator";
/** The bot may post in a channel only as an admin with can_post_messages. */
const botCanPost = (member: ChatMember) =>
  member.status === "administrator" && member.can_post_messages === true;

type Refusal =
  | "channel-not-found"
  | "channel-not-a-channel"
  | "channel-bot-not-admin"
  | "channel-bot-cannot-post"
  | "channel-user-not-admin";

/**
 * Channels, managed from their admins' private chats: connecting one (a forwarded post, its
 * @username, or Telegram's chat picker), its settings (every choice a chat has, plus pause and
 * disconnect), and /channels to list them. Install after subscriptionFeature (its dialogues are
 * used for a channel's topics), with `channelWatch` before it.
 */
export function channelsFeature(deps: ChannelDeps): Composer<SubscriptionContext> {
  const { translate, subscriptions, channels } = deps;
  const feature = new Composer<SubscriptionContext>();
  const privateChat = feature.chatType("private");

  /**
   * Checks both sides of a connection: the channel's record when the user may connect it, else
   * why not (with the chat's title when Telegram told it).
   */
  const check = async (
    ctx: SubscriptionContext,
    chatRef: number | string,
  ): Promise<ChannelRecord | { refusal: Refusal; title?: string }> => {
    const userId = ctx.from?.id;
    if (userId === undefined) return { refusal: "channel-user-not-admin" };
    let chat: Awaited<ReturnType<typeof ctx.api.getChat>>;
    try {
      chat = await ctx.api.getChat(chatRef);
    } catch (err) {
      if (err instanceof GrammyError) return { refusal: "channel-not-found" };
      throw err;
    }
    if (chat.type !== "channel") {
      return { refusal: "channel-not-a-channel", ...(chat.title ? { title: chat.title } : {}) };
    }
    const title = chat.title;
    const record: ChannelRecord = {
      chatId: chat.id,
      title,
      ...(chat.username ? { username: chat.username } : {}),
    };
    // Telegram shows a channel's members to a bot only when it is an admin there: asking about the
    // bot first tells "add me" apart from "you are not an admin".
    const me = await ctx.api.getChatMember(chat.id, ctx.me.id).catch(() => undefined);
    if (me?.status !== "administrator") return { refusal: "channel-bot-not-admin", title };
    if (!botCanPost(me)) return { refusal: "channel-bot-cannot-post", title };
    const member = await ctx.api.getChatMember(chat.id, userId).catch(() => undefined);
    if (!member || !isAdmin(member)) return { refusal: "channel-user-not-admin", title };
    return record;
  };

  const connect = async (ctx: SubscriptionContext, chatRef: number | string, shownTitle?: string) => {
    const checked = await check(ctx, chatRef);
    if ("refusal" in checked) {
      const title = escapeHtml(checked.title ?? shownTitle ?? String(chatRef));
      await ctx.reply(ctx.t(checked.refusal, { title }), { parse_mode: "HTML" });
      ctx.log.info({ channel: chatRef, refusal: checked.refusal }, "channel not connected");
      return;
    }
    await channels.connect(checked, ctx.from?.id ?? 0);
    ctx.log.info({ channel: checked.chatId }, "channel connected");
    const existing = await subscriptions.get(checked.chatId);
    const title = escapeHtml(checked.title);
    if (existing) {
      // The bot may post again (just checked): a channel paused for lost rights comes back.
      if (await subscriptions.resume(checked.chatId, ["blocked", "gone"]))
        await deps.notices.resumed({ chatId: checked.chatId });
      await ctx.reply(ctx.t("channel-connected-again", { title }), {
        parse_mode: "HTML",
        reply_markup: { remove_keyboard: true },
      });
      await showSettings(ctx, checked.chatId);
      return;
    }
    await ctx.reply(ctx.t("channel-connected", { title }), {
      parse_mode: "HTML",
      reply_markup: { remove_keyboard: true },
    });
    await startDialogue(ctx, SUBSCRIBE_CONVERSATION, checked.chatId, undefined);
  };

  const startDialogue = async (
    ctx: SubscriptionContext,
    name: string,
    chatId: number,
    existing: Subscription | undefined,
  ) => {
    await ctx.conversation.exitAll();
    await ctx.conversation.enter(name, {
      language: existing?.language ?? ctx.language,
      chatId: ctx.chat?.id ?? 0,
      target: { chatId },
      kind: "channel",
      starterId: ctx.from?.id ?? 0,
      topics: existing?.topics ?? [],
      rates: existing?.rates ?? true,
      ratesTime: existing?.ratesTime ?? "09:00",
    });
  };

  const settingsText = async (ctx: SubscriptionContext, chatId: number) => {
    const channel = await channels.get(chatId);
    const s = await subscriptions.get(chatId);
    const title = escapeHtml(channel?.title ?? String(chatId));
    if (!s) return { text: ctx.t("channel-settings-new", { title }), subscription: s };
    const status =
      s.status === "active"
        ? "status-active"
        : s.status === "paused"
          ? "status-paused"
          : "status-channel-blocked";
    return {
      subscription: s,
      text: ctx.t("channel-settings", {
        title,
        status: ctx.t(status),
        topics: topicListText(s.topics, translate, ctx.language),
        rates: s.rates ? ctx.t("rates-choice-yes", { time: s.ratesTime }) : ctx.t("rates-choice-no"),
        language: translate(s.language, "language-name"),
      }),
    };
  };

  const showSettings = async (ctx: SubscriptionContext, chatId: number, edit = false) => {
    const { text, subscription } = await settingsText(ctx, chatId);
    const options = {
      parse_mode: "HTML" as const,
      reply_markup: channelSettingsKeyboard(chatId, subscription, translate, ctx.language),
    };
    if (edit) await ctx.editMessageText(text, options).catch(() => ctx.reply(text, options));
    else await ctx.reply(text, options);
  };

  privateChat.command("channels", async (ctx) => {
    await listChannels(ctx, channels);
    await ctx.reply(ctx.t("channels-connect-how"), {
      parse_mode: "HTML",
      reply_markup: pickChannelKeyboard(translate, ctx.language),
    });
  });

  privateChat.on("message:chat_shared", async (ctx) => {
    const shared = ctx.message.chat_shared;
    if (shared.request_id !== CHANNEL_REQUEST_ID) return;
    await connect(ctx, shared.chat_id, shared.title);
  });

  privateChat.on("message:forward_origin", async (ctx, next) => {
    const origin = ctx.message.forward_origin;
    if (origin.type !== "channel") return next();
    await connect(ctx, origin.chat.id, origin.chat.title);
  });

  privateChat.on("message:text", async (ctx, next) => {
    const name = CHANNEL_NAME.exec(ctx.message.text.trim())?.[1];
    if (!name) return next();
    await connect(ctx, `@${name}`, `@${name}`);
  });

  /**
   * A recorded manager who is still an admin of the channel may change it. When Telegram answers
   * that they are no longer one, they stop being a manager.
   */
  const mayManage = async (ctx: SubscriptionContext, chatId: number): Promise<boolean> => {
    const userId = ctx.from?.id ?? 0;
    // Plain text: a callback answer is not parsed as HTML.
    const title = (await channels.get(chatId))?.title ?? String(chatId);
    if (!(await channels.isManager(chatId, userId))) {
      await ctx.answerCallbackQuery({ text: ctx.t("channel-not-yours"), show_alert: true });
      return false;
    }
    // The bot cannot look at members of a channel it was removed from: the recorded manager may
    // still pause, resume (checked below) or disconnect it.
    const member = await ctx.api.getChatMember(chatId, userId).catch(() => undefined);
    if (member && !isAdmin(member)) {
      await channels.disconnect(chatId, userId);
      await ctx.answerCallbackQuery({ text: ctx.t("channel-no-longer-admin", { title }), show_alert: true });
      return false;
    }
    return true;
  };

  feature.filter(
    (ctx) => ctx.action?.kind === "channel",
    async (ctx) => {
      if (ctx.action?.kind !== "channel" || ctx.chat?.type !== "private") return;
      const { chatId, op } = ctx.action;
      if (!(await mayManage(ctx, chatId))) return;
      await runOp(ctx, chatId, op);
    },
  );

  const runOp = async (ctx: SubscriptionContext, chatId: number, op: ChannelOp) => {
    const existing = await subscriptions.get(chatId);
    const title = escapeHtml((await channels.get(chatId))?.title ?? String(chatId));
    switch (op) {
      case "open":
        await ctx.answerCallbackQuery();
        await showSettings(ctx, chatId);
        return;
      case "subscribe":
      case "topics":
        await ctx.answerCallbackQuery();
        await startDialogue(ctx, existing ? TOPICS_CONVERSATION : SUBSCRIBE_CONVERSATION, chatId, existing);
        return;
      case "language":
        await ctx.answerCallbackQuery();
        await ctx.editMessageReplyMarkup({ reply_markup: channelLanguageKeyboard(chatId, translate) });
        return;
      case "disconnect": {
        const left = await channels.disconnect(chatId, ctx.from?.id ?? 0);
        // Nobody left to manage it or to be told when it fails: it stops.
        if (left === 0) await subscriptions.setStatus(chatId, "paused");
        await ctx.answerCallbackQuery();
        await ctx.editMessageText(ctx.t("channel-disconnected", { title }), { parse_mode: "HTML" });
        return;
      }
    }
    if (!existing) {
      await ctx.answerCallbackQuery({ text: ctx.t("not-subscribed") });
      return;
    }
    switch (op) {
      case "rates":
        await subscriptions.setRates(chatId, !existing.rates);
        break;
      case "time": {
        await subscriptions.setRates(chatId, existing.rates, nextRatesTime(existing.ratesTime));
        break;
      }
      case "pause":
        await subscriptions.setStatus(chatId, "paused");
        break;
      case "resume": {
        const me = await ctx.api.getChatMember(chatId, ctx.me.id).catch(() => undefined);
        if (!me || !botCanPost(me)) {
          await ctx.answerCallbackQuery({
            text: ctx.t("channel-cannot-resume", { title: (await channels.get(chatId))?.title ?? "" }),
            show_alert: true,
          });
          return;
        }
        await subscriptions.resume(chatId);
        break;
      }
    }
    await ctx.answerCallbackQuery();
    await showSettings(ctx, chatId, true);
  };

  feature.filter(
    (ctx) => ctx.action?.kind === "channelLang",
    async (ctx) => {
      if (ctx.action?.kind !== "channelLang" || ctx.chat?.type !== "private") return;
      const { chatId, language } = ctx.action;
      if (!(await mayManage(ctx, chatId))) return;
      if (!(await subscriptions.get(chatId))) {
        await ctx.answerCallbackQuery({ text: ctx.t("not-subscribed") });
        return;
      }
      await subscriptions.setLanguage(chatId, language);
      await ctx.answerCallbackQuery();
      await showSettings(ctx, chatId, true);
    },
  );

  return feature;
}

/** The channels a user manages, as buttons; nothing when there are none. */
async function listChannels(ctx: SubscriptionContext, channels: ChannelStore): Promise<void> {
  const managed = await channels.managedBy(ctx.from?.id ?? 0);
  if (managed.length === 0) return;
  await ctx.reply(ctx.t("channels-list", { count: managed.length }), {
    reply_markup: channelListKeyboard(managed),
  });
}

/**
 * The bot's own membership in channels (my_chat_member): losing the admin right to post, or being
 * removed, pauses the channel and tells its managers; getting the right back resumes it. Also
 * lists a manager's channels under /settings. Install before subscriptionFeature, whose
 * my_chat_member handler knows only chats and whose /settings knows only the chat itself.
 */
export function channelWatch(
  deps: Pick<ChannelDeps, "subscriptions" | "notices" | "channels">,
): Composer<SubscriptionContext> {
  const feature = new Composer<SubscriptionContext>();
  // /settings in a private chat: the user's own settings (subscriptionFeature, run by `next`),
  // then the channels they manage.
  feature.chatType("private").command("settings", async (ctx, next) => {
    await next();
    await listChannels(ctx, deps.channels);
  });
  feature.on("my_chat_member", async (ctx, next) => {
    if (ctx.chat.type !== "channel") return next();
    const chatId = ctx.chat.id;
    const member = ctx.myChatMember.new_chat_member;
    if (botCanPost(member)) {
      if (await deps.subscriptions.resume(chatId, ["blocked", "gone"])) {
        ctx.log.info("bot may post in the channel again; subscription resumed");
        await deps.notices.resumed({ chatId });
      }
      return;
    }
    if (await deps.subscriptions.setStatus(chatId, "blocked")) {
      ctx.log.info(
        { status: member.status },
        "bot removed from the channel or lost the right to post; paused",
      );
      await deps.notices.paused({ chatId });
    }
  });
  // Posts in the channel itself are not addressed to the bot: never answered.
  feature.on("channel_post", () => {});
  feature.on("edited_channel_post", () => {});
  return feature;
}
