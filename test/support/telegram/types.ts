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
  /** A supergroup with topics. */
  is_forum?: boolean;
};
export type InlineButton = { text: string; callback_data?: string; url?: string };
/** A reply-keyboard button: plain text, or a request_chat picker (KeyboardButtonRequestChat). */
export type KeyboardButton = { text: string; request_chat?: Json };
export type ReplyMarkup = {
  inline_keyboard?: InlineButton[][];
  keyboard?: KeyboardButton[][];
  remove_keyboard?: boolean;
};

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
  /** The forum topic the message was sent to (absent: the chat, or a forum's General). */
  message_thread_id?: number;
  /** Every text the message had, oldest first, to assert on edits. */
  history: string[];
  method: string;
  /** Arrival time in ms (performance.now()), for latency figures. */
  at: number;
};

/**
 * One call as the server saw it: `at` its arrival (performance.now(), where limits are counted),
 * `answeredAt` when its answer left for the bot (after the way back; unset until then).
 */
export type ApiCall = { method: string; params: Json; at: number; status: number; answeredAt?: number };
