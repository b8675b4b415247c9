import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../../src/config.js";

const TOKEN = "123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345678";

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig({ BOT_TOKEN: TOKEN, ...env });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe("Redis Sentinel configuration", () => {
  it("is off without REDIS_SENTINELS", () => {
    expect(parseConfig({ BOT_TOKEN: TOKEN }).redisSentinel).toBeUndefined();
  });

  it("parses the sentinel list (default port 26379, IPv6 in brackets), name, credentials and TLS", () => {
    const config = parseConfig({
      BOT_TOKEN: TOKEN,
      REDIS_SENTINELS: "s1.internal:26380, s2.internal;[fd00::3]:26381 10.0.0.4",
      REDIS_SENTINEL_NAME: "kzuz",
      REDIS_SENTINEL_USERNAME: "sentinel-user",
      REDIS_SENTINEL_PASSWORD: "s3cret",
      REDIS_SENTINEL_TLS: "true",
    });
    expect(config.redisSentinel).toEqual({
      sentinels: [
        { host: "s1.internal", port: 26380 },
        { host: "s2.internal", port: 26379 },
        { host: "fd00::3", port: 26381 },
        { host: "10.0.0.4", port: 26379 },
      ],
      name: "kzuz",
      username: "sentinel-user",
      password: "s3cret",
      tls: true,
    });
  });

  it("names the variable and the fix for each mistake, without echoing values", () => {
    expect(problemsOf({ REDIS_SENTINELS: "s1:26379" })).toEqual([
      expect.stringMatching(/^REDIS_SENTINEL_NAME is required with REDIS_SENTINELS/),
    ]);
    const bad = problemsOf({ REDIS_SENTINELS: "s1:26379,bad/host:x", REDIS_SENTINEL_NAME: "kzuz" });
    expect(bad).toEqual([expect.stringMatching(/^REDIS_SENTINELS must be host:port pairs.*entry 2/)]);
    expect(bad[0]).not.toContain("bad/host");
    expect(problemsOf({ REDIS_SENTINELS: "s1:70000", REDIS_SENTINEL_NAME: "kzuz" })[0]).toMatch(/entry 1/);
    expect(problemsOf({ REDIS_SENTINEL_NAME: "kzuz", REDIS_SENTINEL_PASSWORD: "x" })).toEqual([
      expect.stringMatching(/^REDIS_SENTINEL_NAME, REDIS_SENTINEL_PASSWORD set without REDIS_SENTINELS/),
    ]);
    expect(problemsOf({ REDIS_SENTINELS: "s1", REDIS_SENTINEL_NAME: "has space" })[0]).toMatch(
      /^REDIS_SENTINEL_NAME is the primary's name/,
    );
  });
});
