/**
 * From a job to the Bot API call that sends it: stories are formatted at send time in the
 * recipient's language, read and formatted once per few seconds for a whole fan-out.
 */
import type { Api } from "grammy";
import type { Translate } from "../i18n/translator.js";
import type { StoryStore } from "../news/storyStore.js";
import type { Story } from "../news/types.js";
import { formatStory } from "./formatStory.js";
import type { DeliveryJob } from "./queue.js";

/** One Bot API call that delivers a message. */
export type Outgoing =
  | { method: "sendMessage"; text: string; parseMode?: "HTML" }
  | { method: "sendPhoto"; photo: string; caption?: string; parseMode?: "HTML" }
  | { method: "copyMessage"; fromChatId: number; messageId: number };

/** Parameters every delivery call may carry besides its message (e.g. `allow_paid_broadcast`). */
/** Parameters a send adds: a forum topic's thread, a paid broadcast's allowance, no sound. */
export type SendExtras = {
  message_thread_id?: number;
  allow_paid_broadcast?: boolean;
  /** The message arrives without a notification sound (a chat's quiet hours, `silent` mode). */
  disable_notification?: boolean;
};

/** The short cache also picks up "also reported by" added while a fan-out runs. */
const STORY_CACHE_MS = 15_000;
const STORY_CACHE_MAX = 200;

export class MessageRenderer {
  private readonly storyCache = new Map<string, { at: number; story: Story | undefined }>();
  private readonly textCache = new Map<string, string>();

  constructor(
    private readonly stories: Pick<StoryStore, "getStory">,
    private readonly translate: Translate,
    private readonly timeZone: string,
  ) {}

  /** The call for a job; undefined when its story is no longer stored. */
  async render(data: DeliveryJob): Promise<Outgoing | undefined> {
    switch (data.kind) {
      case "story": {
        const story = await this.storyOf(data.storyId);
        if (!story) return undefined;
        const cacheKey = `${data.storyId}\u0000${data.language}`;
        let text = this.textCache.get(cacheKey);
        if (text === undefined) {
          text = formatStory(story, {
            language: data.language,
            translate: this.translate,
            timeZone: this.timeZone,
          });
          if (this.textCache.size >= STORY_CACHE_MAX) this.textCache.clear();
          this.textCache.set(cacheKey, text);
        }
        return { method: "sendMessage", text, parseMode: "HTML" };
      }
      case "text":
        return {
          method: "sendMessage",
          text: data.text,
          ...(data.parseMode ? { parseMode: data.parseMode } : {}),
        };
      case "photo":
        return {
          method: "sendPhoto",
          photo: data.photo,
          ...(data.caption !== undefined ? { caption: data.caption } : {}),
          ...(data.parseMode ? { parseMode: data.parseMode } : {}),
        };
      case "copy":
        return { method: "copyMessage", fromChatId: data.fromChatId, messageId: data.messageId };
    }
  }

  /** A story for a fan-out of thousands of jobs is read once per few seconds, not once per chat. */
  private async storyOf(storyId: string): Promise<Story | undefined> {
    const now = Date.now();
    const cached = this.storyCache.get(storyId);
    if (cached && now - cached.at < STORY_CACHE_MS) return cached.story;
    const story = await this.stories.getStory(storyId);
    if (this.storyCache.size >= STORY_CACHE_MAX) this.storyCache.clear();
    this.storyCache.set(storyId, { at: now, story });
    // The formatted texts of an older copy are stale now.
    for (const key of this.textCache.keys())
      if (key.startsWith(`${storyId}\u0000`)) this.textCache.delete(key);
    return story;
  }
}

/** Makes the call. Throws what grammY throws (GrammyError, HttpError), for `decideAfterSend`. */
export async function sendOutgoing(
  api: Api,
  chatId: number,
  message: Outgoing,
  extras: SendExtras = {},
): Promise<void> {
  const parseMode =
    message.method !== "copyMessage" && message.parseMode ? { parse_mode: message.parseMode } : {};
  if (message.method === "sendMessage") {
    await api.sendMessage(chatId, message.text, { ...parseMode, ...extras });
  } else if (message.method === "copyMessage") {
    await api.copyMessage(chatId, message.fromChatId, message.messageId, { ...extras });
  } else {
    await api.sendPhoto(chatId, message.photo, {
      ...(message.caption !== undefined ? { caption: message.caption } : {}),
      ...parseMode,
      ...extras,
    });
  }
}
