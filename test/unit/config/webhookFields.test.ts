import { describe, expect, it } from "vitest";
import { ConfigError, DEFAULT_WEBHOOK_PATH, parseConfig } from "../../../src/config.js";

const SECRET = "a".repeat(64);

/** Parses the real environment schema; HTTP_PORT is given since webhook mode needs it. */
function parse(env: Record<string, string>) {
  try {
    return { settings: parseConfig({ HTTP_PORT: "8080", ...env }).webhook, problems: [] as string[] };
  } catch (err) {
    if (err instanceof ConfigError) return { settings: undefined, problems: err.problems };
    throw err;
  }
}

describe("webhook configuration", () => {
  it("means long polling when neither variable is set", () => {
    expect(parse({})).toEqual({ settings: undefined, problems: [] });
  });

  it("takes the webhook path from WEBHOOK_URL, with a default when the URL has none", () => {
    expect(parse({ WEBHOOK_URL: "https://bot.example.com", WEBHOOK_SECRET: SECRET }).settings).toEqual({
      url: `https://bot.example.com${DEFAULT_WEBHOOK_PATH}`,
      path: DEFAULT_WEBHOOK_PATH,
      secret: SECRET,
    });
    expect(
      parse({ WEBHOOK_URL: " https://example.com:8443/kzuz/hook/ ", WEBHOOK_SECRET: SECRET }).settings,
    ).toEqual({ url: "https://example.com:8443/kzuz/hook", path: "/kzuz/hook", secret: SECRET });
  });

  it("requires WEBHOOK_SECRET with WEBHOOK_URL and says how to make one", () => {
    expect(parse({ WEBHOOK_URL: "https://bot.example.com" }).problems).toEqual([
      "WEBHOOK_SECRET is required when WEBHOOK_URL is set: generate one with `openssl rand -hex 32`",
    ]);
  });

  it("refuses a secret without a URL rather than silently polling", () => {
    expect(parse({ WEBHOOK_SECRET: SECRET }).problems).toEqual([
      expect.stringMatching(/^WEBHOOK_SECRET is set but WEBHOOK_URL is not/),
    ]);
  });

  it("accepts Telegram's secret alphabet from 1 to 256 characters and never echoes a bad one", () => {
    const url = "https://bot.example.com";
    expect(parse({ WEBHOOK_URL: url, WEBHOOK_SECRET: "x" }).problems).toEqual([]);
    expect(parse({ WEBHOOK_URL: url, WEBHOOK_SECRET: `A-z_9${"b".repeat(251)}` }).problems).toEqual([]);
    for (const bad of ["b".repeat(257), "has space", "pass:word", "пароль123"]) {
      const { problems } = parse({ WEBHOOK_URL: url, WEBHOOK_SECRET: bad });
      expect(problems, bad).toEqual([
        expect.stringMatching(/^WEBHOOK_SECRET may hold only A-Z, a-z, 0-9, _ and -/),
      ]);
      expect(problems.join(" ")).not.toContain(bad);
    }
  });

  it("refuses URLs Telegram cannot call, naming the variable and the fix", () => {
    const problemFor = (url: string) => parse({ WEBHOOK_URL: url, WEBHOOK_SECRET: SECRET }).problems;
    expect(problemFor("bot.example.com")).toEqual([expect.stringMatching(/^WEBHOOK_URL is not a URL/)]);
    expect(problemFor("http://bot.example.com/telegram/webhook")).toEqual([
      expect.stringMatching(/^WEBHOOK_URL must start with https:\/\//),
    ]);
    expect(problemFor("https://bot.example.com:3000/hook")).toEqual([
      expect.stringMatching(/^WEBHOOK_URL may use only port 443, 80, 88 or 8443/),
    ]);
    expect(problemFor("https://bot.example.com/metrics")).toEqual([
      expect.stringMatching(/^WEBHOOK_URL's path \/metrics is taken by the health server/),
    ]);
    expect(problemFor("https://user:pw@bot.example.com/hook")).toEqual([
      expect.stringMatching(/^WEBHOOK_URL must not contain a user or password/),
    ]);
  });

  it("reports webhook problems together with the other variables' problems", () => {
    let problems: string[] = [];
    try {
      parseConfig({ HTTP_PORT: "x", WEBHOOK_URL: "https://bot.example.com", LOG_LEVEL: "loud" });
    } catch (err) {
      if (err instanceof ConfigError) problems = err.problems;
    }
    expect(problems.map((p) => p.split(" ")[0])).toEqual(["LOG_LEVEL", "HTTP_PORT", "WEBHOOK_SECRET"]);
  });

  it("needs HTTP_PORT in webhook mode, since the HTTP server answers the webhook", () => {
    expect(
      parse({ WEBHOOK_URL: "https://bot.example.com", WEBHOOK_SECRET: SECRET, HTTP_PORT: "" }).problems,
    ).toEqual([expect.stringMatching(/^HTTP_PORT is required when WEBHOOK_URL is set/)]);
  });
});
