import type { Transformer } from "grammy";

/** Telegram's answer to an edit that would leave the message exactly as it is (a double tap). */
const NOT_MODIFIED = "message is not modified";
/** Telegram's answer to a second answerCallbackQuery, or one after its ~15 s window. */
const QUERY_ANSWERED = "query is too old";

const EDIT_METHODS = new Set([
  "editMessageText",
  "editMessageReplyMarkup",
  "editMessageCaption",
  "editMessageMedia",
]);

/**
 * An API transformer for the bot's own calls that treats two of Telegram's refusals as done:
 * an edit to what the message already shows ("message is not modified", the usual outcome of a
 * double tap) and an answer to a callback query that was already answered or has expired. Neither
 * leaves anything for the user to see, so neither is an error, a retry or a second message.
 * Every other refusal still reaches the caller.
 */
export function expectedRefusalsAsDone(): Transformer {
  return async (prev, method, payload, signal) => {
    const result = await prev(method, payload, signal);
    if (result.ok) return result;
    const description = result.description ?? "";
    const benign =
      (EDIT_METHODS.has(method) && description.includes(NOT_MODIFIED)) ||
      (method === "answerCallbackQuery" && description.includes(QUERY_ANSWERED));
    // `true` is what Telegram itself returns for these methods when there is no message to give back.
    return benign ? { ok: true, result: true as never } : result;
  };
}
