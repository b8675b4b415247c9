/**
 * The one place that decides what a failed Telegram call means for a delivery. Pure: it reads
 * the error and returns an action; the worker carries it out.
 */
import { GrammyError, HttpError } from "grammy";
import { errorText } from "../errorText.js";

/** What the worker does after a failed send. */
export type TelegramErrorAction =
  /** 429: the whole bot must pause (Telegram's limit is per bot, not per chat). */
  | { action: "rate-limited"; retryAfterMs: number; reason: string }
  /** The chat cannot receive messages any more: stop sending to it, no retry. */
  | { action: "deactivate"; status: "blocked" | "gone"; reason: string }
  /** A group became a supergroup: move the subscription and send to the new id. */
  | { action: "migrate"; toChatId: number; reason: string }
  /** Telegram or the network failed: the same message may succeed later. */
  | { action: "retry"; reason: string }
  /** The message itself is bad (400): retrying would fail the same way forever. */
  | { action: "drop"; reason: string }
  /** A paid broadcast's message refused for want of Stars: send it (and the rest) without paying. */
  | { action: "unpaid"; reason: string };

/** The shape of a Bot API error, as grammY's GrammyError or a raw `{ok: false, …}` answer. */
export type TelegramApiError = {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
};

// Telegram sends retry_after in whole seconds; without one, a pause of a few seconds is the
// documented safe choice rather than hammering again at once.
const DEFAULT_RETRY_AFTER_MS = 3000;
const MAX_REASON_LENGTH = 200;

// 403s and 400s that say the chat is out of reach for good (until the user comes back).
const GONE_PATTERNS = [
  /user is deactivated/i,
  /chat not found/i,
  /group chat was deleted/i,
  /peer_id_invalid/i,
  /user not found/i,
  /bots? can't send messages to bots/i,
  /channel_private/i,
  // A forum topic that was deleted: "Bad Request: message thread not found" (tdlib/telegram-bot-api
  // #472, #854). Only that topic is gone; the worker pauses the destination, not the whole chat.
  /message thread not found/i,
  /topic_deleted/i,
];
const BLOCKED_PATTERNS = [
  /bot was blocked by the user/i,
  /bot was kicked/i,
  /bot is not a member/i,
  /bot can't initiate conversation/i,
  /have no rights to send/i,
  /not enough rights to send/i,
  /need administrator rights/i,
  /chat_write_forbidden/i,
  /chat_restricted/i,
  // A closed forum topic: "Bad Request: TOPIC_CLOSED". It may be reopened, so "blocked", like a
  // user who may come back, rather than "gone"; either way it is never retried.
  /topic_closed/i,
];

// A paid broadcast (allow_paid_broadcast) the bot's Stars balance cannot pay for. Modelled, not
// confirmed: BALANCE_TOO_LOW is the MTProto error for a Stars balance too low, and the Bot API
// passes MTProto errors through as "Bad Request: <ERROR>"; the emulator answers with it.
const UNPAID_PATTERNS = [/balance_too_low/i, /not enough stars/i];

/** True for a value shaped like a Bot API error answer. */
export function isTelegramApiError(value: unknown): value is TelegramApiError {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.error_code === "number" && typeof v.description === "string";
}

/**
 * Maps any error thrown by a send (grammY's `GrammyError` or `HttpError`, a raw
 * `{error_code, description, parameters}`, a timeout, or anything else) to the action the
 * worker must take. Never throws. Unknown errors are retried: losing a message to a
 * misjudged transient fault is worse than a few extra attempts ending in a dead letter.
 */
export function classifyTelegramError(error: unknown): TelegramErrorAction {
  if (error instanceof HttpError) {
    // grammY's message names only the method, never the URL with the token.
    return { action: "retry", reason: `network: ${shorten(causeMessage(error.error) ?? error.message)}` };
  }
  const apiError = error instanceof GrammyError ? error : isTelegramApiError(error) ? error : undefined;
  if (!apiError) {
    const name = error instanceof Error ? error.name : "";
    const message = errorText(error);
    const kind = /abort|timeout/i.test(`${name} ${message}`) ? "timeout" : "error";
    return { action: "retry", reason: `${kind}: ${shorten(message)}` };
  }
  return classifyApiError(apiError);
}

function classifyApiError(error: TelegramApiError): TelegramErrorAction {
  const code = error.error_code;
  const description = error.description ?? "";
  const reason = `${code} ${shorten(description)}`;

  if (code === 429) {
    const seconds = error.parameters?.retry_after ?? retryAfterFromText(description);
    const retryAfterMs = seconds !== undefined && seconds > 0 ? seconds * 1000 : DEFAULT_RETRY_AFTER_MS;
    return { action: "rate-limited", retryAfterMs, reason };
  }
  const migrateTo = error.parameters?.migrate_to_chat_id;
  if (code === 400 && typeof migrateTo === "number" && Number.isSafeInteger(migrateTo)) {
    return { action: "migrate", toChatId: migrateTo, reason };
  }
  if ((code === 400 || code === 402) && UNPAID_PATTERNS.some((p) => p.test(description))) {
    return { action: "unpaid", reason };
  }
  if (code === 403 || code === 400) {
    if (GONE_PATTERNS.some((p) => p.test(description)))
      return { action: "deactivate", status: "gone", reason };
    if (BLOCKED_PATTERNS.some((p) => p.test(description))) {
      return { action: "deactivate", status: "blocked", reason };
    }
    // Any other 403 is still "you may not write here": retrying cannot change that.
    if (code === 403) return { action: "deactivate", status: "blocked", reason };
    return { action: "drop", reason };
  }
  // 401/404 mean our token or API root is wrong: every message fails alike, so keep them
  // (retries, then dead letters an admin can resend) rather than dropping them.
  return { action: "retry", reason };
}

function retryAfterFromText(description: string): number | undefined {
  const match = /retry after (\d+)/i.exec(description);
  return match ? Number(match[1]) : undefined;
}

function causeMessage(cause: unknown): string | undefined {
  if (cause instanceof Error) {
    const code = (cause as Error & { code?: unknown }).code;
    return typeof code === "string" ? `${code} ${cause.message}` : cause.message;
  }
  return cause === undefined ? undefined : String(cause);
}

// node-fetch quotes the request URL in its errors, and the URL holds the bot token: reasons are
// logged and stored in dead letters, so anything token-shaped is cut out first.
const TOKEN_PATTERN = /\d{5,}:[A-Za-z0-9_-]{20,}/g;

function shorten(text: string): string {
  const safe = text.replace(TOKEN_PATTERN, "[token]");
  return safe.length <= MAX_REASON_LENGTH ? safe : `${safe.slice(0, MAX_REASON_LENGTH - 1)}…`;
}
