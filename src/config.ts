import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import dotenv from "dotenv";
import { z } from "zod";
import {
  adminIds,
  botToken,
  cronExpression,
  flag,
  httpUrl,
  oneOf,
  port,
  positiveInteger,
  positiveNumber,
  redisPrefix,
  redisUrl,
  timeZone,
} from "./config/fields.js";
import {
  redisSentinelName,
  redisSentinelPassword,
  redisSentinelSettingsOf,
  redisSentinels,
  redisSentinelUsername,
  SENTINEL_NAME_REQUIRED,
  SENTINEL_ONLY_SETTINGS,
} from "./config/redisSentinelFields.js";
import {
  GENERATE_SECRET_HINT,
  webhookSecret,
  webhookSettingsOf,
  webhookUrl,
} from "./config/webhookFields.js";

/**
 * The environment, parsed once. This is the only module that reads `process.env`; everything
 * else receives a typed `Config`, whose type is derived from the schema below.
 *
 * Each key of `settings` is read from the environment variable of the same name in upper snake
 * case (`sendRateLimit` ← SEND_RATE_LIMIT), so a new variable is one line here and nothing else.
 */

export { DEFAULT_WEBHOOK_PATH, type WebhookSettings } from "./config/webhookFields.js";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** The bundled feed list, used when FEEDS_FILE is not set. */
export const DEFAULT_FEEDS_FILE = fileURLToPath(new URL("../data/feeds.json", import.meta.url));

// Paid broadcasts: Telegram lets a bot send up to 1,000 messages a second with allow_paid_broadcast,
// paying 0.1 Star for each message over the free ~30 a second (core.telegram.org/bots/api#paid-broadcasts).

/** Telegram's free bot-wide limit: about 30 messages a second. */
export const FREE_LIMIT_PER_SECOND = 30;
/** Telegram's bot-wide limit with allow_paid_broadcast. */
export const PAID_LIMIT_PER_SECOND = 1000;

const settings = z.object({
  botToken: botToken.optional(),
  redisUrl,
  redisPrefix,
  telegramApiRoot: httpUrl(
    "TELEGRAM_API_ROOT",
    "https://api.telegram.org",
    "leave it unset for Telegram, or give your Bot API server, e.g. http://localhost:8081",
  ),
  adminIds,
  timezone: timeZone,
  logLevel: oneOf("LOG_LEVEL", LOG_LEVELS, "info"),
  httpPort: port("HTTP_PORT"),
  feedsFile: z.string().trim().default(DEFAULT_FEEDS_FILE),
  pollCron: cronExpression("POLL_CRON", "*/5 * * * *"),
  backlogHours: positiveNumber(
    "BACKLOG_HOURS",
    24,
    "how old a story may be on the first poll of a new feed, in hours (e.g. 24)",
  ),
  nbkRatesUrl: httpUrl(
    "NBK_RATES_URL",
    "https://nationalbank.kz/rss/get_rates.cfm",
    "the National Bank of Kazakhstan's get_rates.cfm address",
  ),
  ratesCron: cronExpression("RATES_CRON", "0 9 * * *"),
  cbuRatesUrl: httpUrl(
    "CBU_RATES_URL",
    "https://cbu.uz/en/arkhiv-kursov-valyut/json",
    "the Central Bank of Uzbekistan's JSON archive address",
  ),
  cbuFallback: flag("CBU_FALLBACK", false),
  sendRateLimit: positiveNumber(
    "SEND_RATE_LIMIT",
    25,
    "messages per second for the whole bot; Telegram allows about 30 (e.g. 25)",
  ),
  // Flood control per chat (src/bot/middleware/floodControl.ts; thresholds in docs/load.md).
  floodBurst: positiveInteger(
    "FLOOD_BURST",
    5,
    "messages a chat may send per FLOOD_WINDOW_MS before its answers arrive, before the bot goes quiet (e.g. 5)",
  ),
  floodCallbackBurst: positiveInteger(
    "FLOOD_CALLBACK_BURST",
    20,
    "button presses a chat may make per FLOOD_WINDOW_MS before their answers arrive (e.g. 20)",
  ),
  floodWindowMs: positiveInteger(
    "FLOOD_WINDOW_MS",
    10_000,
    "the flood-control window in milliseconds (e.g. 10000)",
  ),
  paidBroadcast: flag("PAID_BROADCAST", false),
  freeSendRateLimit: positiveNumber(
    "FREE_SEND_RATE_LIMIT",
    25,
    "with PAID_BROADCAST=true, messages per second sent without paying (news, free broadcasts); at most 30 (e.g. 25)",
  ),
  webhookUrl,
  webhookSecret,
  // Redis behind Sentinel (high availability): config/redisSentinelFields.ts.
  redisSentinels,
  redisSentinelName,
  redisSentinelUsername,
  redisSentinelPassword,
  redisSentinelTls: flag("REDIS_SENTINEL_TLS", false),
  articleFetch: flag("ARTICLE_FETCH", false),
  articleFetchPerCycle: positiveNumber(
    "ARTICLE_FETCH_PER_CYCLE",
    5,
    "article pages read per poll cycle at most, for stories that passed the relevance filter (e.g. 5)",
  ),
  articleFetchTimeoutMs: positiveNumber(
    "ARTICLE_FETCH_TIMEOUT_MS",
    8_000,
    "deadline of one article page in milliseconds (e.g. 8000)",
  ),
});

type SettingName = keyof z.input<typeof settings>;

/** `sendRateLimit` → `SEND_RATE_LIMIT`. */
function envName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
}

// Rules across variables: each issue's path names the setting the operator should change. They run
// even when another variable is bad, so every problem is reported at once, but never on top of a
// variable that already has its own problem.
const configSchema = settings
  .superRefine(
    (s, ctx) => {
      const failed = new Set(ctx.issues.map((issue) => issue.path?.[0]));
      const problem = (path: SettingName, message: string) => {
        if (!failed.has(path)) ctx.addIssue({ code: "custom", path: [path], message });
      };
      if (s.webhookUrl !== undefined && s.webhookSecret === undefined) {
        problem(
          "webhookSecret",
          `WEBHOOK_SECRET is required when WEBHOOK_URL is set: ${GENERATE_SECRET_HINT}`,
        );
      }
      if (s.webhookSecret !== undefined && s.webhookUrl === undefined) {
        // Refused rather than ignored: the operator most likely forgot the URL and would silently poll.
        problem(
          "webhookUrl",
          "WEBHOOK_SECRET is set but WEBHOOK_URL is not: set WEBHOOK_URL to the bot's public https address for webhook mode, or remove WEBHOOK_SECRET to keep long polling",
        );
      }
      if (s.redisSentinels !== undefined && s.redisSentinelName === undefined) {
        problem("redisSentinelName", SENTINEL_NAME_REQUIRED);
      }
      const stray = SENTINEL_ONLY_SETTINGS.filter((key) => s[key] !== undefined);
      if (s.redisSentinels === undefined && stray.length > 0) {
        problem(
          "redisSentinels",
          `${stray.map(envName).join(", ")} set without REDIS_SENTINELS: list the sentinels (host:port,…) or remove ${stray.length > 1 ? "them" : "it"}`,
        );
      }
      if (s.webhookUrl !== undefined && s.httpPort === undefined) {
        problem(
          "httpPort",
          "HTTP_PORT is required when WEBHOOK_URL is set: the webhook is served by the HTTP server (e.g. HTTP_PORT=8080)",
        );
      }
      if (s.sendRateLimit > PAID_LIMIT_PER_SECOND) {
        problem(
          "sendRateLimit",
          `SEND_RATE_LIMIT must be at most ${PAID_LIMIT_PER_SECOND}, Telegram's limit even for paid broadcasts: lower it (e.g. SEND_RATE_LIMIT=1000 with PAID_BROADCAST=true)`,
        );
      } else if (s.sendRateLimit > FREE_LIMIT_PER_SECOND && !s.paidBroadcast) {
        problem(
          "sendRateLimit",
          `SEND_RATE_LIMIT above ${FREE_LIMIT_PER_SECOND} needs paid broadcasts: Telegram allows about ${FREE_LIMIT_PER_SECOND} messages a second for free; lower it (e.g. SEND_RATE_LIMIT=25), or set PAID_BROADCAST=true to pay in Stars for up to ${PAID_LIMIT_PER_SECOND}`,
        );
      }
      if (s.freeSendRateLimit > FREE_LIMIT_PER_SECOND) {
        problem(
          "freeSendRateLimit",
          `FREE_SEND_RATE_LIMIT must be at most ${FREE_LIMIT_PER_SECOND}, Telegram's free limit: lower it (e.g. FREE_SEND_RATE_LIMIT=25)`,
        );
      }
    },
    { when: () => true },
  )
  .transform(
    ({
      webhookUrl: url,
      webhookSecret: secret,
      redisSentinels,
      redisSentinelName,
      redisSentinelUsername,
      redisSentinelPassword,
      redisSentinelTls,
      freeSendRateLimit,
      ...rest
    }) => ({
      ...rest,
      /** With PAID_BROADCAST, the rate of everything sent without paying; never above SEND_RATE_LIMIT. */
      freeSendRateLimit: Math.min(freeSendRateLimit, rest.sendRateLimit),
      /** Webhook mode when set; long polling otherwise. */
      webhook: webhookSettingsOf(url, secret),
      /** Find the Redis primary through these sentinels when set; REDIS_URL's host is then unused. */
      redisSentinel: redisSentinelSettingsOf({
        redisSentinels,
        redisSentinelName,
        redisSentinelUsername,
        redisSentinelPassword,
        redisSentinelTls,
      }),
    }),
  );

export type Config = z.output<typeof configSchema>;

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
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(settings.shape)) {
    const value = env[envName(key)];
    // Empty strings count as unset, so `FOO=` in a .env falls back to the default.
    input[key] = value?.trim() ? value : undefined;
  }
  const result = configSchema.safeParse(input);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = envName(String(issue.path[0] ?? ""));
        return issue.message.includes(name) ? issue.message : `${name}: ${issue.message}`;
      }),
    );
  }
  return result.data;
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
