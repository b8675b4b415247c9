import { z } from "zod";
import { isLanguage, type Language } from "../i18n/languages.js";
import type { Logger } from "../logger.js";
import { TOPIC_IDS, type TopicId } from "../news/topicIds.js";
import type { RedisKeys } from "./keys.js";
import { parseStoredValue } from "./records.js";
import type { Redis } from "./redis.js";
import { scriptsOf } from "./scripts.js";

/** The daily rates message times a subscriber may pick (local time in TIMEZONE). */
export const RATES_TIMES = ["08:00", "09:00", "12:00", "18:00"] as const;
export type RatesTime = (typeof RATES_TIMES)[number];

export type ChatKind = "private" | "group" | "supergroup" | "channel";

/**
 * Why a chat receives nothing: `paused` by the user (/unsubscribe), `blocked` (the user blocked
 * the bot or left), `gone` (Telegram says the chat does not exist or the user is deactivated).
 */
export type SubscriptionStatus = "active" | "paused" | "blocked" | "gone";

export type Subscription = {
  chatId: number;
  kind: ChatKind;
  language: Language;
  topics: TopicId[];
  rates: boolean;
  ratesTime: RatesTime;
  status: SubscriptionStatus;
  /** Epoch ms of the first confirmed subscription. */
  since: number;
};

/** A subscriber as fan-out sees it: just what it needs to pick recipients. */
export type Recipient = {
  chatId: number;
  language: Language;
  topicMask: number;
  rates: boolean;
  ratesTime: RatesTime;
};

/** The profile fields a fan-out walk reads: language, topic mask, rates, rates time, status. */
const PROFILE_WALK_FIELDS = ["lang", "t", "r", "rt", "s"] as const;

export const ALL_TOPICS_MASK = (1 << TOPIC_IDS.length) - 1;

/** Topics are stored as a bitmask: a few bytes per subscriber instead of a list of names. */
export function topicsToMask(topics: readonly TopicId[]): number {
  let mask = 0;
  for (const topic of topics) mask |= 1 << TOPIC_IDS.indexOf(topic);
  return mask;
}

export function maskToTopics(mask: number): TopicId[] {
  return TOPIC_IDS.filter((_, i) => (mask & (1 << i)) !== 0);
}

/** True when a story with these topics goes to a subscriber with this mask. */
export function wantsStory(topicMask: number, storyTopics: readonly TopicId[]): boolean {
  return (topicMask & topicsToMask(storyTopics)) !== 0;
}

// Hash fields are one or two letters: at 100,000 subscribers every byte per record counts.
const storedSchema = z.object({
  lang: z
    .string()
    .refine(isLanguage)
    .transform((v) => v as Language),
  k: z.enum(["private", "group", "supergroup", "channel"]).default("private"),
  t: z.coerce.number().int().min(0).max(ALL_TOPICS_MASK),
  r: z.enum(["0", "1"]).transform((v) => v === "1"),
  rt: z.enum(RATES_TIMES).default("09:00"),
  s: z.enum(["active", "paused", "blocked", "gone"]),
  since: z.coerce.number().int().nonnegative(),
});

/**
 * Subscriptions, kept in the chat's profile hash (the same one that holds its language) and an
 * index SET of active chat ids, updated together in MULTI so they never disagree.
 */
export class SubscriptionStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly logger: Logger,
  ) {}

  /** The chat's subscription, or undefined when it never subscribed (or the record is corrupt). */
  async get(chatId: number): Promise<Subscription | undefined> {
    const key = this.keys.profile(chatId);
    const raw = await this.redis.hgetall(key);
    if (raw.s === undefined) return undefined;
    const stored = parseStoredValue(storedSchema, raw, key, this.logger);
    if (!stored) return undefined;
    return {
      chatId,
      kind: stored.k,
      language: stored.lang,
      topics: maskToTopics(stored.t),
      rates: stored.r,
      ratesTime: stored.rt,
      status: stored.s,
      since: stored.since,
    };
  }

  /** Creates or replaces the subscription and makes it active. */
  async subscribe(
    chatId: number,
    choice: {
      kind: ChatKind;
      language: Language;
      topics: readonly TopicId[];
      rates: boolean;
      ratesTime?: RatesTime;
    },
    now = Date.now(),
  ): Promise<void> {
    const key = this.keys.profile(chatId);
    await this.redis
      .multi()
      .hset(key, {
        lang: choice.language,
        k: choice.kind,
        t: topicsToMask(choice.topics),
        r: choice.rates ? "1" : "0",
        rt: choice.ratesTime ?? "09:00",
        s: "active",
      })
      .hsetnx(key, "since", now)
      .sadd(this.keys.subscribers, chatId)
      .exec();
  }

  async setTopics(chatId: number, topics: readonly TopicId[]): Promise<void> {
    await this.redis.hset(this.keys.profile(chatId), "t", topicsToMask(topics));
  }

  async setRates(chatId: number, rates: boolean, ratesTime?: RatesTime): Promise<void> {
    await this.redis.hset(this.keys.profile(chatId), {
      r: rates ? "1" : "0",
      ...(ratesTime ? { rt: ratesTime } : {}),
    });
  }

  /** Stops all messages to the chat, keeping its choices so it can resume. */
  async setStatus(chatId: number, status: Exclude<SubscriptionStatus, "active">): Promise<void> {
    const key = this.keys.profile(chatId);
    // Only a chat that has a subscription gets a status; a stranger who blocks us leaves no record.
    const exists = await this.redis.hexists(key, "s");
    if (!exists) return;
    await this.redis.multi().hset(key, "s", status).srem(this.keys.subscribers, chatId).exec();
  }

  /**
   * Makes the subscription active again when its status is one of `from` (e.g. only "blocked" on
   * /start, so a deliberate /unsubscribe is not undone by it). True when it was resumed.
   */
  async resume(
    chatId: number,
    from: readonly SubscriptionStatus[] = ["paused", "blocked", "gone"],
  ): Promise<boolean> {
    const key = this.keys.profile(chatId);
    const status = await this.redis.hget(key, "s");
    if (status === null || status === "active" || !from.includes(status as SubscriptionStatus)) return false;
    await this.redis.multi().hset(key, "s", "active").sadd(this.keys.subscribers, chatId).exec();
    return true;
  }

  /** Moves a group's subscription to its new supergroup id (Telegram's migrate_to_chat_id). */
  async migrate(fromChatId: number, toChatId: number): Promise<void> {
    const from = this.keys.profile(fromChatId);
    const to = this.keys.profile(toChatId);
    const record = await this.redis.hgetall(from);
    if (Object.keys(record).length === 0) return;
    const wasActive = record.s === "active";
    const tx = this.redis
      .multi()
      .hset(to, { ...record, k: "supergroup" })
      .del(from)
      .srem(this.keys.subscribers, fromChatId);
    if (wasActive) tx.sadd(this.keys.subscribers, toChatId);
    await tx.exec();
  }

  async isActive(chatId: number): Promise<boolean> {
    return (await this.redis.sismember(this.keys.subscribers, chatId)) === 1;
  }

  async countActive(): Promise<number> {
    return this.redis.scard(this.keys.subscribers);
  }

  /**
   * Every active subscriber, in batches (SSCAN + one script reading the profiles), so fan-out to 100,000 chats
   * never holds them all in memory at once. Corrupt records are reported and skipped.
   */
  /** The walk's fields of each chat's profile, flat, "" for a missing one, in one round trip. */
  private async profileFields(members: readonly string[]): Promise<string[]> {
    const keys = members.map((id) => this.keys.profile(Number(id)));
    return scriptsOf(this.redis).kzuzProfileFields(keys.length, ...keys, ...PROFILE_WALK_FIELDS);
  }

  async *activeRecipients(batchSize = 1000): AsyncGenerator<Recipient[]> {
    let cursor = "0";
    do {
      const [next, members] = await this.redis.sscan(this.keys.subscribers, cursor, "COUNT", batchSize);
      cursor = next;
      if (members.length === 0) continue;
      // One script call per page, not one command per subscriber: at 100,000 subscribers the
      // per-command objects were most of a fan-out walk's garbage (and of its peak memory).
      const fields = await this.profileFields(members);
      const batch: Recipient[] = [];
      members.forEach((member, i) => {
        const chatId = Number(member);
        const [lang, t, r, rt, s] = fields.slice(
          i * PROFILE_WALK_FIELDS.length,
          (i + 1) * PROFILE_WALK_FIELDS.length,
        );
        const mask = Number(t);
        if (s !== "active" || !isLanguage(lang) || !Number.isInteger(mask) || t === "") {
          this.logger.warn({ chatId }, "subscriber index and profile disagree; skipped");
          return;
        }
        batch.push({
          chatId,
          language: lang,
          topicMask: mask,
          rates: r === "1",
          ratesTime: (RATES_TIMES as readonly string[]).includes(rt ?? "") ? (rt as RatesTime) : "09:00",
        });
      });
      if (batch.length > 0) yield batch;
    } while (cursor !== "0");
  }
}
