import { z } from "zod";
import { isLanguage, type Language } from "../i18n/languages.js";
import type { Logger } from "../logger.js";
import { TOPIC_IDS, type TopicId } from "../news/topicIds.js";
import type { FeedLanguage } from "../news/types.js";
import { MAX_KEYWORD_LENGTH, MAX_KEYWORDS } from "../subscriber/keywords.js";
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

/** The daily rates message times a subscriber may pick (local time in TIMEZONE). */
export const RATES_TIMES = ["08:00", "09:00", "12:00", "18:00"] as const;
export type RatesTime = (typeof RATES_TIMES)[number];

/** The rates time after `current`, round the list: what the settings' time button steps to. */
export function nextRatesTime(current: RatesTime): RatesTime {
  return RATES_TIMES[(RATES_TIMES.indexOf(current) + 1) % RATES_TIMES.length] as RatesTime;
}
/**
 * How stories reach a chat: `instant` (each as it is accepted), a daily `briefing` at the chat's
 * hour (rates and the stories since the last one, by topic), or a `weekly` digest (Mondays).
 */
export const DELIVERY_MODES = ["instant", "briefing", "weekly"] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];
/** The local hour (TIMEZONE) of a briefing or digest unless the chat chose another. */
export const DEFAULT_BRIEFING_HOUR = 8;

export type ChatKind = "private" | "group" | "supergroup" | "channel";

/**
 * Why a chat receives nothing: `paused` by the user (/unsubscribe), `blocked` (the user blocked
 * the bot or left), `gone` (Telegram says the chat does not exist or the user is deactivated).
 */
export type SubscriptionStatus = "active" | "paused" | "blocked" | "gone";

export type Subscription = {
  chatId: number;
  /** Set for a forum topic's own subscription (its message_thread_id). */
  threadId?: number;
  kind: ChatKind;
  language: Language;
  topics: TopicId[];
  rates: boolean;
  ratesTime: RatesTime;
  status: SubscriptionStatus;
  /** Epoch ms of the first confirmed subscription. */
  since: number;
  /** Outlet languages the chat reads (all five unless it chose fewer). */
  storyLanguages: FeedLanguage[];
  /** The chat's own keywords (folded), delivered even outside its topics. */
  keywords: string[];
  deliveryMode: DeliveryMode;
  /** Local hour (0–23, TIMEZONE) of the briefing or weekly digest. */
  briefingHour: number;
  /** Instant stories in these local hours are held until they end; undefined: none. */
  quietHours?: QuietHours;
  /** The chat's own zone for its briefing and quiet hours; undefined: TIMEZONE. */
  timeZone?: ZoneChoice;
};

/** A subscriber as fan-out sees it: just what it needs to pick recipients. */
export type Recipient = {
  chatId: number;
  /** A forum topic: messages go to this message_thread_id of the chat. */
  threadId?: number;
  /** Absent in records older than the field (they are private chats or groups). */
  kind?: ChatKind;
  language: Language;
  topicMask: number;
  rates: boolean;
  ratesTime: RatesTime;
  /** Outlet languages read, as a mask over STORY_LANGUAGES. */
  storyLanguageMask: number;
  /** Own keywords; the one shared empty list for the many chats without any. */
  keywords: readonly string[];
  deliveryMode: DeliveryMode;
  briefingHour: number;
  quietHours: QuietHours | undefined;
  timeZone: ZoneChoice | undefined;
};

/** The profile fields a fan-out walk reads: language, topic mask, rates, rates time, status, kind, story languages, keywords, delivery mode, briefing hour, quiet hours, zone. */
const PROFILE_WALK_FIELDS = ["lang", "t", "r", "rt", "s", "k", "sl", "kw", "dm", "bh", "qh", "tz"] as const;
const CHAT_KINDS: readonly string[] = ["private", "group", "supergroup", "channel"];

export const ALL_TOPICS_MASK = (1 << TOPIC_IDS.length) - 1;

/** A stored story-language mask, or every language when absent or unreadable (never nothing). */
function storyLanguageMaskOf(raw: string | undefined): number {
  const mask = Number(raw);
  return raw && Number.isInteger(mask) && mask > 0 && mask <= ALL_STORY_LANGUAGES_MASK
    ? mask
    : ALL_STORY_LANGUAGES_MASK;
}

function deliveryModeOf(raw: string): DeliveryMode {
  return raw === "b" ? "briefing" : raw === "w" ? "weekly" : "instant";
}

function briefingHourOf(raw: string): number {
  const hour = Number(raw);
  return raw !== "" && Number.isInteger(hour) && hour >= 0 && hour <= 23 ? hour : DEFAULT_BRIEFING_HOUR;
}

const NO_KEYWORDS: readonly string[] = Object.freeze([]);

/** Stored keywords, at most MAX_KEYWORDS of sane length; anything else in the field is dropped. */
function keywordsOf(raw: string): readonly string[] {
  if (raw === "") return NO_KEYWORDS;
  return raw
    .split("\n")
    .filter((k) => k.length > 0 && k.length <= MAX_KEYWORD_LENGTH)
    .slice(0, MAX_KEYWORDS);
}

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
  // Absent for a chat that reads every language: the default costs no bytes.
  sl: z.coerce.number().int().min(1).max(ALL_STORY_LANGUAGES_MASK).default(ALL_STORY_LANGUAGES_MASK),
  // Absent without keywords; one per line (a keyword never holds a line break).
  kw: z.string().default("").transform(keywordsOf),
  // Absent for instant delivery (the default); "b" daily briefing, "w" weekly digest.
  dm: z.string().default("").transform(deliveryModeOf),
  bh: z.string().default("").transform(briefingHourOf),
  // Absent without quiet hours; "22-7" from 22:00 to 07:00.
  qh: z.string().optional().transform(quietFromField),
  // Absent: TIMEZONE. An unknown zone (one dropped from the list) also reads as TIMEZONE.
  tz: z
    .string()
    .optional()
    .transform((v) => (isZoneChoice(v) ? v : undefined)),
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
