/**
 * When the answer to an update leaves for Telegram: from then on, the person may have seen it.
 * Flood control uses it twice. A message that comes before the chat's previous answer has left
 * did not wait for it (it is "queued"); one that comes after may be the person's next step, as
 * quick as they are. And a repeated command is served by the answer still in the bot (waiting for
 * its slot in the send budget), never by one that has left. The moment is told by an API
 * transformer installed innermost,
 * so it runs after the budget's wait and right before the HTTP request, and reaches the update's
 * handler through AsyncLocalStorage (the transformer sees only a method and a payload).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Transformer } from "grammy";
import { budgetClassOf } from "../delivery/index.js";

const leaving = new AsyncLocalStorage<() => void>();

/**
 * Runs `handle` with `onLeave` called when its first answer is sent: a message (not a chat
 * action), an edit, or the answer to a button press.
 */
export function whenAnswerLeaves<T>(onLeave: () => void, handle: () => Promise<T>): Promise<T> {
  let told = false;
  return leaving.run(() => {
    if (told) return;
    told = true;
    onLeave();
  }, handle);
}

/** Install first (`bot.api.config.use` before every other transformer), so it is innermost. */
export function markAnswerLeaving(): Transformer {
  return (prev, method, payload, signal) => {
    if (isAnswer(method)) leaving.getStore()?.();
    return prev(method, payload, signal);
  };
}

/** A message or an edit (what the send budget counts), or a button press's answer. */
function isAnswer(method: string): boolean {
  return budgetClassOf(method) !== "free" || method === "answerCallbackQuery";
}
