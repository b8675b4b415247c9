/**
 * Telegram's checks on what a bot sends, each with the description Telegram answers. Every
 * function returns the Bot API description of the first violation, or undefined. Lengths are in
 * UTF-16 code units (JavaScript string length), as Telegram counts them.
 */
import type { ReplyMarkup } from "./types.js";

/** Message text: 1–4096 characters after entity parsing. */
export const MAX_TEXT_LENGTH = 4096;
/** Caption: 0–1024 characters after entity parsing. */
export const MAX_CAPTION_LENGTH = 1024;
/** callback_data: 1–64 bytes. */
export const MAX_CALLBACK_DATA_BYTES = 64;
/** answerCallbackQuery text: 0–200 characters. */
export const MAX_CALLBACK_ANSWER_LENGTH = 200;

/** The optional fields of an InlineKeyboardButton, of which exactly one must be used. */
const BUTTON_ACTIONS = [
  "url",
  "callback_data",
  "web_app",
  "login_url",
  "switch_inline_query",
  "switch_inline_query_current_chat",
  "switch_inline_query_chosen_chat",
  "copy_text",
  "callback_game",
  "pay",
];

export function checkText(text: string): string | undefined {
  // Telegram trims the text; whitespace alone is empty.
  if (text.trim().length === 0) return "Bad Request: message text is empty";
  if (text.length > MAX_TEXT_LENGTH) return "Bad Request: message is too long";
  return undefined;
}

export function checkCaption(caption: string): string | undefined {
  if (caption.length > MAX_CAPTION_LENGTH) return "Bad Request: message caption is too long";
  return undefined;
}

export function checkReplyMarkup(markup: ReplyMarkup | undefined): string | undefined {
  for (const row of markup?.inline_keyboard ?? []) {
    for (const button of row as Array<Record<string, unknown>>) {
      // Confirmed (tdlib error tables quoted in several bot libraries).
      if (typeof button.text !== "string") {
        return 'Bad Request: can\'t parse inline keyboard button: Field "text" must be of type String';
      }
      const actions = BUTTON_ACTIONS.filter((field) => button[field] !== undefined);
      // Confirmed: Telegram's answer to a button with no action (aiogram, python-telegram-bot users).
      if (actions.length === 0) {
        return "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard";
      }
      // Not confirmed: the Bot API's wording for a button with two actions.
      if (actions.length > 1) {
        return "Bad Request: can't parse inline keyboard button: exactly one of the optional fields must be used";
      }
      if (button.callback_data !== undefined) {
        const bytes = Buffer.byteLength(String(button.callback_data), "utf8");
        // Confirmed: "Bad Request: BUTTON_DATA_INVALID" (jehy/telegram-test-api#62, slimbot#25).
        if (bytes < 1 || bytes > MAX_CALLBACK_DATA_BYTES) return "Bad Request: BUTTON_DATA_INVALID";
      }
      // Not confirmed: the server's answer to an empty label.
      if (button.text === "") return "Bad Request: BUTTON_TEXT_INVALID";
    }
  }
  return undefined;
}

/**
 * setMyCommands: ≤100 commands of 1–32 characters from [a-z0-9_], descriptions 1–256 characters.
 * Texts confirmed in tdlib (td/telegram/BotCommand.cpp: "Command description must be non-empty",
 * "... length must not exceed 256", which the Bot API lowercases) and by tdlib's maintainer for
 * BOT_COMMAND_INVALID (tdlib/telegram-bot-api#98); BOT_COMMANDS_TOO_MUCH is Telegram's RPC error.
 */
export function checkCommands(commands: unknown): string | undefined {
  if (!Array.isArray(commands)) return "Bad Request: can't parse commands JSON object";
  if (commands.length > 100) return "Bad Request: BOT_COMMANDS_TOO_MUCH";
  for (const entry of commands as Array<{ command?: unknown; description?: unknown }>) {
    const command = String(entry.command ?? "").trim();
    const description = String(entry.description ?? "").trim();
    if (command.length === 0) return "Bad Request: command must be non-empty";
    if (command.length > 32) return "Bad Request: command length must not exceed 32";
    if (description.length === 0) return "Bad Request: command description must be non-empty";
    if (description.length > 256) return "Bad Request: command description length must not exceed 256";
    if (!/^[a-z0-9_]+$/.test(command)) return "Bad Request: BOT_COMMAND_INVALID";
  }
  return undefined;
}
