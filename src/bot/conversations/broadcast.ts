import type { Conversation } from "@grammyjs/conversations";
import type { Context } from "grammy";
import type { Audience } from "../../admin/audience.js";
import { audienceDetail, countAudience } from "../../admin/audience.js";
import type { AuditLog } from "../../admin/audit.js";
import { type BroadcastStore, progressText } from "../../admin/broadcasts.js";
import { type BroadcastRates, estimateBroadcast } from "../../admin/paidBroadcast.js";
import { parseCounts } from "../../admin/progress.js";
import { errorText } from "../../errorText.js";
import type { Language } from "../../i18n/languages.js";
import type { Translate } from "../../i18n/translator.js";
import type { TopicId } from "../../news/topicIds.js";
import type { SubscriptionStore } from "../../storage/subscriptions.js";
import type { BotContext } from "../context.js";
import {
  audienceKeyboard,
  audienceLanguagesKeyboard,
  audienceText,
  audienceTopicsKeyboard,
  broadcastConfirmKeyboard,
  paidChoiceText,
} from "../keyboards/admin.js";
import { waitForPress } from "./waitForPress.js";

export const BROADCAST_CONVERSATION = "broadcast";

/** What /broadcast starts with; serialised by the plugin, so plain data only. */
export type BroadcastArgs = { language: Language; chatId: number; adminId: number };

type Dialogue = Conversation<BotContext, Context>;

export type BroadcastDialogueDeps = {
  translate: Translate;
  subscriptions: Pick<SubscriptionStore, "activeRecipients">;
  store: BroadcastStore;
  audit: AuditLog;
  /** Free and (PAID_BROADCAST) paid rates: with a paid rate, the admin chooses, seeing the cost. */
  rates?: BroadcastRates;
};

/** Step 1: the announcement itself, any message Telegram can copy. Returns its message id. */
async function waitForAnnouncement(conversation: Dialogue): Promise<number> {
  for (;;) {
    const ctx = await conversation.wait();
    // No button belongs to this step: a press is another message's (the /rates chart, /settings).
    if (ctx.callbackQuery) await conversation.skip({ next: true });
    const message = ctx.message;
    if (!message || message.text?.startsWith("/")) await conversation.skip({ next: true });
    if (message) return message.message_id;
  }
}

/**
 * /broadcast: the announcement, a preview that is a copy made exactly as recipients get it, the
 * audience with its size, then confirmation. Nothing is stored before Send, so leaving half-way
 * (or /cancel) changes nothing. On Send the broadcast is queued for the runner, and the dialogue
 * message becomes its live progress message.
 */
export function broadcastConversation(deps: BroadcastDialogueDeps) {
  return async (conversation: Dialogue, ctx: Context, args: BroadcastArgs): Promise<void> => {
    const { translate } = deps;
    const t = (key: string, vars?: Record<string, string | number>) => translate(args.language, key, vars);
    await ctx.reply(t("broadcast-ask"), { parse_mode: "HTML" });

    let sourceId: number;
    for (;;) {
      sourceId = await waitForAnnouncement(conversation);
      // The preview is made with the very call the recipients' copies use: what the admin sees
      // here is what they get (formatting, media, captions, forwarded content).
      try {
        await ctx.api.copyMessage(args.chatId, args.chatId, sourceId);
        break;
      } catch (err) {
        await ctx.reply(t("broadcast-copy-failed", { reason: errorText(err).slice(0, 200) }));
      }
    }

    const menuId = (
      await ctx.reply(t("broadcast-preview"), {
        parse_mode: "HTML",
        reply_markup: audienceKeyboard(translate, args.language),
      })
    ).message_id;
    const edit = (text: string, keyboard?: Parameters<typeof ctx.api.editMessageText>[3]) =>
      ctx.api.editMessageText(args.chatId, menuId, text, { parse_mode: "HTML", ...keyboard });

    for (;;) {
      const picked = await waitForPress(
        conversation,
        args.adminId,
        menuId,
        ["bcAudience", "bcPlaces", "bcConfirm"],
        t,
      );
      await picked.ctx.answerCallbackQuery();
      if (picked.action.kind === "bcConfirm") {
        await edit(t("broadcast-dropped"));
        return;
      }
      let audience: Audience;
      if (picked.action.kind === "bcPlaces") {
        audience = { kind: "places", places: picked.action.op };
      } else if (picked.action.op === "topics") {
        const topics = await pickSet<TopicId>(conversation, args, menuId, "bcTopic", t, (selected) =>
          edit(t("broadcast-pick-topics"), {
            reply_markup: audienceTopicsKeyboard(selected, translate, args.language),
          }),
        );
        audience = { kind: "topics", topics };
      } else if (picked.action.op === "languages") {
        const languages = await pickSet<Language>(conversation, args, menuId, "bcLang", t, (selected) =>
          edit(t("broadcast-pick-languages"), {
            reply_markup: audienceLanguagesKeyboard(selected, translate, args.language),
          }),
        );
        audience = { kind: "languages", languages };
      } else audience = { kind: "all" };

      const count = await conversation.external(() => countAudience(deps.subscriptions, audience));
      const described = audienceText(audience, translate, args.language);
      // Paid mode: both options with their time, and the most Stars the paid one can cost.
      const rates = deps.rates;
      const paidChoice =
        rates?.paidPerSecond !== undefined && count > 0
          ? paidChoiceText(
              estimateBroadcast(count, rates),
              { freePerSecond: rates.freePerSecond, paidPerSecond: rates.paidPerSecond },
              translate,
              args.language,
            )
          : undefined;
      await edit(
        count > 0
          ? [t("broadcast-confirm", { audience: described, count }), paidChoice].filter(Boolean).join("\n\n")
          : t("broadcast-nobody", { audience: described }),
        {
          reply_markup: broadcastConfirmKeyboard(
            translate,
            args.language,
            count > 0,
            paidChoice !== undefined,
          ),
        },
      );
      const confirm = await waitForPress(conversation, args.adminId, menuId, ["bcConfirm"], t);
      await confirm.ctx.answerCallbackQuery();
      if (confirm.action.op === "cancel") {
        await edit(t("broadcast-dropped"));
        return;
      }
      if (confirm.action.op === "back") {
        await edit(t("broadcast-preview"), { reply_markup: audienceKeyboard(translate, args.language) });
        continue;
      }

      await edit(t("broadcast-preparing"));
      const created = await conversation.external(async () => {
        const broadcast = await deps.store.create({
          adminId: args.adminId,
          fromChatId: args.chatId,
          messageId: sourceId,
          audience,
          progressMessageId: menuId,
          language: args.language,
          paid: confirm.action.op === "paid" && paidChoice !== undefined,
        });
        await deps.audit.record({
          adminId: args.adminId,
          action: "broadcast",
          detail: `#${broadcast.id} ${audienceDetail(audience)}${broadcast.paid ? " paid" : ""}`,
          audience: broadcast.total,
        });
        const ahead = (await deps.store.queued()).indexOf(broadcast.id);
        return { id: broadcast.id, total: broadcast.total, paid: broadcast.paid, ahead };
      });
      // The runner edits the message from now on; one queued behind another shows so until then.
      if (created.ahead > 0) {
        await edit(
          progressText(
            translate,
            {
              id: created.id,
              status: "queued",
              total: created.total,
              language: args.language,
              paid: created.paid,
            },
            parseCounts({}),
            [],
          ),
        );
      }
      return;
    }
  };
}

/** Toggles on one message until Done with at least one chosen; returns the choice. */
async function pickSet<T extends TopicId | Language>(
  conversation: Dialogue,
  args: BroadcastArgs,
  messageId: number,
  kind: "bcTopic" | "bcLang",
  t: (key: string) => string,
  render: (selected: ReadonlySet<T>) => Promise<unknown>,
): Promise<T[]> {
  const selected = new Set<T>();
  await render(selected);
  for (;;) {
    const { ctx, action } = await waitForPress(conversation, args.adminId, messageId, [kind], t);
    if (action.op === "done") {
      if (selected.size === 0) {
        await ctx.answerCallbackQuery({ text: t("broadcast-pick-one"), show_alert: true });
        continue;
      }
      await ctx.answerCallbackQuery();
      return [...selected];
    }
    const value = (action.kind === "bcTopic" ? action.topic : action.language) as T | undefined;
    if (value !== undefined) {
      if (selected.has(value)) selected.delete(value);
      else selected.add(value);
    }
    await ctx.answerCallbackQuery();
    await render(selected);
  }
}
