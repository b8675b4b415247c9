import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig, requireBotToken } from "../../src/config.js";

const TOKEN = "123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345678";

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe("parseConfig", () => {
  it("applies the documented defaults", () => {
    const config = parseConfig({ BOT_TOKEN: TOKEN });
    expect(config).toMatchObject({
      redisUrl: "redis://127.0.0.1:6379",
      redisPrefix: "kzuz",
      telegramApiRoot: "https://api.telegram.org",
      adminIds: [],
      timezone: "Asia/Almaty",
      logLevel: "info",
      httpPort: undefined,
      pollCron: "*/5 * * * *",
      ratesCron: "0 9 * * *",
      nbkRatesUrl: "https://nationalbank.kz/rss/get_rates.cfm",
      backlogHours: 24,
      sendRateLimit: 25,
      cbuFallback: false,
    });
    expect(config.feedsFile).toMatch(/data[/\\]feeds\.json$/);
  });

  it("parses lists, numbers and flags", () => {
    const config = parseConfig({
      BOT_TOKEN: TOKEN,
      ADMIN_IDS: " 111, 222;333 222 ",
      HTTP_PORT: "8080",
      TELEGRAM_API_ROOT: "http://localhost:8081/",
      LOG_LEVEL: "DEBUG",
      CBU_FALLBACK: "yes",
      SEND_RATE_LIMIT: "20",
    });
    expect(config.adminIds).toEqual([111, 222, 333]);
    expect(config.httpPort).toBe(8080);
    expect(config.telegramApiRoot).toBe("http://localhost:8081");
    expect(config.logLevel).toBe("debug");
    expect(config.cbuFallback).toBe(true);
    expect(config.sendRateLimit).toBe(20);
  });

  it("reads ARTICLE_FETCH, off unless asked for, with its allowance and deadline", () => {
    expect(parseConfig({ BOT_TOKEN: TOKEN })).toMatchObject({
      articleFetch: false,
      articleFetchPerCycle: 5,
      articleFetchTimeoutMs: 8000,
    });
    const on = parseConfig({
      BOT_TOKEN: TOKEN,
      ARTICLE_FETCH: "true",
      ARTICLE_FETCH_PER_CYCLE: "3",
      ARTICLE_FETCH_TIMEOUT_MS: "5000",
    });
    expect(on).toMatchObject({ articleFetch: true, articleFetchPerCycle: 3, articleFetchTimeoutMs: 5000 });
    expect(problemsOf({ BOT_TOKEN: TOKEN, ARTICLE_FETCH_PER_CYCLE: "0" })).toEqual([
      expect.stringMatching(/^ARTICLE_FETCH_PER_CYCLE must be a positive number/),
    ]);
  });

  it("treats empty values as unset", () => {
    expect(parseConfig({ BOT_TOKEN: TOKEN, REDIS_URL: "", TIMEZONE: "  " }).timezone).toBe("Asia/Almaty");
  });

  it("names every bad variable with how to fix it, all at once", () => {
    const problems = problemsOf({
      BOT_TOKEN: "oops",
      REDIS_URL: "localhost:6379",
      TIMEZONE: "UTC+5",
      HTTP_PORT: "http",
      LOG_LEVEL: "loud",
      RATES_CRON: "9am",
      NBK_RATES_URL: "ftp://nbk",
      CBU_FALLBACK: "maybe",
      SEND_RATE_LIMIT: "-1",
    });
    expect(problems).toHaveLength(9);
    for (const name of [
      "BOT_TOKEN",
      "REDIS_URL",
      "TIMEZONE",
      "HTTP_PORT",
      "LOG_LEVEL",
      "RATES_CRON",
      "NBK_RATES_URL",
      "CBU_FALLBACK",
      "SEND_RATE_LIMIT",
    ]) {
      expect(problems.some((p) => p.startsWith(name))).toBe(true);
    }
    expect(problems.join("\n")).not.toContain("oops");
  });

  it("lets tools run without a token, but not the bot", () => {
    const config = parseConfig({});
    expect(config.botToken).toBeUndefined();
    expect(() => requireBotToken(config)).toThrow("BOT_TOKEN is missing: create a bot with @BotFather");
  });
});

describe("parseConfig: paid broadcasts", () => {
  it("keeps SEND_RATE_LIMIT to Telegram's free 30 a second unless PAID_BROADCAST is on", () => {
    const problems = problemsOf({ BOT_TOKEN: TOKEN, SEND_RATE_LIMIT: "1000" });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^SEND_RATE_LIMIT above 30 needs paid broadcasts/);
    expect(problems[0]).toContain("PAID_BROADCAST=true");
    expect(problemsOf({ BOT_TOKEN: TOKEN, SEND_RATE_LIMIT: "30" })).toEqual([]);
  });

  it("allows up to 1,000 a second with PAID_BROADCAST=true, and never more", () => {
    const config = parseConfig({ BOT_TOKEN: TOKEN, PAID_BROADCAST: "true", SEND_RATE_LIMIT: "1000" });
    expect(config).toMatchObject({ paidBroadcast: true, sendRateLimit: 1000, freeSendRateLimit: 25 });
    const over = problemsOf({ BOT_TOKEN: TOKEN, PAID_BROADCAST: "true", SEND_RATE_LIMIT: "1001" });
    expect(over).toHaveLength(1);
    expect(over[0]).toMatch(/^SEND_RATE_LIMIT must be at most 1000/);
  });

  it("keeps the unpaid rate (FREE_SEND_RATE_LIMIT) within the free 30, and never above SEND_RATE_LIMIT", () => {
    const problems = problemsOf({ BOT_TOKEN: TOKEN, PAID_BROADCAST: "on", FREE_SEND_RATE_LIMIT: "31" });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^FREE_SEND_RATE_LIMIT must be at most 30/);
    const slow = parseConfig({ BOT_TOKEN: TOKEN, PAID_BROADCAST: "on", SEND_RATE_LIMIT: "10" });
    expect(slow.freeSendRateLimit).toBe(10);
    expect(parseConfig({ BOT_TOKEN: TOKEN }).paidBroadcast).toBe(false);
    expect(problemsOf({ BOT_TOKEN: TOKEN, PAID_BROADCAST: "maybe" })[0]).toMatch(
      /^PAID_BROADCAST must be true or false/,
    );
  });
});
