/**
 * The one decision of what a send's result means for a delivery, shared by single jobs and
 * story batches. Pure: it reads the result (via `classifyTelegramError`) and the attempt it was,
 * and names what to do; the worker carries it out.
 */
import { classifyTelegramError } from "./telegramErrors.js";

/** What a send returned: nothing to decide on success, the thrown error otherwise. */
export type SendResult = { ok: true } | { ok: false; error: unknown };

/** Where the send stood when it ended. */
export type SendContext = {
  /** The attempt this was, from 1 (a batch's chat is on its first). */
  attempt: number;
  /** Attempts still allowed after this one (0: this was the last). */
  attemptsLeft: number;
  /** Migrations already followed for this message (0 or 1). */
  hop: number;
  /** First retry delay (doubling with each attempt). */
  backoffMs: number;
  /** The chat's pace gap: a retry sooner than this would only be paced again. */
  paceMs: number;
  /** The message went paid (allow_paid_broadcast, PAID_BROADCAST mode); unpaid when unset. */
  paid?: boolean;
};

/** What to do after a send. */
export type SendDecision =
  /** Out: record it in the ledger. */
  | { type: "sent" }
  /** A group became a supergroup: move the subscription and send again to the new id. */
  | { type: "migrate"; toChatId: number; reason: string }
  /** 429: every sender of the bot waits `retryAfterMs`, then this message goes again (no attempt used). */
  | { type: "rate-limited"; retryAfterMs: number; reason: string }
  /** The chat cannot receive messages any more: deactivate the subscription, no retry. */
  | { type: "deactivate"; status: "blocked" | "gone"; reason: string }
  /** Transient: try again in `delayMs`, using an attempt. */
  | { type: "retry"; delayMs: number; reason: string }
  /** Give up: keep it as a dead letter an admin can resend. */
  | { type: "dead-letter"; reason: string }
  /**
   * A paid message refused for want of Stars: mark its ref unpaid (the rest keeps to the free
   * rate) and send this one again, unpaid, in `delayMs` (when the chat's pace slot it took frees).
   */
  | { type: "unpaid"; delayMs: number; reason: string };

/** Decides what a send's result means. Never throws. */
export function decideAfterSend(result: SendResult, context: SendContext): SendDecision {
  if (result.ok) return { type: "sent" };
  const action = classifyTelegramError(result.error);
  switch (action.action) {
    case "rate-limited":
      return { type: "rate-limited", retryAfterMs: action.retryAfterMs, reason: action.reason };
    case "deactivate":
      return { type: "deactivate", status: action.status, reason: action.reason };
    case "migrate":
      // One migration is followed; a second in a row is a fault, not a chat that moved.
      return context.hop === 0
        ? { type: "migrate", toChatId: action.toChatId, reason: action.reason }
        : { type: "dead-letter", reason: action.reason };
    case "drop":
      return { type: "dead-letter", reason: action.reason };
    case "unpaid":
      // Only a paid send can lack Stars; said of an unpaid one, it is a fault like a bad message.
      return context.paid === true
        ? { type: "unpaid", delayMs: context.paceMs, reason: action.reason }
        : { type: "dead-letter", reason: action.reason };
    case "retry":
      if (context.attemptsLeft <= 0) return { type: "dead-letter", reason: action.reason };
      return { type: "retry", delayMs: retryDelayMs(context), reason: action.reason };
  }
}

/** Exponential backoff from `backoffMs` (as BullMQ's), never sooner than the chat's pace slot frees. */
export function retryDelayMs(context: Pick<SendContext, "attempt" | "backoffMs" | "paceMs">): number {
  return Math.max(context.backoffMs * 2 ** Math.max(0, context.attempt - 1), context.paceMs);
}
