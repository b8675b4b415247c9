import { Composer, GrammyError } from "grammy";
import { escapeHtml } from "../../html.js";
import type { ChannelRecord } from "../../storage/destinations.js";
import type { BotContext } from "../context.js";
import { SUBSCRIBE_CONVERSATION } from "../conversations/subscribe.js";
import { CHANNEL_REQUEST_ID, pickChannelKeyboard } from "../keyboards/channels.js";
import {
  botCanPost,
  type ChannelDeps,
  isAdmin,
  listChannels,
  showChannelSettings,
  startChannelDialogue,
} from "./channelSettings.js";

/** A public channel's name as people type it: "@name", "t.me/name" or "https://t.me/name". */
const CHANNEL_NAME = /^(?:@|(?:https?:\/\/)?t\.me\/)([A-Za-z][A-Za-z0-9_]{3,31})\/?$/;

type Refusal =
  | "channel-not-found"
  | "channel-not-a-channel"
  | "channel-bot-not-admin"
  | "channel-bot-cannot-post"
  | "channel-user-not-admin";

/**
 * Connecting a channel from an admin's private chat: Telegram's chat picker (/channels), a
 * forwarded post, or its @username. The bot checks with getChatMember that it may post there and
 * that the user is an admin, records the user as a manager, then runs the subscribe dialogue for
 * the channel (or shows its settings, when it has a subscription). Install after
 * subscriptionFeature (its dialogues are used); channelSettings.ts has the settings,
 * channelWatch.ts the bot's own membership.
 */
export function channelsFeature(deps: ChannelDeps): Composer<BotContext> {
  const { translate, subscriptions, channels } = deps;
  const feature = new Composer<BotContext>();
  const privateChat = feature.chatType("private");

  /**
   * Checks both sides of a connection: the channel's record when the user may connect it, else
   * why not (with the chat's title when Telegram told it).
   */
  const check = async (
    ctx: BotContext,
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

  const connect = async (ctx: BotContext, chatRef: number | string, shownTitle?: string) => {
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
      await showChannelSettings(ctx, deps, checked.chatId);
      return;
    }
    await ctx.reply(ctx.t("channel-connected", { title }), {
      parse_mode: "HTML",
      reply_markup: { remove_keyboard: true },
    });
    await startChannelDialogue(ctx, SUBSCRIBE_CONVERSATION, checked.chatId, undefined);
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

  return feature;
}
