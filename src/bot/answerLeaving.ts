/**
 * When the answer to an update leaves for Telegram. Flood control serves a repeated command by
 * the answer already on its way, but only while that answer is still in the bot (waiting for its
 * slot in the send budget): once it has left, a repeat may have been sent after the person saw
 * it, and is answered on its own. The moment is told by an API transformer installed innermost,
 * so it runs after the budget's wait and right before the HTTP request, and reaches the update's
 * handler through AsyncLocalStorage (the transformer sees only a method and a payload).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Transformer } from "grammy";

const leaving = new AsyncLocalStorage<() => void>();

/** Runs `handle` with `onLeave` called when its first message (not a chat action) is sent. */
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
    if (method.startsWith("send") && method !== "sendChatAction") leaving.getStore()?.();
    return prev(method, payload, signal);
  };
}
