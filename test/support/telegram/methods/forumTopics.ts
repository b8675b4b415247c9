/**
 * Forum topics of supergroups: createForumTopic, closeForumTopic, reopenForumTopic,
 * deleteForumTopic, and what a message sent with message_thread_id gets when its topic is closed
 * or gone. General (no message_thread_id) always exists.
 */
import type { Json } from "../types.js";

export type ForumTopic = { name: string; closed: boolean; deleted: boolean };

/** Topics per forum chat id, by message_thread_id. */
export type ForumState = { topics: Map<number, Map<number, ForumTopic>>; nextThreadId: number };

export function newForumState(): ForumState {
  return { topics: new Map(), nextThreadId: 100 };
}

const badRequest = (description: string) => ({ ok: false, error_code: 400, description });

/** Opens a new topic in a forum; returns its message_thread_id. */
export function createTopic(state: ForumState, chatId: number, name: string): number {
  const threadId = state.nextThreadId++;
  let topics = state.topics.get(chatId);
  if (!topics) {
    topics = new Map();
    state.topics.set(chatId, topics);
  }
  topics.set(threadId, { name, closed: false, deleted: false });
  return threadId;
}

/**
 * What Telegram answers to a message for `threadId` of a forum, or undefined when it may go.
 * Confirmed: "Bad Request: message thread not found" for a deleted or unknown topic
 * (tdlib/telegram-bot-api#472, #854) and "TOPIC_CLOSED" for a closed one (tdesktop#30476).
 */
export function threadSendError(state: ForumState, chatId: number, threadId: number): Json | undefined {
  const topic = state.topics.get(chatId)?.get(threadId);
  if (!topic || topic.deleted) return badRequest("Bad Request: message thread not found");
  if (topic.closed) return badRequest("Bad Request: TOPIC_CLOSED");
  return undefined;
}

/** The forum-topic methods a bot may call (as an admin with can_manage_topics). */
export function forumTopicMethod(
  state: ForumState,
  method: string,
  chatId: number,
  params: Json,
): { result: unknown } | Json {
  if (method === "createForumTopic") {
    const name = String(params.name ?? "");
    if (name.length === 0 || name.length > 128) return badRequest("Bad Request: TOPIC_TITLE_EMPTY");
    const threadId = createTopic(state, chatId, name);
    return { result: { message_thread_id: threadId, name, icon_color: 7322096 } };
  }
  const threadId = Number(params.message_thread_id);
  const topic = state.topics.get(chatId)?.get(threadId);
  if (!topic || topic.deleted) return badRequest("Bad Request: message thread not found");
  switch (method) {
    case "closeForumTopic":
      topic.closed = true;
      return { result: true };
    case "reopenForumTopic":
      topic.closed = false;
      return { result: true };
    case "deleteForumTopic":
      topic.deleted = true;
      return { result: true };
    default:
      return badRequest(`Bad Request: ${method} is not a forum topic method`);
  }
}

export const FORUM_TOPIC_METHODS = new Set([
  "createForumTopic",
  "closeForumTopic",
  "reopenForumTopic",
  "deleteForumTopic",
]);
