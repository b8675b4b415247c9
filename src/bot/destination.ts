import type { Context } from "grammy";
import type { Destination } from "../storage/destinations.js";

/**
 * Where an update's chat receives news: the chat, or, for a message (or a button under one) in a
 * topic of a forum supergroup, that topic. Telegram marks topic messages with is_topic_message;
 * a forum's General topic has none, and so is the chat itself.
 */
export function destinationOf(ctx: Context): Destination | undefined {
  const chat = ctx.chat;
  if (!chat) return undefined;
  const msg = ctx.msg as { is_topic_message?: boolean; message_thread_id?: number } | undefined;
  const forum = chat.type === "supergroup" && chat.is_forum === true;
  if (forum && msg?.is_topic_message && msg.message_thread_id !== undefined) {
    return { chatId: chat.id, threadId: msg.message_thread_id };
  }
  return { chatId: chat.id };
}
