/**
 * A subscriber's record in Redis: the choices, their stored field names and codecs, and the
 * schema that reads a profile hash back. A default choice is stored as no field at all, so a
 * default profile stays small (test/redis/storage/profileSize.test.ts holds it under 300 B).
 */
import { z } from "zod";
import { isLanguage, type Language } from "../i18n/languages.js";
import { TOPIC_IDS, type TopicId } from "../news/topicIds.js";
import type { FeedLanguage } from "../news/types.js";
import { MAX_KEYWORD_LENGTH, MAX_KEYWORDS } from "../subscriber/keywords.js";
import { type QuietHours, quietFromField } from "../subscriber/quietHours.js";
import { ALL_STORY_LANGUAGES_MASK } from "../subscriber/storyLanguages.js";
import { isZoneChoice, type ZoneChoice } from "../subscriber/timeZones.js";

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
  /** Instant stories in these local hours are held until they end, or sent silently (its mode); undefined: none. */
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
export const PROFILE_WALK_FIELDS = [
  "lang",
  "t",
  "r",
  "rt",
  "s",
  "k",
  "sl",
  "kw",
  "dm",
  "bh",
  "qh",
  "tz",
] as const;
export const CHAT_KINDS: readonly string[] = ["private", "group", "supergroup", "channel"];

export const ALL_TOPICS_MASK = (1 << TOPIC_IDS.length) - 1;

/** A stored story-language mask, or every language when absent or unreadable (never nothing). */
export function storyLanguageMaskOf(raw: string | undefined): number {
  const mask = Number(raw);
  return raw && Number.isInteger(mask) && mask > 0 && mask <= ALL_STORY_LANGUAGES_MASK
    ? mask
    : ALL_STORY_LANGUAGES_MASK;
}

export function deliveryModeOf(raw: string): DeliveryMode {
  return raw === "b" ? "briefing" : raw === "w" ? "weekly" : "instant";
}

export function briefingHourOf(raw: string): number {
  const hour = Number(raw);
  return raw !== "" && Number.isInteger(hour) && hour >= 0 && hour <= 23 ? hour : DEFAULT_BRIEFING_HOUR;
}

const NO_KEYWORDS: readonly string[] = Object.freeze([]);

/** Stored keywords, at most MAX_KEYWORDS of sane length; anything else in the field is dropped. */
export function keywordsOf(raw: string): readonly string[] {
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
export const storedSchema = z.object({
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
  // Absent without quiet hours; "22-7" from 22:00 to 07:00, held; "22-7s" the same, sent silently.
  qh: z.string().optional().transform(quietFromField),
  // Absent: TIMEZONE. An unknown zone (one dropped from the list) also reads as TIMEZONE.
  tz: z
    .string()
    .optional()
    .transform((v) => (isZoneChoice(v) ? v : undefined)),
});
