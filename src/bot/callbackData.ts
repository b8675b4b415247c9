import { z } from "zod";
import { LANGUAGES } from "../i18n/languages.js";
import { TOPIC_IDS } from "../news/topicIds.js";

/**
 * Every inline button's data is built and parsed here. Telegram hands callback data back from
 * the client, so it is untrusted input: anything that does not parse is answered and ignored,
 * never acted on. Each encoding is short ("tp:3"), well under Telegram's 64-byte limit.
 */
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
  z.object({ kind: z.literal("settings"), op: z.enum(["topics", "rates", "time", "language"]) }),
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
]);

export type CallbackAction = z.infer<typeof callbackSchema>;

const SETTINGS_OPS = ["topics", "rates", "time", "language"] as const;

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
  return parsed.data;
}
