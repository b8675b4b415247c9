/**
 * The figures behind /stats: subscribers by status, language and topic; stories accepted; today's
 * deliveries; the queue. Profiles are walked with SCAN in batches (pipelined HMGET of the four
 * fields needed), so 100,000 subscribers cost a few hundred round trips and little memory.
 */
import type { DeliveryQueue, DeliveryWorker } from "../delivery/index.js";
import { isLanguage, LANGUAGES, type Language } from "../i18n/languages.js";
import { TOPIC_IDS, type TopicId } from "../news/topicIds.js";
import type { FeedLanguage } from "../news/types.js";
import type { RedisKeys } from "../storage/keys.js";
import type { Redis } from "../storage/redis.js";
import { ALL_STORY_LANGUAGES_MASK, STORY_LANGUAGES } from "../subscriber/storyLanguages.js";

export type SubscriberStats = {
  /** Chats that ever confirmed a subscription (any status). */
  total: number;
  active: number;
  paused: number;
  blocked: number;
  gone: number;
  /** Active subscribers only: who a broadcast or a story reaches. */
  byLanguage: Record<Language, number>;
  byTopic: Record<TopicId, number>;
  /** Active subscribers who get the daily rates. */
  rates: number;
  /** Active destinations by where they are: people, groups, channels, forum topics. */
  byPlace: Record<DestinationPlace, number>;
  /** Active subscribers who read fewer than all outlet languages. */
  storyLanguagesChosen: number;
  /** Of those, how many read each outlet language. */
  byStoryLanguage: Record<FeedLanguage, number>;
  /** Active subscribers with own keywords, and how many keywords they follow in all. */
  keywordChats: number;
  keywords: number;
  /** Active subscribers by how stories reach them. */
  byDeliveryMode: { instant: number; briefing: number; weekly: number };
  /** Active subscribers with quiet hours, and with their own time zone. */
  quietHours: number;
  ownZones: number;
};

export const DESTINATION_PLACES = ["private", "group", "channel", "topic"] as const;
export type DestinationPlace = (typeof DESTINATION_PLACES)[number];

export function emptySubscriberStats(): SubscriberStats {
  return {
    total: 0,
    active: 0,
    paused: 0,
    blocked: 0,
    gone: 0,
    byLanguage: Object.fromEntries(LANGUAGES.map((l) => [l, 0])) as Record<Language, number>,
    byTopic: Object.fromEntries(TOPIC_IDS.map((t) => [t, 0])) as Record<TopicId, number>,
    rates: 0,
    byPlace: { private: 0, group: 0, channel: 0, topic: 0 },
    storyLanguagesChosen: 0,
    byStoryLanguage: Object.fromEntries(STORY_LANGUAGES.map((l) => [l, 0])) as Record<FeedLanguage, number>,
    keywordChats: 0,
    keywords: 0,
    byDeliveryMode: { instant: 0, briefing: 0, weekly: 0 },
    quietHours: 0,
    ownZones: 0,
  };
}

/**
 * Adds one profile's stored fields (status `s`, language `lang`, topic mask `t`, rates `r`) to the
 * totals. Profiles without a status (people who only chose a language) are not subscribers. Pure.
 */
export function countProfile(
  stats: SubscriberStats,
  fields: {
    s: string | null;
    lang: string | null;
    t: string | null;
    r: string | null;
    k?: string | null;
    sl?: string | null;
    kw?: string | null;
    dm?: string | null;
    qh?: string | null;
    tz?: string | null;
  },
  /** A forum topic's profile (its key has a thread id); its `k` is its forum's. */
  isTopic = false,
): void {
  const { s } = fields;
  if (s !== "active" && s !== "paused" && s !== "blocked" && s !== "gone") return;
  stats.total++;
  stats[s]++;
  if (s !== "active") return;
  if (isLanguage(fields.lang)) stats.byLanguage[fields.lang]++;
  const mask = Number(fields.t);
  if (Number.isInteger(mask)) {
    TOPIC_IDS.forEach((topic, i) => {
      if ((mask & (1 << i)) !== 0) stats.byTopic[topic]++;
    });
  }
  if (fields.r === "1") stats.rates++;
  const place: DestinationPlace = isTopic
    ? "topic"
    : fields.k === "channel"
      ? "channel"
      : fields.k === "group" || fields.k === "supergroup"
        ? "group"
        : "private";
  stats.byPlace[place]++;
  // No `sl` field: every language (the default costs no bytes).
  const languages = Number(fields.sl ?? ALL_STORY_LANGUAGES_MASK);
  if (Number.isInteger(languages) && languages > 0 && languages < ALL_STORY_LANGUAGES_MASK) {
    stats.storyLanguagesChosen++;
    STORY_LANGUAGES.forEach((language, i) => {
      if ((languages & (1 << i)) !== 0) stats.byStoryLanguage[language]++;
    });
  }
  // Own keywords: one per line.
  if (fields.kw) {
    stats.keywordChats++;
    stats.keywords += fields.kw.split("\n").length;
  }
  // No `dm` field: instant delivery.
  if (fields.qh) stats.quietHours++;
  if (fields.tz) stats.ownZones++;
  stats.byDeliveryMode[fields.dm === "b" ? "briefing" : fields.dm === "w" ? "weekly" : "instant"]++;
}

/** Walks every profile hash in batches. */
export async function collectSubscriberStats(
  redis: Redis,
  keys: RedisKeys,
  batchSize = 1000,
): Promise<SubscriberStats> {
  const stats = emptySubscriberStats();
  const prefix = keys.profile(0).slice(0, -1);
  let cursor = "0";
  do {
    const [next, found] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", batchSize);
    cursor = next;
    // Only the profile hashes themselves: `profile:<chat id>`, or `profile:<chat id>:<thread id>` of a forum topic.
    const profileKeys = found.filter((k) => /^-?\d+(:\d+)?$/.test(k.slice(prefix.length)));
    if (profileKeys.length === 0) continue;
    const pipeline = redis.pipeline();
    for (const key of profileKeys)
      pipeline.hmget(key, "s", "lang", "t", "r", "k", "sl", "kw", "dm", "qh", "tz");
    const replies = (await pipeline.exec()) ?? [];
    replies.forEach(([err, reply], i) => {
      if (err) return;
      const [s, lang, t, r, k, sl, kw, dm, qh, tz] = (reply ?? []) as Array<string | null>;
      const isTopic = (profileKeys[i] ?? "").slice(prefix.length).includes(":");
      countProfile(
        stats,
        {
          s: s ?? null,
          lang: lang ?? null,
          t: t ?? null,
          r: r ?? null,
          k: k ?? null,
          sl: sl ?? null,
          kw: kw ?? null,
          dm: dm ?? null,
          qh: qh ?? null,
          tz: tz ?? null,
        },
        isTopic,
      );
    });
  } while (cursor !== "0");
  return stats;
}

export type DeliveryToday = { sent: number; failed: number; blocked: number; rateLimited: number };

/** Today's delivery counters (the worker's `statsOf`) in four figures. Pure. */
export function summariseDeliveryStats(raw: Record<string, number>): DeliveryToday {
  let failed = 0;
  let blocked = 0;
  for (const [field, value] of Object.entries(raw)) {
    if (field.startsWith("dead:")) failed += value;
    else if (field.startsWith("deactivated:")) blocked += value;
  }
  return { sent: raw.sent ?? 0, failed, blocked, rateLimited: raw["rate-limited"] ?? 0 };
}

/** Epoch ms of the local midnight that starts `now`'s day in `timeZone`. */
export function startOfLocalDay(now: Date, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(now)
      .map((p) => [p.type, Number(p.value)]),
  ) as Record<string, number>;
  const y = parts.year ?? 1970;
  const m = (parts.month ?? 1) - 1;
  const d = parts.day ?? 1;
  const localAsUtc = Date.UTC(y, m, d, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
  const offset = localAsUtc - Math.floor(now.getTime() / 1000) * 1000;
  return Date.UTC(y, m, d) - offset;
}

export type AdminStats = {
  subscribers: SubscriberStats;
  storiesToday: number;
  storiesWeek: number;
  delivery: DeliveryToday;
  queueDepth: number;
  deadLetters: number;
};

/** Everything /stats shows. */
export async function collectStats(deps: {
  redis: Redis;
  keys: RedisKeys;
  timeZone: string;
  queue: Pick<DeliveryQueue, "pending">;
  worker: Pick<DeliveryWorker, "statsOf"> | undefined;
  now?: Date;
}): Promise<AdminStats> {
  const { redis, keys } = deps;
  const now = deps.now ?? new Date();
  const [subscribers, storiesToday, storiesWeek, deliveryRaw, queueDepth, deadLetters] = await Promise.all([
    collectSubscriberStats(redis, keys),
    redis.zcount(keys.storyTimeline, startOfLocalDay(now, deps.timeZone), "+inf"),
    redis.zcount(keys.storyTimeline, now.getTime() - 7 * 86_400_000, "+inf"),
    deps.worker ? deps.worker.statsOf() : Promise.resolve({}),
    deps.queue.pending(),
    redis.llen(keys.deliveryDeadLetters),
  ]);
  return {
    subscribers,
    storiesToday,
    storiesWeek,
    delivery: summariseDeliveryStats(deliveryRaw),
    queueDepth,
    deadLetters,
  };
}
