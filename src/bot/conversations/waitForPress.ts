import type { Conversation } from "@grammyjs/conversations";
import type { Context } from "grammy";
import { type CallbackAction, decodeCallback } from "../callbackData.js";
import type { BotContext } from "../context.js";

/**
 * Waits for a press of one of `kinds` on `messageId` by `starterId`. A dialogue takes only the
 * updates that belong to it; everything else goes on to the rest of the bot as if no dialogue
 * were open: presses on other messages (the /rates chart, /settings, /language, an old
 * /unsubscribe), commands (so /cancel, /help or a new dialogue work mid-way) and other people's
 * messages. Of what does belong to it: the starter's text gets a hint, other people's presses on
 * the dialogue's message a notice, forged data "expired", and a press of a previous step's button
 * (a double tap that arrived after the step moved on) a silent answer.
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
      // skip() rewinds the dialogue to this wait, as if the update had never reached it.
      if (query.message?.message_id !== messageId) await conversation.skip({ next: true });
      if (query.from.id !== starterId) {
        await ctx.answerCallbackQuery({ text: t("buttons-not-yours") });
        continue;
      }
      const action = decodeCallback(query.data);
      if (!action) {
        await ctx.answerCallbackQuery({ text: t("button-expired") });
        continue;
      }
      if (!(kinds as readonly string[]).includes(action.kind)) {
        await ctx.answerCallbackQuery();
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
