import { conversations, createConversation } from "@grammyjs/conversations";
import { type Api, Composer, type Context } from "grammy";
import type { Translate } from "../../i18n/translator.js";
import { destinationKey } from "../../storage/destinations.js";
import type { RedisKeys } from "../../storage/keys.js";
import type { Redis } from "../../storage/redis.js";
import {
  type ChatKind,
  DELIVERY_MODES,
  nextRatesTime,
  type Subscription,
  type SubscriptionStore,
} from "../../storage/subscriptions.js";
import type { BotContext } from "../context.js";
import { FinishedDialogues } from "../conversations/finishedDialogues.js";
import { KEYWORDS_CONVERSATION, type KeywordsArgs, keywordsConversation } from "../conversations/keywords.js";
import { redisConversationStorage } from "../conversations/redisStorage.js";
import {
  type DialogueArgs,
  SUBSCRIBE_CONVERSATION,
  subscribeConversation,
  TOPICS_CONVERSATION,
  topicsConversation,
} from "../conversations/subscribe.js";
import { throughBotApi } from "../conversations/throughBotApi.js";
import { destinationOf } from "../destination.js";
import { languageKeyboard } from "../keyboards/language.js";
import {
  briefingHourKeyboard,
  quietHoursKeyboard,
  settingsView,
  storyLanguagesKeyboard,
  unsubscribeKeyboard,
  zoneKeyboard,
} from "../keyboards/subscription.js";

type Deps = {
  redis: Redis;
  keys: RedisKeys;
  translate: Translate;
  subscriptions: SubscriptionStore;
  /** TIMEZONE: the zone of briefing hours. */
  timeZone: string;
};

/**
 * Bumped whenever a dialogue's steps change, so state saved by older code is dropped, not
 * replayed. 2: the dialogue's API calls are recorded as `external` ops (throughBotApi.ts); a
 * dialogue saved by version 1 would fail to replay ("Bad replay"), so its person starts again.
 */
const DIALOGUE_VERSION = 2;

/** Callback kinds that only a running dialogue acts on. */
const DIALOGUE_KINDS: ReadonlySet<string> = new Set(["topic", "subRates", "subConfirm", "keywords"]);

/** Settings buttons that open another message: a double tap within this window opens it once. */
const OPENS_MESSAGE_WINDOW_SECONDS = 5;

/** Telegram's "GroupAnonymousBot": messages of anonymous group admins come from it. */
const ANONYMOUS_ADMIN_ID = 1087968824;

/**
 * Only a group's administrators may change its subscription; in a private chat, the user may.
 */
export async function canManage(ctx: Context): Promise<boolean> {
  const chat = ctx.chat;
  if (!chat || chat.type === "private") return true;
  const from = ctx.from;
  if (!from) return false;
  if (from.id === ANONYMOUS_ADMIN_ID && ctx.message?.sender_chat?.id === chat.id) return true;
  const member = await ctx.getChatMember(from.id);
  return member.status === "creator" || member.status === "administrator";
}

/**
 * /subscribe, /topics, /unsubscribe, /settings, /cancel, the settings buttons, and pausing or
 * resuming a chat when the bot is blocked, removed or started again.
 */
export function subscriptionFeature(deps: Deps): Composer<BotContext> {
  const { translate, subscriptions } = deps;
  const feature = new Composer<BotContext>();

  // Resuming must happen before /start's welcome (registered later) answers.
  feature.command("start", async (ctx, next) => {
    const resumed = ctx.chat ? await subscriptions.resume(ctx.chat.id, ["blocked"]) : false;
    await next();
    if (resumed) await ctx.reply(ctx.t("welcome-back"));
  });

  feature.on("my_chat_member", async (ctx) => {
    const status = ctx.myChatMember.new_chat_member.status;
    if (status === "kicked" || status === "left") {
      await subscriptions.setStatus(ctx.chat.id, "blocked");
      ctx.log.info({ status }, "bot blocked or removed; subscription paused");
    }
  });

  // /cancel works whether or not a dialogue is running, so it sits before the conversations.
  feature.command("cancel", async (ctx) => {
    const active = Object.keys(ctx.conversation.active()).length > 0;
    await ctx.conversation.exitAll();
    await ctx.reply(ctx.t(active ? "cancelled" : "nothing-to-cancel"));
  });

  const finished = new FinishedDialogues(deps.redis, deps.keys);
  const dialogueDeps = { translate, subscriptions, finished };
  feature.use(
    createConversation(subscribeConversation(dialogueDeps), { id: SUBSCRIBE_CONVERSATION }),
    createConversation(topicsConversation(dialogueDeps), { id: TOPICS_CONVERSATION }),
    createConversation(keywordsConversation(dialogueDeps), { id: KEYWORDS_CONVERSATION }),
  );

  // A dialogue button that no running dialogue took: a second tap on the press that finished it is
  // answered silently; any other (a replaced or forgotten dialogue) goes on to "no longer active".
  feature.filter(
    (ctx) => ctx.action !== undefined && DIALOGUE_KINDS.has(ctx.action.kind),
    async (ctx, next) => {
      const messageId = ctx.callbackQuery?.message?.message_id;
      if (ctx.chat && messageId !== undefined && (await finished.has(ctx.chat.id, messageId))) {
        await ctx.answerCallbackQuery();
        return;
      }
      await next();
    },
  );

  const dialogueArgs = (ctx: BotContext, existing: Subscription | undefined): DialogueArgs => ({
    language: existing?.language ?? ctx.language,
    chatId: ctx.chat?.id ?? 0,
    // In a forum topic the dialogue configures that topic, not the whole group.
    ...(destinationOf(ctx)?.threadId !== undefined ? { target: destinationOf(ctx) } : {}),
    kind: (ctx.chat?.type ?? "private") as ChatKind,
    starterId: ctx.from?.id ?? 0,
    topics: existing?.topics ?? [],
    rates: existing?.rates ?? true,
    ratesTime: existing?.ratesTime ?? "09:00",
    ...(existing
      ? {
          storyLanguages: existing.storyLanguages,
          keywords: existing.keywords,
          deliveryMode: existing.deliveryMode,
          briefingHour: existing.briefingHour,
          ...(existing.quietHours ? { quietHours: existing.quietHours } : {}),
          ...(existing.timeZone ? { timeZone: existing.timeZone } : {}),
        }
      : {}),
  });

  const startDialogue = async (ctx: BotContext, name: string, existing: Subscription | undefined) => {
    await ctx.conversation.exitAll();
    await ctx.conversation.enter(name, dialogueArgs(ctx, existing));
  };

  /** Stops a non-admin in a group with a notice; true when the caller may go on. */
  const guard = async (ctx: BotContext): Promise<boolean> => {
    if (await canManage(ctx)) return true;
    if (ctx.callbackQuery)
      await ctx.answerCallbackQuery({ text: ctx.t("group-admins-only"), show_alert: true });
    else await ctx.reply(ctx.t("group-admins-only"));
    return false;
  };

  feature.command("subscribe", async (ctx) => {
    const destination = destinationOf(ctx);
    if (!(await guard(ctx)) || !destination) return;
    await startDialogue(ctx, SUBSCRIBE_CONVERSATION, await subscriptions.get(destination));
  });

  const openTopics = async (ctx: BotContext) => {
    const destination = destinationOf(ctx);
    if (!(await guard(ctx)) || !destination) return;
    const existing = await subscriptions.get(destination);
    if (!existing) {
      await ctx.reply(ctx.t("not-subscribed"));
      return;
    }
    await startDialogue(ctx, TOPICS_CONVERSATION, existing);
  };
  feature.command("topics", openTopics);

  feature.command("unsubscribe", async (ctx) => {
    const destination = destinationOf(ctx);
    if (!(await guard(ctx)) || !destination) return;
    const existing = await subscriptions.get(destination);
    if (existing?.status !== "active") {
      await ctx.reply(ctx.t("not-subscribed"));
      return;
    }
    await ctx.reply(ctx.t("unsubscribe-confirm"), {
      reply_markup: unsubscribeKeyboard(translate, ctx.language),
    });
  });

  feature.filter(
    (ctx) => ctx.action?.kind === "unsub",
    async (ctx) => {
      const destination = destinationOf(ctx);
      if (ctx.action?.kind !== "unsub" || !destination || !(await guard(ctx))) return;
      if (ctx.action.confirm) await subscriptions.setStatus(destination, "paused");
      await ctx.answerCallbackQuery();
      await ctx.editMessageText(ctx.t(ctx.action.confirm ? "unsubscribed" : "unsubscribe-kept"));
    },
  );

  /** True for the first press of `op` on this message within the window; false for a double tap. */
  const firstTap = async (ctx: BotContext, op: string): Promise<boolean> => {
    const messageId = ctx.callbackQuery?.message?.message_id ?? 0;
    const claimed = await deps.redis.set(
      deps.keys.once(`tap:${ctx.chat?.id}:${messageId}:${op}`),
      "1",
      "EX",
      OPENS_MESSAGE_WINDOW_SECONDS,
      "NX",
    );
    return claimed === "OK";
  };

  feature.command("settings", async (ctx) => {
    const destination = destinationOf(ctx);
    if (!destination) return;
    const existing = await subscriptions.get(destination);
    if (!existing) {
      await ctx.reply(ctx.t("not-subscribed"));
      return;
    }
    const view = settingsView(existing, translate, ctx.language);
    await ctx.reply(view.text, { parse_mode: "HTML", reply_markup: view.keyboard });
  });

  feature.filter(
    (ctx) => ctx.action?.kind === "settings",
    async (ctx) => {
      const chatId = destinationOf(ctx);
      if (ctx.action?.kind !== "settings" || !chatId || !(await guard(ctx))) return;
      const existing = await subscriptions.get(chatId);
      if (!existing) {
        await ctx.answerCallbackQuery({ text: ctx.t("not-subscribed") });
        return;
      }
      const op = ctx.action.op;
      if ((op === "topics" || op === "language" || op === "keywords") && !(await firstTap(ctx, op))) {
        await ctx.answerCallbackQuery();
        return;
      }
      switch (op) {
        case "topics":
          await ctx.answerCallbackQuery();
          await startDialogue(ctx, TOPICS_CONVERSATION, existing);
          return;
        case "language":
          await ctx.answerCallbackQuery();
          await ctx.reply(ctx.t("language-choose"), { reply_markup: languageKeyboard(translate) });
          return;
        case "keywords":
          await ctx.answerCallbackQuery();
          await ctx.conversation.exitAll();
          await ctx.conversation.enter(KEYWORDS_CONVERSATION, keywordsArgs(ctx, existing));
          return;
        case "mode": {
          const next =
            DELIVERY_MODES[(DELIVERY_MODES.indexOf(existing.deliveryMode) + 1) % DELIVERY_MODES.length];
          await subscriptions.setDelivery(chatId, next ?? "instant");
          break;
        }
        case "zone":
          await ctx.answerCallbackQuery();
          await ctx.editMessageText(ctx.t("zone-heading", { zone: existing.timeZone ?? deps.timeZone }), {
            reply_markup: zoneKeyboard(existing.timeZone, translate, ctx.language),
          });
          return;
        case "quiet":
          await ctx.answerCallbackQuery();
          // The heading says what stories in them do now: held (the original text) or sent silently.
          await ctx.editMessageText(
            ctx.t(existing.quietHours?.mode === "silent" ? "quiet-heading-silent" : "quiet-heading", {
              zone: existing.timeZone ?? deps.timeZone,
            }),
            {
              reply_markup: quietHoursKeyboard(existing.quietHours, translate, ctx.language),
            },
          );
          return;
        case "hour":
          await ctx.answerCallbackQuery();
          await ctx.editMessageText(
            ctx.t("briefing-hour-heading", { zone: existing.timeZone ?? deps.timeZone }),
            {
              reply_markup: briefingHourKeyboard(existing.briefingHour, translate, ctx.language),
            },
          );
          return;
        case "storyLanguages":
          await ctx.answerCallbackQuery();
          await ctx.editMessageText(ctx.t("story-languages-heading"), {
            parse_mode: "HTML",
            reply_markup: storyLanguagesKeyboard(existing.storyLanguages, translate, ctx.language),
          });
          return;
        case "rates":
          await subscriptions.setRates(chatId, !existing.rates);
          break;
        case "time": {
          await subscriptions.setRates(chatId, existing.rates, nextRatesTime(existing.ratesTime));
          break;
        }
      }
      await ctx.answerCallbackQuery();
      const view = settingsView((await subscriptions.get(chatId)) ?? existing, translate, ctx.language);
      await ctx.editMessageText(view.text, { parse_mode: "HTML", reply_markup: view.keyboard });
    },
  );

  return feature;
}

/**
 * For a settings button: the chat's subscription, or undefined after telling a group member who
 * is no administrator, or a chat without a subscription, why nothing happens.
 */
export async function subscriptionForButton(
  ctx: BotContext,
  subscriptions: SubscriptionStore,
): Promise<Subscription | undefined> {
  if (!ctx.chat) return undefined;
  if (!(await canManage(ctx))) {
    await ctx.answerCallbackQuery({ text: ctx.t("group-admins-only"), show_alert: true });
    return undefined;
  }
  const existing = await subscriptions.get(ctx.chat.id);
  if (!existing) await ctx.answerCallbackQuery({ text: ctx.t("not-subscribed") });
  return existing;
}

/** What the keywords dialogue starts with, for the chat and the person in `ctx`. */
export function keywordsArgs(ctx: BotContext, existing: Subscription): KeywordsArgs {
  return {
    language: ctx.language,
    chatId: existing.chatId,
    starterId: ctx.from?.id ?? 0,
    keywords: existing.keywords,
  };
}

/**
 * The conversations plugin with Redis storage, every dialogue's calls going through `api` (the
 * bot's, with its send budget and retries); install before subscriptionFeature.
 */
export function conversationsPlugin(redis: Redis, keys: RedisKeys, api: Api) {
  return conversations<BotContext, Context>({
    plugins: throughBotApi(api),
    storage: {
      type: "key",
      version: DIALOGUE_VERSION,
      // Per destination: dialogues in two topics of one forum do not replace each other.
      getStorageKey: (ctx) => {
        const destination = destinationOf(ctx);
        return destination ? destinationKey(destination) : undefined;
      },
      adapter: redisConversationStorage(redis, keys),
    },
  });
}
