import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import dotenv from "dotenv";
import cron from "node-cron";
import { z } from "zod";
import { type WebhookSettings, webhookConfigSchema, webhookSettingsOf } from "./server/webhook.js";
import type { RedisSentinelSettings } from "./storage/redis.js";

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

/**
 * "host:port,host:port" → addresses (the port defaults to Sentinel's 26379; IPv6 in brackets),
 * or which entry is not an address (by position: config errors never echo values).
 */
function parseSentinelList(value: string): Array<{ host: string; port: number }> | string {
  const entries = value
    .split(/[\s,;]+/)
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.length === 0) return "(empty)";
  const addresses: Array<{ host: string; port: number }> = [];
  for (const [i, entry] of entries.entries()) {
    const m = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9_.-]+))(?::(\d{1,5}))?$/.exec(entry);
    const port = Number(m?.[3] ?? 26379);
    if (!m || port < 1 || port > 65535) return `entry ${i + 1}`;
    addresses.push({ host: (m[1] ?? m[2]) as string, port });
  }
  return addresses;
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
  // Redis Sentinel (high availability). With REDIS_SENTINELS set, the primary is asked of the
  // sentinels and REDIS_URL gives only the data nodes' user, password, db and TLS (rediss:).
  REDIS_SENTINELS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      const parsed = parseSentinelList(v);
      if (typeof parsed === "string") {
        ctx.addIssue({
          code: "custom",
          message: `REDIS_SENTINELS must be host:port pairs separated by commas (e.g. sentinel-1:26379,sentinel-2:26379,sentinel-3:26379); not valid: ${parsed}`,
        });
        return z.NEVER;
      }
      return parsed;
    }),
  REDIS_SENTINEL_NAME: z
    .string()
    .trim()
    .optional()
    .refine((v) => v === undefined || /^[A-Za-z0-9_.-]{1,64}$/.test(v), {
      message:
        "REDIS_SENTINEL_NAME is the primary's name in the sentinels' config (sentinel monitor <name> …), e.g. kzuz",
    }),
  REDIS_SENTINEL_USERNAME: z.string().trim().optional(),
  REDIS_SENTINEL_PASSWORD: z.string().optional(),
  REDIS_SENTINEL_TLS: flag("REDIS_SENTINEL_TLS", false),
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
  /** Webhook mode when set; long polling otherwise. */
  webhook: WebhookSettings | undefined;
  /** Find the Redis primary through these sentinels when set; REDIS_URL's host is then unused. */
  redisSentinel: RedisSentinelSettings | undefined;
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
    webhook,
    redisSentinel: redisSentinelSettingsOf(e),
  };
}

/** The Sentinel settings, or undefined without REDIS_SENTINELS; the name is required with them. */
function redisSentinelSettingsOf(e: z.infer<typeof baseSchema>): RedisSentinelSettings | undefined {
  if (!e.REDIS_SENTINELS) {
    const stray = (
      ["REDIS_SENTINEL_NAME", "REDIS_SENTINEL_USERNAME", "REDIS_SENTINEL_PASSWORD"] as const
    ).filter((name) => e[name] !== undefined);
    if (stray.length > 0) {
      throw new ConfigError([
        `${stray.join(", ")} set without REDIS_SENTINELS: list the sentinels (host:port,…) or remove ${stray.length > 1 ? "them" : "it"}`,
      ]);
    }
    return undefined;
  }
  if (!e.REDIS_SENTINEL_NAME) {
    throw new ConfigError([
      "REDIS_SENTINEL_NAME is required with REDIS_SENTINELS: the name the sentinels monitor the primary under (sentinel monitor <name> …)",
    ]);
  }
  return {
    sentinels: e.REDIS_SENTINELS,
    name: e.REDIS_SENTINEL_NAME,
    username: e.REDIS_SENTINEL_USERNAME,
    password: e.REDIS_SENTINEL_PASSWORD,
    tls: e.REDIS_SENTINEL_TLS,
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
