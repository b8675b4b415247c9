import { z } from "zod";
import { LANGUAGES } from "../i18n/languages.js";
import { TOPIC_IDS } from "../news/topicIds.js";
import { QUIET_MODES } from "../subscriber/quietHours.js";
import { STORY_LANGUAGES } from "../subscriber/storyLanguages.js";
import { ZONE_CHOICES } from "../subscriber/timeZones.js";

/** What a /settings button does (`st:<op>`). */
const SETTINGS_OPS = [
  "topics",
  "rates",
  "time",
  "language",
  "storyLanguages",
  "keywords",
  "mode",
  "hour",
  "quiet",
  "zone",
] as const;

/**
 * Every inline button's data is built and parsed here. Telegram hands callback data back from
 * the client, so it is untrusted input: anything that does not parse is answered and ignored,
 * never acted on. Each encoding is short ("tp:3"), well under Telegram's 64-byte limit.
 */
/** What a channel's settings buttons do; the letter is its one-byte code in callback data. */
const CHANNEL_OP_CODES = {
  open: "o",
  subscribe: "s",
  topics: "t",
  rates: "r",
  time: "h",
  language: "l",
  pause: "p",
  resume: "u",
  disconnect: "d",
} as const;
const CHANNEL_OPS = Object.keys(CHANNEL_OP_CODES) as [
  keyof typeof CHANNEL_OP_CODES,
  ...Array<keyof typeof CHANNEL_OP_CODES>,
];
export type ChannelOp = keyof typeof CHANNEL_OP_CODES;

const callbackSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("lang"), language: z.enum(LANGUAGES) }),
  /** Topic picker: toggle one topic, select all, or finish. */
  z.object({
    kind: z.literal("topic"),
    op: z.enum(["toggle", "all", "done"]),
    topic: z.enum(TOPIC_IDS).optional(),
  }),
  /** /subscribe step 2: daily rates yes or no. */
  z.object({ kind: z.literal("subRates"), rates: z.boolean() }),
  /** /subscribe step 3: confirm, or go back to topics. */
  z.object({ kind: z.literal("subConfirm"), op: z.enum(["ok", "edit"]) }),
  z.object({ kind: z.literal("unsub"), confirm: z.boolean() }),
  z.object({
    kind: z.literal("settings"),
    op: z.enum(SETTINGS_OPS),
  }),
  /** /settings → story languages: toggle one outlet language, or back to the settings. */
  z.object({
    kind: z.literal("storyLang"),
    op: z.enum(["toggle", "done"]),
    language: z.enum(STORY_LANGUAGES).optional(),
  }),
  /** /settings → briefing hour: pick one (0–23, TIMEZONE), or back to the settings. */
  z.object({ kind: z.literal("briefHour"), hour: z.number().int().min(0).max(23).optional() }),
  /** /settings → time zone: one of ZONE_CHOICES (by index), the bot's TIMEZONE, or back. */
  z.object({
    kind: z.literal("zone"),
    op: z.enum(["pick", "default", "back"]),
    zone: z
      .number()
      .int()
      .min(0)
      .max(ZONE_CHOICES.length - 1)
      .optional(),
  }),
  /**
   * /settings → quiet hours: a preset (index into QUIET_PRESETS), off, back to the settings, or
   * what stories in them do (`mode`: hold or send silently).
   */
  z.object({
    kind: z.literal("quiet"),
    op: z.enum(["preset", "off", "back", "mode"]),
    preset: z.number().int().min(0).max(9).optional(),
    mode: z.enum(QUIET_MODES).optional(),
  }),
  /** The own-keywords dialogue: remove them all. */
  z.object({ kind: z.literal("keywords"), op: z.literal("clear") }),
  z.object({ kind: z.literal("ratesChart"), days: z.union([z.literal(7), z.literal(30), z.literal(90)]) }),
  /** Admin /broadcast: pick the audience kind. */
  z.object({ kind: z.literal("bcAudience"), op: z.enum(["all", "topics", "languages"]) }),
  /** Admin /broadcast: toggle an audience topic, or finish picking. */
  z.object({
    kind: z.literal("bcTopic"),
    op: z.enum(["toggle", "done"]),
    topic: z.enum(TOPIC_IDS).optional(),
  }),
  /** Admin /broadcast: toggle an audience language, or finish picking. */
  z.object({
    kind: z.literal("bcLang"),
    op: z.enum(["toggle", "done"]),
    language: z.enum(LANGUAGES).optional(),
  }),
  /** Admin /broadcast: send (free, or "paid" with PAID_BROADCAST), choose the audience again, or give up. */
  z.object({ kind: z.literal("bcConfirm"), op: z.enum(["send", "paid", "back", "cancel"]) }),
  /** A channel's settings, pressed in its manager's private chat: which channel and what to do. */
  z.object({
    kind: z.literal("channel"),
    op: z.enum(CHANNEL_OPS),
    chatId: z.number().int().negative().refine(Number.isSafeInteger),
  }),
  /** A channel's language, chosen in its manager's private chat. */
  z.object({
    kind: z.literal("channelLang"),
    language: z.enum(LANGUAGES),
    chatId: z.number().int().negative().refine(Number.isSafeInteger),
  }),
  /** Admin /broadcast: the audience by kind of destination (channels, forum topics, or neither). */
  z.object({ kind: z.literal("bcPlaces"), op: z.enum(["channels", "threads", "chats"]) }),
]);

export type CallbackAction = z.infer<typeof callbackSchema>;

export function encodeCallback(action: CallbackAction): string {
  switch (action.kind) {
    case "lang":
      return `lang:${action.language}`;
    case "topic":
      return action.op === "toggle" ? `tp:${TOPIC_IDS.indexOf(action.topic ?? "other")}` : `tp:${action.op}`;
    case "subRates":
      return `sr:${action.rates ? 1 : 0}`;
    case "subConfirm":
      return `sc:${action.op}`;
    case "unsub":
      return `us:${action.confirm ? 1 : 0}`;
    case "settings":
      return `st:${action.op}`;
    case "storyLang":
      return action.op === "toggle" ? `sl:${STORY_LANGUAGES.indexOf(action.language ?? "ru")}` : "sl:done";
    case "keywords":
      return `kw:${action.op}`;
    case "zone":
      return `tz:${action.op === "pick" ? (action.zone ?? 0) : action.op}`;
    case "quiet":
      // "qh:3" a preset, "qh:off", "qh:back", "qh:hold" / "qh:silent" a mode.
      if (action.op === "mode") return `qh:${action.mode ?? "hold"}`;
      return `qh:${action.op === "preset" ? (action.preset ?? 0) : action.op}`;
    case "briefHour":
      return `bh:${action.hour ?? "back"}`;
    case "ratesChart":
      return `rc:${action.days}`;
    case "bcAudience":
      return `ba:${action.op}`;
    case "bcTopic":
      return action.op === "toggle" ? `bt:${TOPIC_IDS.indexOf(action.topic ?? "other")}` : "bt:done";
    case "bcLang":
      return action.op === "toggle" ? `bl:${action.language ?? ""}` : "bl:done";
    case "bcConfirm":
      return `bx:${action.op}`;
    // A channel id is at most "-100" and 13 digits: "ch:o-1001234567890123" is 21 bytes.
    case "channel":
      return `ch:${CHANNEL_OP_CODES[action.op]}${action.chatId}`;
    case "channelLang":
      return `cl:${action.language}${action.chatId}`;
    case "bcPlaces":
      return `bp:${action.op}`;
  }
}

function candidateOf(kind: string, arg: string | undefined): unknown {
  switch (kind) {
    case "lang":
      return { kind, language: arg };
    case "tp":
      if (arg === "all" || arg === "done") return { kind: "topic", op: arg };
      return /^\d{1,2}$/.test(arg ?? "")
        ? { kind: "topic", op: "toggle", topic: TOPIC_IDS[Number(arg)] }
        : undefined;
    case "sr":
      return arg === "1" || arg === "0" ? { kind: "subRates", rates: arg === "1" } : undefined;
    case "sc":
      return { kind: "subConfirm", op: arg };
    case "us":
      return arg === "1" || arg === "0" ? { kind: "unsub", confirm: arg === "1" } : undefined;
    case "st":
      return (SETTINGS_OPS as readonly string[]).includes(arg ?? "")
        ? { kind: "settings", op: arg }
        : undefined;
    case "sl":
      if (arg === "done") return { kind: "storyLang", op: "done" };
      return /^\d$/.test(arg ?? "")
        ? { kind: "storyLang", op: "toggle", language: STORY_LANGUAGES[Number(arg)] }
        : undefined;
    case "kw":
      return { kind: "keywords", op: arg };
    case "tz":
      if (arg === "default" || arg === "back") return { kind: "zone", op: arg };
      return /^\d{1,2}$/.test(arg ?? "") ? { kind: "zone", op: "pick", zone: Number(arg) } : undefined;
    case "qh":
      if (arg === "off" || arg === "back") return { kind: "quiet", op: arg };
      if ((QUIET_MODES as readonly string[]).includes(arg ?? ""))
        return { kind: "quiet", op: "mode", mode: arg };
      return /^\d$/.test(arg ?? "") ? { kind: "quiet", op: "preset", preset: Number(arg) } : undefined;
    case "bh":
      if (arg === "back") return { kind: "briefHour" };
      return /^\d{1,2}$/.test(arg ?? "") ? { kind: "briefHour", hour: Number(arg) } : undefined;
    case "rc":
      return { kind: "ratesChart", days: Number(arg) };
    case "ba":
      return { kind: "bcAudience", op: arg };
    case "bt":
      if (arg === "done") return { kind: "bcTopic", op: "done" };
      return /^\d{1,2}$/.test(arg ?? "")
        ? { kind: "bcTopic", op: "toggle", topic: TOPIC_IDS[Number(arg)] }
        : undefined;
    case "bl":
      return arg === "done"
        ? { kind: "bcLang", op: "done" }
        : { kind: "bcLang", op: "toggle", language: arg };
    case "bx":
      return { kind: "bcConfirm", op: arg };
    case "ch": {
      const match = /^([a-z])(-\d{1,20})$/.exec(arg ?? "");
      const op = CHANNEL_OPS.find((o) => CHANNEL_OP_CODES[o] === match?.[1]);
      return match && op ? { kind: "channel", op, chatId: Number(match[2]) } : undefined;
    }
    case "cl": {
      const match = /^([a-z]{2})(-\d{1,20})$/.exec(arg ?? "");
      return match ? { kind: "channelLang", language: match[1], chatId: Number(match[2]) } : undefined;
    }
    case "bp":
      return { kind: "bcPlaces", op: arg };
    default:
      return undefined;
  }
}

/** Parses callback data; undefined for forged, outdated or unknown data. */
export function decodeCallback(data: string | undefined): CallbackAction | undefined {
  if (!data || data.length > 64) return undefined;
  const parts = data.split(":");
  if (parts.length !== 2) return undefined;
  const parsed = callbackSchema.safeParse(candidateOf(parts[0] as string, parts[1]));
  if (!parsed.success) return undefined;
  // A toggle must name a real topic: "tp:99" parses to no topic and is rejected here.
  if (parsed.data.kind === "topic" && parsed.data.op === "toggle" && !parsed.data.topic) return undefined;
  if (parsed.data.kind === "bcTopic" && parsed.data.op === "toggle" && !parsed.data.topic) return undefined;
  if (parsed.data.kind === "storyLang" && parsed.data.op === "toggle" && !parsed.data.language)
    return undefined;
  if (parsed.data.kind === "quiet" && parsed.data.op === "mode" && !parsed.data.mode) return undefined;
  return parsed.data;
}
