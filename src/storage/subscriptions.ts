import { isLanguage, type Language } from "../i18n/languages.js";
import type { Logger } from "../logger.js";
import type { TopicId } from "../news/topicIds.js";
import type { FeedLanguage } from "../news/types.js";
import { type QuietHours, quietFromField, quietToField } from "../subscriber/quietHours.js";
import {
  ALL_STORY_LANGUAGES_MASK,
  maskToStoryLanguages,
  storyLanguagesToMask,
} from "../subscriber/storyLanguages.js";
import { isZoneChoice, type ZoneChoice } from "../subscriber/timeZones.js";
import {
  type Destination,
  type DestinationRef,
  destinationKey,
  parseDestinationKey,
  toDestination,
} from "./destinations.js";
import type { RedisKeys } from "./keys.js";
import { parseStoredValue } from "./records.js";
import type { Redis } from "./redis.js";
import { scriptsOf } from "./scripts.js";

export * from "./profileFields.js";

import {
  briefingHourOf,
  CHAT_KINDS,
  type ChatKind,
  DEFAULT_BRIEFING_HOUR,
  type DeliveryMode,
  deliveryModeOf,
  keywordsOf,
  maskToTopics,
  PROFILE_WALK_FIELDS,
  RATES_TIMES,
  type RatesTime,
  type Recipient,
  type Subscription,
  type SubscriptionStatus,
  storedSchema,
  storyLanguageMaskOf,
  topicsToMask,
} from "./profileFields.js";

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
  async get(target: DestinationRef): Promise<Subscription | undefined> {
    const { chatId, threadId } = toDestination(target);
    const key = this.profileKey(target);
    const raw = await this.redis.hgetall(key);
    if (raw.s === undefined) return undefined;
    const stored = parseStoredValue(storedSchema, raw, key, this.logger);
    if (!stored) return undefined;
    return {
      chatId,
      ...(threadId !== undefined ? { threadId } : {}),
      kind: stored.k,
      language: stored.lang,
      topics: maskToTopics(stored.t),
      rates: stored.r,
      ratesTime: stored.rt,
      status: stored.s,
      since: stored.since,
      storyLanguages: maskToStoryLanguages(stored.sl),
      keywords: [...stored.kw],
      deliveryMode: stored.dm,
      briefingHour: stored.bh,
      ...(stored.qh ? { quietHours: stored.qh } : {}),
      ...(stored.tz ? { timeZone: stored.tz } : {}),
    };
  }

  /** Creates or replaces the subscription and makes it active. */
  async subscribe(
    target: DestinationRef,
    choice: {
      kind: ChatKind;
      language: Language;
      topics: readonly TopicId[];
      rates: boolean;
      ratesTime?: RatesTime;
      storyLanguages?: readonly FeedLanguage[];
    },
    now = Date.now(),
  ): Promise<void> {
    const key = this.profileKey(target);
    const { chatId, threadId } = toDestination(target);
    const tx = this.redis.multi();
    if (choice.storyLanguages) this.writeStoryLanguages(tx, key, choice.storyLanguages);
    tx.hset(key, {
      lang: choice.language,
      k: choice.kind,
      t: topicsToMask(choice.topics),
      r: choice.rates ? "1" : "0",
      rt: choice.ratesTime ?? "09:00",
      s: "active",
    })
      .hsetnx(key, "since", now)
      .sadd(this.keys.subscribers, destinationKey(target));
    if (threadId !== undefined) tx.sadd(this.keys.chatThreads(chatId), threadId);
    await tx.exec();
  }

  /** Sets the outlet languages the chat reads; at least one. */
  async setStoryLanguages(target: DestinationRef, languages: readonly FeedLanguage[]): Promise<void> {
    const tx = this.redis.multi();
    this.writeStoryLanguages(tx, this.profileKey(target), languages);
    await tx.exec();
  }

  private writeStoryLanguages(
    tx: ReturnType<Redis["multi"]>,
    key: string,
    languages: readonly FeedLanguage[],
  ): void {
    const mask = storyLanguagesToMask(languages);
    if (mask === 0) throw new Error("a subscriber reads at least one story language");
    if (mask === ALL_STORY_LANGUAGES_MASK) tx.hdel(key, "sl");
    else tx.hset(key, "sl", mask);
  }

  /** Sets how stories reach the chat, and optionally the hour of its briefing or digest. */
  async setDelivery(target: DestinationRef, mode: DeliveryMode, briefingHour?: number): Promise<void> {
    const key = this.profileKey(target);
    const tx = this.redis.multi();
    // The defaults are stored as nothing, so a default profile stays small.
    if (mode === "instant") tx.hdel(key, "dm");
    else tx.hset(key, "dm", mode === "briefing" ? "b" : "w");
    if (briefingHour !== undefined) {
      if (!Number.isInteger(briefingHour) || briefingHour < 0 || briefingHour > 23)
        throw new Error(`briefing hour out of range: ${briefingHour}`);
      if (briefingHour === DEFAULT_BRIEFING_HOUR) tx.hdel(key, "bh");
      else tx.hset(key, "bh", briefingHour);
    }
    await tx.exec();
  }

  /** Sets the chat's own time zone; undefined goes back to TIMEZONE. */
  async setTimeZone(target: DestinationRef, zone: ZoneChoice | undefined): Promise<void> {
    const key = this.profileKey(target);
    if (zone) await this.redis.hset(key, "tz", zone);
    else await this.redis.hdel(key, "tz");
  }

  /** Sets the chat's quiet hours; undefined removes them. */
  async setQuietHours(target: DestinationRef, quiet: QuietHours | undefined): Promise<void> {
    const key = this.profileKey(target);
    if (quiet) await this.redis.hset(key, "qh", quietToField(quiet));
    else await this.redis.hdel(key, "qh");
  }

  /** Epoch ms up to which the chat's last briefing or digest reported; undefined before the first. */
  async lastBriefing(target: DestinationRef): Promise<number | undefined> {
    const raw = await this.redis.hget(this.profileKey(target), "lb");
    const at = Number(raw);
    return raw !== null && Number.isSafeInteger(at) && at > 0 ? at : undefined;
  }

  async setLastBriefing(target: DestinationRef, at: number): Promise<void> {
    await this.redis.hset(this.profileKey(target), "lb", at);
  }

  /** Replaces the chat's own keywords (validated by subscriber/keywords.ts); none removes the field. */
  async setKeywords(target: DestinationRef, keywords: readonly string[]): Promise<void> {
    const key = this.profileKey(target);
    if (keywords.length === 0) await this.redis.hdel(key, "kw");
    else await this.redis.hset(key, "kw", keywords.join("\n"));
  }

  async setTopics(target: DestinationRef, topics: readonly TopicId[]): Promise<void> {
    await this.redis.hset(this.profileKey(target), "t", topicsToMask(topics));
  }

  /**
   * The language stories are written in for this destination. A chat's own profile shares the
   * field with ProfileStore (the chat's language); a topic or a channel has a profile of its own.
   */
  async setLanguage(target: DestinationRef, language: Language): Promise<void> {
    await this.redis.hset(this.profileKey(target), "lang", language);
  }

  async setRates(target: DestinationRef, rates: boolean, ratesTime?: RatesTime): Promise<void> {
    await this.redis.hset(this.profileKey(target), {
      r: rates ? "1" : "0",
      ...(ratesTime ? { rt: ratesTime } : {}),
    });
  }

  /** Stops all messages to the chat, keeping its choices so it can resume. */
  async setStatus(target: DestinationRef, status: Exclude<SubscriptionStatus, "active">): Promise<boolean> {
    const key = this.profileKey(target);
    // Only a chat that has a subscription gets a status; a stranger who blocks us leaves no record.
    const previous = await this.redis.hget(key, "s");
    if (previous === null) return false;
    await this.redis
      .multi()
      .hset(key, "s", status)
      .srem(this.keys.subscribers, destinationKey(target))
      .exec();
    return previous === "active";
  }

  /**
   * The chat itself and every forum topic of it that has a subscription: what must stop when the
   * bot is removed from the chat.
   */
  async destinationsOf(chatId: number): Promise<Destination[]> {
    const threads = await this.redis.smembers(this.keys.chatThreads(chatId));
    return [
      { chatId },
      ...threads
        .map(Number)
        .filter((t) => Number.isSafeInteger(t) && t > 0)
        .map((threadId) => ({ chatId, threadId })),
    ];
  }

  /**
   * Makes the subscription active again when its status is one of `from` (e.g. only "blocked" on
   * /start, so a deliberate /unsubscribe is not undone by it). True when it was resumed.
   */
  async resume(
    target: DestinationRef,
    from: readonly SubscriptionStatus[] = ["paused", "blocked", "gone"],
  ): Promise<boolean> {
    const key = this.profileKey(target);
    const status = await this.redis.hget(key, "s");
    if (status === null || status === "active" || !from.includes(status as SubscriptionStatus)) return false;
    await this.redis
      .multi()
      .hset(key, "s", "active")
      .sadd(this.keys.subscribers, destinationKey(target))
      .exec();
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

  async isActive(target: DestinationRef): Promise<boolean> {
    return (await this.redis.sismember(this.keys.subscribers, destinationKey(target))) === 1;
  }

  /** A chat's own profile keeps its old key (`profile:<chat id>`); a topic's is `profile:<chat id>:<thread id>`. */
  private profileKey(target: DestinationRef): string {
    return this.keys.destinationProfile(destinationKey(target));
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
    const keys = members.map((member) => this.keys.destinationProfile(member));
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
        const destination = parseDestinationKey(member);
        const chatId = destination?.chatId ?? Number.NaN;
        const [lang, t, r, rt, s, k, sl, kw, dm, bh, qh, tz] = fields.slice(
          i * PROFILE_WALK_FIELDS.length,
          (i + 1) * PROFILE_WALK_FIELDS.length,
        );
        const mask = Number(t);
        if (!destination || s !== "active" || !isLanguage(lang) || !Number.isInteger(mask) || t === "") {
          this.logger.warn({ member }, "subscriber index and profile disagree; skipped");
          return;
        }
        batch.push({
          chatId,
          ...(destination.threadId !== undefined ? { threadId: destination.threadId } : {}),
          ...(k && CHAT_KINDS.includes(k) ? { kind: k as ChatKind } : {}),
          language: lang,
          topicMask: mask,
          rates: r === "1",
          ratesTime: (RATES_TIMES as readonly string[]).includes(rt ?? "") ? (rt as RatesTime) : "09:00",
          storyLanguageMask: storyLanguageMaskOf(sl),
          keywords: keywordsOf(kw ?? ""),
          deliveryMode: deliveryModeOf(dm ?? ""),
          briefingHour: briefingHourOf(bh ?? ""),
          quietHours: quietFromField(qh),
          timeZone: isZoneChoice(tz) ? tz : undefined,
        });
      });
      if (batch.length > 0) yield batch;
    } while (cursor !== "0");
  }
}
