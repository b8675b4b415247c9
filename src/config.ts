import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import dotenv from "dotenv";
import cron from "node-cron";
import { z } from "zod";
import { type WebhookSettings, webhookConfigSchema, webhookSettingsOf } from "./server/webhook.js";

/**
 * The environment, parsed once. This is the only module that reads `process.env`;
 * everything else receives a typed `Config`.
 */

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** The bundled feed list, used when FEEDS_FILE is not set. */
export const DEFAULT_FEEDS_FILE = fileURLToPath(new URL("../data/feeds.json", import.meta.url));

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function cronExpression(name: string, fallback: string) {
  return z
    .string()
    .trim()
    .default(fallback)
    .refine((v) => cron.validate(v), {
      message: `${name} is not a valid cron expression: use five fields like "${fallback}" (minute hour day month weekday)`,
    });
}

function httpUrl(name: string, fallback: string, hint: string) {
  return z
    .string()
    .trim()
    .default(fallback)
    .refine(
      (v) => {
        try {
          const u = new URL(v);
          return u.protocol === "http:" || u.protocol === "https:";
        } catch {
          return false;
        }
      },
      { message: `${name} is not an http(s) URL: ${hint}` },
    )
    .transform((v) => v.replace(/\/+$/, ""));
}

function positiveNumber(name: string, fallback: number, hint: string) {
  return z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return fallback;
      const n = Number(v);
      if (!Number.isFinite(n) || n <= 0) {
        ctx.addIssue({ code: "custom", message: `${name} must be a positive number: ${hint}` });
        return z.NEVER;
      }
      return n;
    });
}

function flag(name: string, fallback: boolean) {
  return z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return fallback;
      if (/^(1|true|yes|on)$/i.test(v)) return true;
      if (/^(0|false|no|off)$/i.test(v)) return false;
      ctx.addIssue({ code: "custom", message: `${name} must be true or false` });
      return z.NEVER;
    });
}

const botToken = z
  .string({ error: "BOT_TOKEN is missing: create a bot with @BotFather and set BOT_TOKEN" })
  .trim()
  .min(1, "BOT_TOKEN is missing: create a bot with @BotFather and set BOT_TOKEN")
  // Never echo the value: a token pasted with a typo is still mostly a secret.
  .regex(
    /^\d+:[A-Za-z0-9_-]{20,}$/,
    "BOT_TOKEN does not look like a bot token (digits, a colon, then letters): copy it again from @BotFather",
  );

// --- paid broadcasts (PAID_BROADCAST, FREE_SEND_RATE_LIMIT) -------------------------------------
// Telegram lets a bot send up to 1,000 messages a second with allow_paid_broadcast, paying 0.1 Star
// for each message over the free ~30 a second (core.telegram.org/bots/api#paid-broadcasts).

/** Telegram's free bot-wide limit: about 30 messages a second. */
export const FREE_LIMIT_PER_SECOND = 30;
/** Telegram's bot-wide limit with allow_paid_broadcast. */
export const PAID_LIMIT_PER_SECOND = 1000;

const paidBroadcastSchema = {
  PAID_BROADCAST: flag("PAID_BROADCAST", false),
  FREE_SEND_RATE_LIMIT: positiveNumber(
    "FREE_SEND_RATE_LIMIT",
    25,
    "with PAID_BROADCAST=true, messages per second sent without paying (news, free broadcasts); at most 30 (e.g. 25)",
  ),
};

/** The rate checks that involve paid broadcasts; each problem names the variable and the fix. */
function paidBroadcastProblems(e: {
  PAID_BROADCAST: boolean;
  SEND_RATE_LIMIT: number;
  FREE_SEND_RATE_LIMIT: number;
}): string[] {
  const problems: string[] = [];
  if (e.SEND_RATE_LIMIT > PAID_LIMIT_PER_SECOND) {
    problems.push(
      `SEND_RATE_LIMIT must be at most ${PAID_LIMIT_PER_SECOND}, Telegram's limit even for paid broadcasts: lower it (e.g. SEND_RATE_LIMIT=1000 with PAID_BROADCAST=true)`,
    );
  } else if (e.SEND_RATE_LIMIT > FREE_LIMIT_PER_SECOND && !e.PAID_BROADCAST) {
    problems.push(
      `SEND_RATE_LIMIT above ${FREE_LIMIT_PER_SECOND} needs paid broadcasts: Telegram allows about ${FREE_LIMIT_PER_SECOND} messages a second for free; lower it (e.g. SEND_RATE_LIMIT=25), or set PAID_BROADCAST=true to pay in Stars for up to ${PAID_LIMIT_PER_SECOND}`,
    );
  }
  if (e.FREE_SEND_RATE_LIMIT > FREE_LIMIT_PER_SECOND) {
    problems.push(
      `FREE_SEND_RATE_LIMIT must be at most ${FREE_LIMIT_PER_SECOND}, Telegram's free limit: lower it (e.g. FREE_SEND_RATE_LIMIT=25)`,
    );
  }
  return problems;
}

const baseSchema = z.object({
  BOT_TOKEN: botToken.optional(),
  REDIS_URL: z
    .string()
    .trim()
    .default("redis://127.0.0.1:6379")
    .refine((v) => /^rediss?:\/\/[^\s]+$/.test(v), {
      message: "REDIS_URL must look like redis://host:port or rediss://user:password@host:port/db",
    }),
  REDIS_PREFIX: z
    .string()
    .trim()
    .default("kzuz")
    .refine((v) => /^[A-Za-z0-9_.-]{1,40}$/.test(v), {
      message: "REDIS_PREFIX may hold only letters, digits, '_', '.', '-' (up to 40), e.g. kzuz",
    }),
  TELEGRAM_API_ROOT: httpUrl(
    "TELEGRAM_API_ROOT",
    "https://api.telegram.org",
    "leave it unset for Telegram, or give your Bot API server, e.g. http://localhost:8081",
  ),
  ADMIN_IDS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const parts = (v ?? "")
        .split(/[\s,;]+/)
        .map((p) => p.trim())
        .filter(Boolean);
      const bad = parts.filter((p) => !/^\d{1,15}$/.test(p));
      if (bad.length > 0) {
        ctx.addIssue({
          code: "custom",
          message: `ADMIN_IDS must be numeric Telegram user ids separated by commas (e.g. 12345,67890); not ids: ${bad.join(", ")}`,
        });
        return z.NEVER;
      }
      return [...new Set(parts.map(Number))];
    }),
  TIMEZONE: z.string().trim().default("Asia/Almaty").refine(isTimeZone, {
    message: "TIMEZONE is not an IANA time zone: use a name like Asia/Almaty or Asia/Tashkent",
  }),
  LOG_LEVEL: z
    .string()
    .trim()
    .toLowerCase()
    .default("info")
    .refine((v) => (LOG_LEVELS as readonly string[]).includes(v), {
      message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}`,
    })
    .transform((v) => v as (typeof LOG_LEVELS)[number]),
  HTTP_PORT: z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return undefined;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 65535) {
        ctx.addIssue({
          code: "custom",
          message: "HTTP_PORT must be a port number from 0 to 65535 (e.g. 8080)",
        });
        return z.NEVER;
      }
      return n;
    }),
  FEEDS_FILE: z.string().trim().default(DEFAULT_FEEDS_FILE),
  POLL_CRON: cronExpression("POLL_CRON", "*/5 * * * *"),
  BACKLOG_HOURS: positiveNumber(
    "BACKLOG_HOURS",
    24,
    "how old a story may be on the first poll of a new feed, in hours (e.g. 24)",
  ),
  NBK_RATES_URL: httpUrl(
    "NBK_RATES_URL",
    "https://nationalbank.kz/rss/get_rates.cfm",
    "the National Bank of Kazakhstan's get_rates.cfm address",
  ),
  RATES_CRON: cronExpression("RATES_CRON", "0 9 * * *"),
  CBU_RATES_URL: httpUrl(
    "CBU_RATES_URL",
    "https://cbu.uz/en/arkhiv-kursov-valyut/json",
    "the Central Bank of Uzbekistan's JSON archive address",
  ),
  CBU_FALLBACK: flag("CBU_FALLBACK", false),
  SEND_RATE_LIMIT: positiveNumber(
    "SEND_RATE_LIMIT",
    25,
    "messages per second for the whole bot; Telegram allows about 30 (e.g. 25)",
  ),
  ...paidBroadcastSchema,
});

// WEBHOOK_URL and WEBHOOK_SECRET are checked together (one needs the other), in server/webhook.ts.
const environmentSchema = baseSchema.and(webhookConfigSchema);

export type Config = {
  botToken: string | undefined;
  redisUrl: string;
  redisPrefix: string;
  telegramApiRoot: string;
  adminIds: number[];
  timezone: string;
  logLevel: (typeof LOG_LEVELS)[number];
  httpPort: number | undefined;
  feedsFile: string;
  pollCron: string;
  backlogHours: number;
  nbkRatesUrl: string;
  ratesCron: string;
  cbuRatesUrl: string;
  cbuFallback: boolean;
  sendRateLimit: number;
  /** PAID_BROADCAST: admins may send a broadcast at SEND_RATE_LIMIT (up to 1,000/s), paying in Stars. */
  paidBroadcast: boolean;
  /** With paid broadcasts on, the rate of everything sent without paying (news, free broadcasts). */
  freeSendRateLimit: number;
  /** Webhook mode when set; long polling otherwise. */
  webhook: WebhookSettings | undefined;
};

/** A bot config: the token is known to be present. */
export type BotConfig = Config & { botToken: string };

/** Raised with every problem found, so the operator can fix them all in one go. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/**
 * Parses the environment. Throws ConfigError listing every bad value by variable name, with
 * how to fix it; values are never echoed, since some are secrets.
 */
export function parseConfig(env: Record<string, string | undefined>): Config {
  // Treat empty strings as unset so `FOO=` in a .env falls back to the default.
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ""),
  );
  const result = environmentSchema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? "");
        return issue.message.includes(name) ? issue.message : `${name}: ${issue.message}`;
      }),
    );
  }
  const e = result.data;
  const rateProblems = paidBroadcastProblems(e);
  if (rateProblems.length > 0) throw new ConfigError(rateProblems);
  const webhook = webhookSettingsOf(e);
  if (webhook && e.HTTP_PORT === undefined) {
    throw new ConfigError([
      "HTTP_PORT is required when WEBHOOK_URL is set: the webhook is served by the HTTP server (e.g. HTTP_PORT=8080)",
    ]);
  }
  return {
    botToken: e.BOT_TOKEN,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    telegramApiRoot: e.TELEGRAM_API_ROOT,
    adminIds: e.ADMIN_IDS,
    timezone: e.TIMEZONE,
    logLevel: e.LOG_LEVEL,
    httpPort: e.HTTP_PORT,
    feedsFile: e.FEEDS_FILE,
    pollCron: e.POLL_CRON,
    backlogHours: e.BACKLOG_HOURS,
    nbkRatesUrl: e.NBK_RATES_URL,
    ratesCron: e.RATES_CRON,
    cbuRatesUrl: e.CBU_RATES_URL,
    cbuFallback: e.CBU_FALLBACK,
    sendRateLimit: e.SEND_RATE_LIMIT,
    paidBroadcast: e.PAID_BROADCAST,
    freeSendRateLimit: Math.min(e.FREE_SEND_RATE_LIMIT, e.SEND_RATE_LIMIT),
    webhook,
  };
}

/** Narrows a config to one that can run the bot, or explains how to get a token. */
export function requireBotToken(config: Config): BotConfig {
  if (!config.botToken) {
    throw new ConfigError(["BOT_TOKEN is missing: create a bot with @BotFather and set BOT_TOKEN"]);
  }
  return config as BotConfig;
}

/** Reads `.env` (if present in the working directory) under the real environment, then parses. */
export function loadConfig(): Config {
  if (existsSync(".env")) dotenv.config({ path: ".env", quiet: true });
  return parseConfig(process.env);
}
