/**
 * Telling people that a channel or a forum topic stopped receiving news. A channel is told to its
 * managers in their private chats (nobody reads a bot's complaint inside the channel, and the bot
 * cannot post there any more); a topic is told in its forum's General topic, where the group's
 * admins see it. Notices go through the delivery queue like any message, so they are paced,
 * retried and sent once.
 */
import type { DeliveryEvent, DeliveryJob } from "../delivery/index.js";
import { escapeHtml } from "../html.js";
import type { Language } from "../i18n/languages.js";
import type { Translate } from "../i18n/translator.js";
import type { Logger } from "../logger.js";
import { type ChannelStore, type Destination, destinationKey } from "../storage/destinations.js";
import type { RedisKeys } from "../storage/keys.js";
import type { Redis } from "../storage/redis.js";
import type { SubscriptionStore } from "../storage/subscriptions.js";

export type PauseNoticeDeps = {
  redis: Redis;
  keys: RedisKeys;
  logger: Logger;
  translate: Translate;
  subscriptions: Pick<SubscriptionStore, "get">;
  channels: Pick<ChannelStore, "get" | "managers">;
  /** A person's or a chat's language (ProfileStore.getLanguage). */
  languageOf: (chatId: number) => Promise<Language | undefined>;
  /** The delivery queue's enqueue. */
  enqueue: (jobs: DeliveryJob[]) => Promise<unknown>;
  /** Counts a pause (the metrics). */
  onPaused?: (kind: "channel" | "topic") => void;
};

/**
 * One pause gives one notice: a fan-out that meets a removed channel in several jobs at once
 * reports it once in this window, not once per story.
 */
const NOTICE_WINDOW_MS = 10 * 60_000;

export class PauseNotices {
  constructor(private readonly deps: PauseNoticeDeps) {}

  /** Reports that `destination` was paused because the bot can no longer post there. */
  async paused(destination: Destination): Promise<void> {
    await this.notify(destination, "paused");
  }

  /** Reports that `destination` receives news again (the bot got its rights back). */
  async resumed(destination: Destination): Promise<void> {
    await this.notify(destination, "resumed");
  }

  /** The worker's event hook: a channel or topic it found unreachable is reported (never throws). */
  onDeliveryEvent(event: DeliveryEvent): void {
    if (event.type !== "deactivated") return;
    const destination =
      event.threadId === undefined
        ? { chatId: event.chatId }
        : { chatId: event.chatId, threadId: event.threadId };
    this.paused(destination).catch((err: Error) =>
      this.deps.logger.warn({ err, chatId: event.chatId }, "could not report a paused destination"),
    );
  }

  private async notify(destination: Destination, what: "paused" | "resumed"): Promise<void> {
    const { redis, keys, subscriptions, channels, translate } = this.deps;
    const subscription = await subscriptions.get(destination);
    const isTopic = destination.threadId !== undefined;
    if (!subscription || (!isTopic && subscription.kind !== "channel")) return;
    const key = destinationKey(destination);
    const other = what === "paused" ? "resumed" : "paused";
    // A pause after a resume (or the other way round) is news again, however soon it comes.
    const [[, fresh] = []] =
      (await redis
        .multi()
        .set(keys.once(`notice:${what}:${key}`), "1", "PX", NOTICE_WINDOW_MS, "NX")
        .del(keys.once(`notice:${other}:${key}`))
        .exec()) ?? [];
    if (fresh !== "OK") return;
    if (what === "paused") this.deps.onPaused?.(isTopic ? "topic" : "channel");
    const ref = `notice:${what}:${key}:${Date.now()}`;
    const jobs: DeliveryJob[] = [];
    if (isTopic) {
      const language = (await this.deps.languageOf(destination.chatId)) ?? subscription.language;
      jobs.push({
        kind: "text",
        ref,
        chatId: destination.chatId,
        text: translate(language, `topic-${what}-notice`, { thread: String(destination.threadId) }),
        parseMode: "HTML",
      });
    } else {
      const title = escapeHtml((await channels.get(destination.chatId))?.title ?? String(destination.chatId));
      for (const manager of await channels.managers(destination.chatId)) {
        const language = (await this.deps.languageOf(manager)) ?? subscription.language;
        jobs.push({
          kind: "text",
          ref,
          chatId: manager,
          text: translate(language, `channel-${what}-notice`, { title }),
          parseMode: "HTML",
        });
      }
    }
    if (jobs.length > 0) await this.deps.enqueue(jobs);
    this.deps.logger.info({ destination: key, what, told: jobs.length }, "destination status reported");
  }
}
