import type { Conversation } from "@grammyjs/conversations";
import { type Context, InlineKeyboard } from "grammy";
import type { Language } from "../../i18n/languages.js";
import type { Translate } from "../../i18n/translator.js";
import type { SubscriptionStore } from "../../storage/subscriptions.js";
import { parseKeywords } from "../../subscriber/keywords.js";
import { decodeCallback, encodeCallback } from "../callbackData.js";
import type { BotContext } from "../context.js";
import { keywordListText, keywordsSavedText } from "../views/choices.js";
import type { FinishedDialogues } from "./finishedDialogues.js";

export const KEYWORDS_CONVERSATION = "keywords";

/** What the keywords dialogue starts with; serialised by the plugin, so plain data only. */
export type KeywordsArgs = { language: Language; chatId: number; starterId: number; keywords: string[] };

type Deps = { translate: Translate; subscriptions: SubscriptionStore; finished: FinishedDialogues };

/**
 * /keywords (and the Keywords button in /settings): shows the current keywords as understood and
 * waits for the starter's list, which replaces them; the Clear button removes them all. A list
 * with nothing usable is explained and asked for again. Like every dialogue it takes only its
 * own updates: commands, other messages' buttons and other people's messages go on to the bot.
 */
export function keywordsConversation(deps: Deps) {
  return async (conversation: Conversation<BotContext, Context>, ctx: Context, args: KeywordsArgs) => {
    const { translate } = deps;
    const t = (key: string, vars?: Record<string, string | number>) => translate(args.language, key, vars);
    const prompt = await ctx.reply(
      t("keywords-prompt", { keywords: keywordListText(args.keywords, translate, args.language) }),
      {
        parse_mode: "HTML",
        ...(args.keywords.length > 0
          ? {
              reply_markup: new InlineKeyboard().text(
                t("button-keywords-clear"),
                encodeCallback({ kind: "keywords", op: "clear" }),
              ),
            }
          : {}),
      },
    );
    const finish = () => deps.finished.mark(args.chatId, prompt.message_id);
    for (;;) {
      const update = await conversation.wait();
      const query = update.callbackQuery;
      if (query) {
        if (query.message?.message_id !== prompt.message_id) await conversation.skip({ next: true });
        if (query.from.id !== args.starterId) {
          await update.answerCallbackQuery({ text: t("buttons-not-yours") });
          continue;
        }
        await update.answerCallbackQuery();
        if (decodeCallback(query.data)?.kind !== "keywords") continue;
        await conversation.external(async () => {
          await deps.subscriptions.setKeywords(args.chatId, []);
          await finish();
        });
        await ctx.api.editMessageText(args.chatId, prompt.message_id, t("keywords-cleared"));
        return;
      }
      const text = update.message?.text;
      if (text === undefined || text.startsWith("/") || update.from?.id !== args.starterId) {
        await conversation.skip({ next: true });
        continue;
      }
      const parsed = parseKeywords(text);
      if (parsed.keywords.length === 0) {
        await update.reply(keywordsSavedText(parsed, translate, args.language, false), {
          parse_mode: "HTML",
        });
        continue;
      }
      await conversation.external(async () => {
        await deps.subscriptions.setKeywords(args.chatId, parsed.keywords);
        await finish();
      });
      // The prompt's Clear button would act on the old list: it goes.
      if (args.keywords.length > 0) await ctx.api.editMessageReplyMarkup(args.chatId, prompt.message_id);
      await update.reply(keywordsSavedText(parsed, translate, args.language, true), { parse_mode: "HTML" });
      return;
    }
  };
}
