import type { Json, SentMessage, TgUser } from "./types.js";

/** A stored message as the Bot API returns it. */
export function toTelegramMessage(m: SentMessage, bot: TgUser): Json {
  return {
    message_id: m.message_id,
    from: bot,
    chat: m.chat,
    date: m.date,
    ...(m.message_thread_id !== undefined
      ? { message_thread_id: m.message_thread_id, is_topic_message: true }
      : {}),
    // Telegram answers with the parsed text and its entities, never the HTML that was sent.
    ...(m.text !== undefined ? { text: m.shownText ?? m.text } : {}),
    ...(m.entities?.length ? { entities: m.entities } : {}),
    ...(m.caption !== undefined ? { caption: m.shownCaption ?? m.caption } : {}),
    ...(m.caption_entities?.length ? { caption_entities: m.caption_entities } : {}),
    ...(m.photo
      ? { photo: [{ file_id: m.photo.file_id, file_unique_id: m.photo.file_id, width: 800, height: 400 }] }
      : {}),
    ...(m.reply_markup ? { reply_markup: m.reply_markup } : {}),
  };
}
