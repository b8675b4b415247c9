/**
 * Where a subscription's messages go: a chat, or one topic (message thread) of a forum
 * supergroup. Its key, `"<chat id>"` or `"<chat id>:<thread id>"`, stands wherever a chat id keyed
 * a subscription, the subscriber index or the delivery ledger before topics existed, so every key
 * stored by older versions (a bare chat id) is still a valid destination key.
 *
 * Also the record of channels and their managers: a channel is subscribed from its admins' private
 * chats, so the bot must know who may change its settings and whom to tell when it loses its rights.
 */
import { z } from "zod";
import type { Logger } from "../logger.js";
import type { RedisKeys } from "./keys.js";
import { parseStoredValue } from "./records.js";
import type { Redis } from "./redis.js";

export type Destination = {
  chatId: number;
  /** A forum topic's message_thread_id; absent for the chat itself (a forum's General topic). */
  threadId?: number;
};

/** A chat id alone (every caller before topics) or a destination. */
export type DestinationRef = number | Destination;

export function toDestination(ref: DestinationRef): Destination {
  return typeof ref === "number" ? { chatId: ref } : ref;
}

/** `"-1001234"` or `"-1001234:17"`: the subscriber-index member, ledger member and profile key part. */
export function destinationKey(ref: DestinationRef): string {
  const { chatId, threadId } = toDestination(ref);
  return threadId === undefined ? String(chatId) : `${chatId}:${threadId}`;
}

/** The destination a stored key names, or undefined for anything else (a corrupt member). */
export function parseDestinationKey(key: string): Destination | undefined {
  const match = /^(-?\d{1,20})(?::(\d{1,12}))?$/.exec(key);
  if (!match) return undefined;
  const chatId = Number(match[1]);
  if (!Number.isSafeInteger(chatId)) return undefined;
  if (match[2] === undefined) return { chatId };
  const threadId = Number(match[2]);
  return threadId > 0 ? { chatId, threadId } : undefined;
}

const channelSchema = z.object({
  title: z.string().default(""),
  username: z.string().optional(),
});

export type ChannelRecord = { chatId: number; title: string; username?: string };

/**
 * Channels connected from private chats: a title to list them by, and who manages each (user
 * ids, kept in both directions so /settings lists a user's channels in one read and a paused
 * channel's managers are found in one read).
 */
export class ChannelStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly logger: Logger,
  ) {}

  /** Records the channel (its current title) and `userId` as one of its managers. */
  async connect(channel: ChannelRecord, userId: number): Promise<void> {
    await this.redis
      .multi()
      .hset(this.keys.channel(channel.chatId), {
        title: channel.title,
        ...(channel.username ? { username: channel.username } : {}),
      })
      .sadd(this.keys.channelManagers(channel.chatId), userId)
      .sadd(this.keys.managedChannels(userId), channel.chatId)
      .exec();
  }

  /** Removes `userId` from the channel's managers. Returns how many managers are left. */
  async disconnect(chatId: number, userId: number): Promise<number> {
    const replies = await this.redis
      .multi()
      .srem(this.keys.channelManagers(chatId), userId)
      .srem(this.keys.managedChannels(userId), chatId)
      .scard(this.keys.channelManagers(chatId))
      .exec();
    return Number(replies?.[2]?.[1] ?? 0);
  }

  async get(chatId: number): Promise<ChannelRecord | undefined> {
    const key = this.keys.channel(chatId);
    const raw = await this.redis.hgetall(key);
    if (Object.keys(raw).length === 0) return undefined;
    const parsed = parseStoredValue(channelSchema, raw, key, this.logger);
    return parsed
      ? { chatId, title: parsed.title, ...(parsed.username ? { username: parsed.username } : {}) }
      : undefined;
  }

  async isManager(chatId: number, userId: number): Promise<boolean> {
    return (await this.redis.sismember(this.keys.channelManagers(chatId), userId)) === 1;
  }

  async managers(chatId: number): Promise<number[]> {
    return (await this.redis.smembers(this.keys.channelManagers(chatId)))
      .map(Number)
      .filter(Number.isSafeInteger);
  }

  /** The channels `userId` manages, with their records, sorted by title. */
  async managedBy(userId: number): Promise<ChannelRecord[]> {
    const ids = (await this.redis.smembers(this.keys.managedChannels(userId)))
      .map(Number)
      .filter(Number.isSafeInteger);
    const records = await Promise.all(
      ids.map(async (id) => (await this.get(id)) ?? { chatId: id, title: String(id) }),
    );
    return records.sort((a, b) => a.title.localeCompare(b.title));
  }
}
