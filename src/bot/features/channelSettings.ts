import { Composer } from "grammy";
import type { ChatMember } from "grammy/types";
import { escapeHtml } from "../../html.js";
import type { Translate } from "../../i18n/translator.js";
import type { ChannelStore } from "../../storage/destinations.js";
import { nextRatesTime, type Subscription, type SubscriptionStore } from "../../storage/subscriptions.js";
import type { ChannelOp } from "../callbackData.js";
import type { BotContext } from "../context.js";
import { SUBSCRIBE_CONVERSATION, TOPICS_CONVERSATION } from "../conversations/subscribe.js";
import {
  channelLanguageKeyboard,
  channelListKeyboard,
  channelSettingsKeyboard,
} from "../keyboards/channels.js";
import { topicListText } from "../keyboards/subscription.js";
import type { PauseNotices } from "../pauseNotices.js";

export type ChannelDeps = {
  translate: Translate;
  subscriptions: SubscriptionStore;
  channels: ChannelStore;
  notices: Pick<PauseNotices, "paused" | "resumed">;
};

export const isAdmin = (member: ChatMember) =>
  member.status === "creator" || member.status === "administrator";
/** The bot may post in a channel only as an admin with can_post_messages. */
export const botCanPost = (member: ChatMember) =>
  member.status === "administrator" && member.can_post_messages === true;

/** The subscribe dialogue (or the topic picker), run in the manager's private chat for the channel. */
export async function startChannelDialogue(
  ctx: BotContext,
  name: typeof SUBSCRIBE_CONVERSATION | typeof TOPICS_CONVERSATION,
  chatId: number,
  existing: Subscription | undefined,
): Promise<void> {
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
}

/** A channel's settings message with its buttons, sent or (`edit`) in place of the pressed one. */
export async function showChannelSettings(
  ctx: BotContext,
  deps: Pick<ChannelDeps, "translate" | "subscriptions" | "channels">,
  chatId: number,
  edit = false,
): Promise<void> {
  const { translate, subscriptions, channels } = deps;
  const channel = await channels.get(chatId);
  const s = await subscriptions.get(chatId);
  const title = escapeHtml(channel?.title ?? String(chatId));
  const status =
    s?.status === "active"
      ? "status-active"
      : s?.status === "paused"
        ? "status-paused"
        : "status-channel-blocked";
  const text = !s
    ? ctx.t("channel-settings-new", { title })
    : ctx.t("channel-settings", {
        title,
        status: ctx.t(status),
        topics: topicListText(s.topics, translate, ctx.language),
        rates: s.rates ? ctx.t("rates-choice-yes", { time: s.ratesTime }) : ctx.t("rates-choice-no"),
        language: translate(s.language, "language-name"),
      });
  const options = {
    parse_mode: "HTML" as const,
    reply_markup: channelSettingsKeyboard(chatId, s, translate, ctx.language),
  };
  if (edit) await ctx.editMessageText(text, options).catch(() => ctx.reply(text, options));
  else await ctx.reply(text, options);
}

/** The channels a user manages, as buttons; nothing when there are none. */
export async function listChannels(ctx: BotContext, channels: ChannelStore): Promise<void> {
  const managed = await channels.managedBy(ctx.from?.id ?? 0);
  if (managed.length === 0) return;
  await ctx.reply(ctx.t("channels-list", { count: managed.length }), {
    reply_markup: channelListKeyboard(managed),
  });
}

/**
 * A channel's settings, pressed in a manager's private chat: every choice a chat has (topics, daily
 * rates and their time, language) plus pause, resume and disconnect. Only a recorded manager who
 * is still an admin of the channel may press them. Install after subscriptionFeature (its
 * dialogues set a channel's topics).
 */
export function channelSettingsFeature(deps: ChannelDeps): Composer<BotContext> {
  const { translate, subscriptions, channels } = deps;
  const feature = new Composer<BotContext>();
  const showSettings = (ctx: BotContext, chatId: number, edit = false) =>
    showChannelSettings(ctx, deps, chatId, edit);

  /**
   * A recorded manager who is still an admin of the channel may change it. When Telegram answers
   * that they are no longer one, they stop being a manager.
   */
  const mayManage = async (ctx: BotContext, chatId: number): Promise<boolean> => {
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

  const runOp = async (ctx: BotContext, chatId: number, op: ChannelOp) => {
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
        await startChannelDialogue(
          ctx,
          existing ? TOPICS_CONVERSATION : SUBSCRIBE_CONVERSATION,
          chatId,
          existing,
        );
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
