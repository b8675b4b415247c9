import type { Conversation } from "@grammyjs/conversations";
import type { Context } from "grammy";
import { type CallbackAction, decodeCallback } from "../callbackData.js";
import type { BotContext } from "../context.js";

/**
 * Waits for a press of one of `kinds` on `messageId` by `starterId`. Everything else gets a
 * sensible answer and the wait goes on: commands pass through to the rest of the bot (so /cancel,
 * /help or a new dialogue work mid-way), the starter's text gets a hint, presses on other messages,
 * forged data or presses by other people are answered and ignored.
 */
export async function waitForPress<K extends CallbackAction["kind"]>(
  conversation: Conversation<BotContext, Context>,
  starterId: number,
  messageId: number,
  kinds: readonly K[],
  t: (key: string) => string,
): Promise<{ ctx: Context; action: Extract<CallbackAction, { kind: K }> }> {
  for (;;) {
    const ctx = await conversation.wait();
    const query = ctx.callbackQuery;
    if (query) {
      const action = decodeCallback(query.data);
      if (query.from.id !== starterId) {
        await ctx.answerCallbackQuery({ text: t("buttons-not-yours") });
        continue;
      }
      if (
        !action ||
        query.message?.message_id !== messageId ||
        !(kinds as readonly string[]).includes(action.kind)
      ) {
        await ctx.answerCallbackQuery({ text: t("button-expired") });
        continue;
      }
      return { ctx, action: action as Extract<CallbackAction, { kind: K }> };
    }
    if (ctx.message?.text?.startsWith("/")) await conversation.skip({ next: true });
    if (ctx.message && ctx.from?.id === starterId) {
      await ctx.reply(t("conversation-use-buttons"));
      continue;
    }
    await conversation.skip({ next: true });
  }
}
