/**
 * One send budget for everything the bot sends: a grammY API transformer that makes command
 * replies, edits and broadcasts' progress messages draw on the same Redis schedule as deliveries
 * (`SendAdmission`, SEND_RATE_LIMIT per second across every process), and a 429 on any of them
 * hold back every sender for `retry_after`.
 *
 * - Replies go first: they book the next free slot however far it is, while deliveries book at
 *   most `deliveryHorizonMs` ahead and wait when replies have booked beyond it.
 * - Per-chat pacing applies to replies too, with Telegram's short burst: a person who sends five
 *   commands at once gets three answers at once and the rest a second apart.
 * - Edits take a global slot but no chat pace (Telegram's per-chat limit counts new messages).
 * - answerCallbackQuery, chat actions and every other call pass untouched: Telegram does not
 *   count them as messages, and holding a callback answer behind a fan-out would only leave a
 *   button spinning.
 * - Fail-open: if Redis cannot be asked, the call goes anyway (a person always gets an answer);
 *   a wait beyond `maxReplyWaitMs` fails the call as a 429 would, so a handler never hangs.
 */
import type { Transformer } from "grammy";
import type { Logger } from "../logger.js";
import type { RedisKeys } from "../storage/keys.js";
import type { Redis } from "../storage/redis.js";
import type { DeliveryOptions } from "./options.js";
import { DELIVERY_DEFAULTS } from "./options.js";
import { ARRIVAL_MARGIN, SendAdmission } from "./sendAdmission.js";
import { classifyTelegramError } from "./telegramErrors.js";

/** New messages: the bot-wide limit and the chat's pace. */
const MESSAGE_METHODS = new Set([
  "sendMessage",
  "sendPhoto",
  "sendAudio",
  "sendDocument",
  "sendVideo",
  "sendAnimation",
  "sendVoice",
  "sendVideoNote",
  "sendPaidMedia",
  "sendMediaGroup",
  "sendLocation",
  "sendVenue",
  "sendContact",
  "sendPoll",
  "sendDice",
  "sendSticker",
  "sendInvoice",
  "sendGame",
  "copyMessage",
  "copyMessages",
  "forwardMessage",
  "forwardMessages",
]);
/** Changes to a sent message: the bot-wide limit only. */
const EDIT_METHODS = new Set([
  "editMessageText",
  "editMessageCaption",
  "editMessageMedia",
  "editMessageReplyMarkup",
  "editMessageLiveLocation",
  "stopMessageLiveLocation",
]);

/** How a Bot API method draws on the budget. */
export function budgetClassOf(method: string): "message" | "edit" | "free" {
  if (MESSAGE_METHODS.has(method)) return "message";
  if (EDIT_METHODS.has(method)) return "edit";
  return "free";
}

export type SendBudgetOptions = {
  redis: Redis;
  keys: RedisKeys;
  logger: Logger;
  /** Messages per second for the whole bot, across all processes (SEND_RATE_LIMIT). */
  ratePerSecond: number;
  /** PAID_BROADCAST mode: the free rate (FREE_SEND_RATE_LIMIT) replies and edits keep to as well. */
  freeRatePerSecond?: number | undefined;
} & Partial<Pick<DeliveryOptions, "privatePaceMs" | "groupPaceMs" | "replyBurst" | "maxReplyWaitMs">>;

/** The budget of the bot's own calls; install with `bot.api.config.use(budget.transformer)`. */
export class SendBudget {
  private readonly admission: SendAdmission;
  private readonly privatePaceMs: number;
  private readonly groupPaceMs: number;
  private readonly replyBurst: number;
  private readonly maxWaitMs: number;

  constructor(private readonly options: SendBudgetOptions) {
    this.admission = new SendAdmission(options);
    this.privatePaceMs = options.privatePaceMs ?? DELIVERY_DEFAULTS.privatePaceMs;
    this.groupPaceMs = options.groupPaceMs ?? DELIVERY_DEFAULTS.groupPaceMs;
    this.replyBurst = Math.max(1, options.replyBurst ?? DELIVERY_DEFAULTS.replyBurst);
    this.maxWaitMs = options.maxReplyWaitMs ?? DELIVERY_DEFAULTS.maxReplyWaitMs;
  }

  /** The grammY API transformer. Install it inside auto-retry, so each retry draws again. */
  readonly transformer: Transformer = async (prev, method, payload, signal) => {
    const kind = budgetClassOf(method);
    if (kind === "free") return prev(method, payload, signal);
    const chatId = kind === "message" ? numericChatId(payload) : undefined;
    const waitMs = await this.waitFor(chatId).catch((err: unknown) => {
      this.options.logger.warn({ err, method }, "send budget unavailable; sending without it");
      return 0;
    });
    if (waitMs > this.maxWaitMs) return tooManyRequests(waitMs);
    // grammY types its signal with the abort-controller polyfill's class; Node's is the same object.
    if (waitMs >= 1) await sleep(waitMs, signal as unknown as AbortSignal | undefined);
    const result = await prev(method, payload, signal);
    const action = result.ok ? undefined : classifyTelegramError(result);
    if (action?.action === "rate-limited") {
      // Every sender of the bot waits, deliveries in every process included.
      await this.admission.pause(action.retryAfterMs).catch(() => {});
    }
    return result;
  };

  /**
   * Books this call's slot (and the chat's pace for a message): ms until it may go. Waiting for a
   * busy chat happens here, before anything is booked, so a paced reply holds no global slot.
   */
  private async waitFor(chatId: number | undefined): Promise<number> {
    if (chatId === undefined) return this.admission.takeSlot();
    const paceMs = replyPaceMs(chatId < 0 ? this.groupPaceMs : this.privatePaceMs);
    const burstMs = (this.replyBurst - 1) * paceMs;
    let pacedMs = 0;
    for (;;) {
      const admission = await this.admission.admitReply(chatId, paceMs, burstMs);
      if (admission.verdict === "send") return pacedMs + admission.waitMs;
      if (pacedMs + admission.delayMs > this.maxWaitMs) return pacedMs + admission.delayMs;
      await sleep(admission.delayMs);
      pacedMs += admission.delayMs;
    }
  }
}

/**
 * A chat's pace for replies, kept ARRIVAL_MARGIN above Telegram's. The chat's allowance refills
 * at exactly 1 a second at the server, counted on arrival: a fourth answer booked exactly one
 * second after a burst of three arrives a few milliseconds early as often as late, and is refused
 * (what the e2e tests met once the emulator was as slow as Telegram).
 */
export function replyPaceMs(paceMs: number): number {
  return Math.ceil(paceMs * (1 + ARRIVAL_MARGIN));
}

function numericChatId(payload: unknown): number | undefined {
  const chatId = (payload as { chat_id?: unknown } | undefined)?.chat_id;
  return typeof chatId === "number" && Number.isSafeInteger(chatId) ? chatId : undefined;
}

/** The answer Telegram gives when the bot must wait: the caller's 429 handling applies. */
function tooManyRequests(waitMs: number) {
  const retryAfter = Math.ceil(waitMs / 1000);
  return {
    ok: false as const,
    error_code: 429,
    description: `Too Many Requests: retry after ${retryAfter}`,
    parameters: { retry_after: retryAfter },
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
