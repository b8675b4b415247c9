import type { MessageEntity } from "./html.js";
/** The shapes of Telegram objects the emulator stores and returns. */

export type Json = Record<string, unknown>;

export type TgUser = {
  id: number;
  is_bot: boolean;
  first_name: string;
  username?: string;
  language_code?: string;
};
export type TgChat = {
  id: number;
  type: "private" | "group" | "supergroup" | "channel";
  title?: string;
  first_name?: string;
  username?: string;
};
export type InlineButton = { text: string; callback_data?: string; url?: string };
export type ReplyMarkup = { inline_keyboard?: InlineButton[][] };

/** A message the bot sent, as the emulator keeps it (edits update it in place). */
export type SentMessage = {
  message_id: number;
  chat: TgChat;
  date: number;
  text?: string;
  caption?: string;
  /** The text and caption as users see them (after parse_mode), with entities in UTF-16 units. */
  shownText?: string;
  entities?: MessageEntity[];
  shownCaption?: string;
  caption_entities?: MessageEntity[];
  parse_mode?: string;
  /** An uploaded photo keeps its bytes, so tests can check the image itself. */
  photo?: { bytes: number; file_id: string; data?: Blob };
  reply_markup?: ReplyMarkup;
  /** Every text the message had, oldest first, to assert on edits. */
  history: string[];
  method: string;
  /** Arrival time in ms (performance.now()), for latency figures. */
  at: number;
};

export type ApiCall = { method: string; params: Json; at: number; status: number };
