import type { Conversation } from "@grammyjs/conversations";
import type { Context } from "grammy";
import type { Language } from "../../i18n/languages.js";
import type { Translate } from "../../i18n/translator.js";
import type { TopicId } from "../../news/topicIds.js";
import type { FeedLanguage } from "../../news/types.js";
import type { Destination } from "../../storage/destinations.js";
import {
  type ChatKind,
  DEFAULT_BRIEFING_HOUR,
  type DeliveryMode,
  type RatesTime,
  type SubscriptionStore,
} from "../../storage/subscriptions.js";
import type { QuietHours } from "../../subscriber/quietHours.js";
import { STORY_LANGUAGES } from "../../subscriber/storyLanguages.js";
import type { ZoneChoice } from "../../subscriber/timeZones.js";
import type { BotContext } from "../context.js";
import {
  CHOOSABLE_TOPICS,
  confirmKeyboard,
  ratesChoiceKeyboard,
  topicsKeyboard,
} from "../keyboards/subscription.js";
import {
  deliveryText,
  keywordInlineText,
  quietSummaryText,
  storyLanguageListText,
  topicListText,
  zoneText,
} from "../views/choices.js";
import type { FinishedDialogues } from "./finishedDialogues.js";
import { waitForPress } from "./waitForPress.js";

export const SUBSCRIBE_CONVERSATION = "subscribe";
export const TOPICS_CONVERSATION = "topics";

/** What a dialogue is started with; serialised by the plugin, so plain data only. */
export type DialogueArgs = {
  language: Language;
  /** The chat the dialogue's messages are in. */
  chatId: number;
  /**
   * What the dialogue configures when it is not `chatId` itself: a channel (managed from a
   * private chat) or a forum topic (its message_thread_id).
   */
  target?: Destination;
  kind: ChatKind;
  /** Only this user's presses count (in a group, the admin who started it). */
  starterId: number;
  topics: TopicId[];
  rates: boolean;
  ratesTime: RatesTime;
  /** Absent in a dialogue saved before story languages existed: every language. */
  storyLanguages?: FeedLanguage[];
  /** The chat's own keywords, shown in the summary (changed with /keywords). */
  keywords?: string[];
  /** How stories reach the chat, shown in the summary (changed in /settings). */
  deliveryMode?: DeliveryMode;
  briefingHour?: number;
  quietHours?: QuietHours;
  timeZone?: ZoneChoice;
};

type Dialogue = Conversation<BotContext, Context>;

type DialogueDeps = { translate: Translate; subscriptions: SubscriptionStore; finished: FinishedDialogues };

/** Step 1 (and /topics): toggles edit the same message; returns the chosen topics. */
async function pickTopics(
  conversation: Dialogue,
  ctx: Context,
  args: DialogueArgs,
  deps: DialogueDeps,
  heading: string,
  existingMessageId?: number,
): Promise<{ topics: TopicId[]; messageId: number }> {
  const { translate } = deps;
  const t = (key: string, vars?: Record<string, string>) => translate(args.language, key, vars);
  const selected = new Set<TopicId>(args.topics);
  const keyboard = () => topicsKeyboard(selected, translate, args.language);
  let messageId: number;
  if (existingMessageId === undefined) {
    messageId = (await ctx.reply(t(heading), { parse_mode: "HTML", reply_markup: keyboard() })).message_id;
  } else {
    messageId = existingMessageId;
    await ctx.api.editMessageText(args.chatId, messageId, t(heading), {
      parse_mode: "HTML",
      reply_markup: keyboard(),
    });
  }
  for (;;) {
    const { ctx: press, action } = await waitForPress(conversation, args.starterId, messageId, ["topic"], t);
    if (action.op === "done") {
      if (selected.size === 0) {
        await press.answerCallbackQuery({ text: t("subscribe-pick-one"), show_alert: true });
        continue;
      }
      await press.answerCallbackQuery();
      return { topics: CHOOSABLE_TOPICS.filter((topic) => selected.has(topic)), messageId };
    }
    if (action.op === "all") {
      const allChosen = selected.size === CHOOSABLE_TOPICS.length;
      selected.clear();
      if (!allChosen) for (const topic of CHOOSABLE_TOPICS) selected.add(topic);
    } else if (action.topic) {
      if (selected.has(action.topic)) selected.delete(action.topic);
      else selected.add(action.topic);
    }
    await press.answerCallbackQuery();
    await press.editMessageReplyMarkup({ reply_markup: keyboard() });
  }
}

/**
 * /subscribe: topics, then daily rates yes/no, then a summary to confirm. Nothing is stored
 * until the user confirms, so leaving half-way (or /cancel) changes nothing.
 */
export function subscribeConversation(deps: DialogueDeps) {
  return async (conversation: Dialogue, ctx: Context, args: DialogueArgs): Promise<void> => {
    const { translate } = deps;
    const t = (key: string, vars?: Record<string, string>) => translate(args.language, key, vars);
    let messageId: number | undefined;
    let topics = args.topics;
    let rates = args.rates;
    for (;;) {
      const picked = await pickTopics(
        conversation,
        ctx,
        { ...args, topics },
        deps,
        "subscribe-topics",
        messageId,
      );
      topics = picked.topics;
      messageId = picked.messageId;

      await ctx.api.editMessageText(args.chatId, messageId, t("subscribe-rates", { time: args.ratesTime }), {
        parse_mode: "HTML",
        reply_markup: ratesChoiceKeyboard(translate, args.language),
      });
      const ratesPress = await waitForPress(conversation, args.starterId, messageId, ["subRates"], t);
      rates = ratesPress.action.rates;
      await ratesPress.ctx.answerCallbackQuery();

      const summary = t("subscribe-summary", {
        topics: topicListText(topics, translate, args.language),
        rates: rates ? t("rates-choice-yes", { time: args.ratesTime }) : t("rates-choice-no"),
        storyLanguages: storyLanguageListText(
          args.storyLanguages ?? [...STORY_LANGUAGES],
          translate,
          args.language,
        ),
        keywords: keywordInlineText(args.keywords ?? [], translate, args.language),
        delivery: deliveryText(
          {
            deliveryMode: args.deliveryMode ?? "instant",
            briefingHour: args.briefingHour ?? DEFAULT_BRIEFING_HOUR,
          },
          translate,
          args.language,
        ),
        quiet: quietSummaryText(args, translate, args.language),
        zone: zoneText(args, translate, args.language),
      });
      await ctx.api.editMessageText(args.chatId, messageId, summary, {
        parse_mode: "HTML",
        reply_markup: confirmKeyboard(translate, args.language),
      });
      const confirm = await waitForPress(conversation, args.starterId, messageId, ["subConfirm"], t);
      await confirm.ctx.answerCallbackQuery();
      if (confirm.action.op === "edit") continue;

      await conversation.external(async () => {
        await deps.subscriptions.subscribe(args.target ?? args.chatId, {
          kind: args.kind,
          language: args.language,
          topics,
          rates,
          ratesTime: args.ratesTime,
          ...(args.storyLanguages ? { storyLanguages: args.storyLanguages } : {}),
        });
        await deps.finished.mark(args.chatId, picked.messageId);
      });
      // A channel is managed from here, not from the channel: its confirmation says so.
      const done = t(args.kind === "channel" ? "channel-subscribe-done" : "subscribe-done", {
        topics: topicListText(topics, translate, args.language),
        ratesLine: rates ? t("subscribe-done-rates", { time: args.ratesTime }) : "",
      });
      await ctx.api.editMessageText(args.chatId, messageId, done, { parse_mode: "HTML" });
      return;
    }
  };
}

/** /topics (and the Topics button in /settings): the picker alone, saved on Done. */
export function topicsConversation(deps: DialogueDeps) {
  return async (conversation: Dialogue, ctx: Context, args: DialogueArgs): Promise<void> => {
    const { translate } = deps;
    const { topics, messageId } = await pickTopics(conversation, ctx, args, deps, "topics-heading");
    await conversation.external(async () => {
      await deps.subscriptions.setTopics(args.target ?? args.chatId, topics);
      await deps.finished.mark(args.chatId, messageId);
    });
    await ctx.api.editMessageText(
      args.chatId,
      messageId,
      translate(args.language, "topics-saved", { topics: topicListText(topics, translate, args.language) }),
      { parse_mode: "HTML" },
    );
  };
}
