import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../../src/logger.js";
import {
  applyPollOutcome,
  DEFAULT_BACKOFF,
  type FeedHealth,
  MemoryFeedHealthStore,
  nextBackoff,
  RedisFeedHealthStore,
  shouldSkip,
} from "../../../src/news/feedHealth.js";
import { redisKeys } from "../../../src/storage/keys.js";
import { type TestRedis, useTestRedis } from "../../support/redis.js";

const MIN = 60_000;
const NOW = new Date("2026-04-01T12:00:00Z");

describe("nextBackoff", () => {
  it("is zero without failures, 5 minutes after one, doubling after each", () => {
    expect(nextBackoff(0)).toBe(0);
    expect(nextBackoff(1)).toBe(5 * MIN);
    expect(nextBackoff(2)).toBe(10 * MIN);
    expect(nextBackoff(3)).toBe(20 * MIN);
    expect(nextBackoff(5)).toBe(80 * MIN);
  });

  it("is capped at 6 hours, also after months of failures", () => {
    expect(nextBackoff(8)).toBe(DEFAULT_BACKOFF.maxMs);
    expect(nextBackoff(10_000)).toBe(6 * 60 * MIN);
  });

  it("never decreases as failures grow", () => {
    for (let n = 0; n < 50; n++) expect(nextBackoff(n + 1)).toBeGreaterThanOrEqual(nextBackoff(n));
  });

  it("treats nonsense counts as no failure", () => {
    expect(nextBackoff(-3)).toBe(0);
    expect(nextBackoff(Number.NaN)).toBe(0);
  });
});

describe("applyPollOutcome and shouldSkip", () => {
  it("a first failure backs off 5 minutes and records the reason", () => {
    const health = applyPollOutcome(
      undefined,
      { kind: "failed", reason: "the site has a server error (HTTP 503)", retryable: true, httpStatus: 503 },
      NOW,
    );
    expect(health).toMatchObject({
      lastStatus: "failed",
      consecutiveFailures: 1,
      lastError: "the site has a server error (HTTP 503)",
      lastHttpStatus: 503,
      backoffUntil: "2026-04-01T12:05:00.000Z",
    });
    expect(shouldSkip(health, NOW)).toBe(true);
    expect(shouldSkip(health, new Date("2026-04-01T12:04:59Z"))).toBe(true);
    expect(shouldSkip(health, new Date("2026-04-01T12:05:00Z"))).toBe(false);
  });

  it("failures in a row back off longer; a success clears the streak and keeps the last error", () => {
    let health: FeedHealth | undefined;
    for (let i = 0; i < 3; i++) {
      health = applyPollOutcome(health, { kind: "failed", reason: "timeout", retryable: true }, NOW);
    }
    expect(health?.consecutiveFailures).toBe(3);
    expect(health?.backoffUntil).toBe(new Date(NOW.getTime() + 20 * MIN).toISOString());
    const later = new Date(NOW.getTime() + 30 * MIN);
    health = applyPollOutcome(health, { kind: "ok", newItems: 4, httpStatus: 200 }, later);
    expect(health).toMatchObject({
      lastStatus: "ok",
      consecutiveFailures: 0,
      lastSuccessAt: later.toISOString(),
      lastError: "timeout",
      itemsSeenTotal: 4,
      itemsToday: 4,
    });
    expect(health.backoffUntil).toBeUndefined();
    expect(shouldSkip(health, later)).toBe(false);
  });

  it("a failure retrying will not fix backs off longer than a transient one", () => {
    const transient = applyPollOutcome(undefined, { kind: "failed", reason: "503", retryable: true }, NOW);
    const lasting = applyPollOutcome(undefined, { kind: "failed", reason: "404", retryable: false }, NOW);
    expect(Date.parse(lasting.backoffUntil ?? "")).toBeGreaterThan(Date.parse(transient.backoffUntil ?? ""));
  });

  it("a 304 counts as success without new items", () => {
    const first = applyPollOutcome(undefined, { kind: "ok", newItems: 7 }, NOW);
    const second = applyPollOutcome(first, { kind: "not-modified" }, new Date(NOW.getTime() + 5 * MIN));
    expect(second).toMatchObject({
      lastStatus: "not-modified",
      lastHttpStatus: 304,
      itemsSeenTotal: 7,
      itemsToday: 7,
    });
  });

  it("counts items per day in the configured time zone", () => {
    // 18:59 UTC is 23:59 in Almaty (UTC+5); 19:00 UTC is already the next day there.
    const evening = applyPollOutcome(
      undefined,
      { kind: "ok", newItems: 3 },
      new Date("2026-04-01T18:59:00Z"),
    );
    expect(evening.itemsTodayDate).toBe("2026-04-01");
    const midnight = applyPollOutcome(evening, { kind: "ok", newItems: 2 }, new Date("2026-04-01T19:00:00Z"));
    expect(midnight).toMatchObject({ itemsToday: 2, itemsTodayDate: "2026-04-02", itemsSeenTotal: 5 });
    const utc = applyPollOutcome(evening, { kind: "ok", newItems: 2 }, new Date("2026-04-01T19:00:00Z"), {
      timeZone: "UTC",
    });
    // In UTC both polls fall on 1 April, so the counts add up.
    expect(utc).toMatchObject({ itemsToday: 5, itemsTodayDate: "2026-04-01" });
  });

  it("a feed never polled is not skipped", () => {
    expect(shouldSkip(undefined, NOW)).toBe(false);
  });
});

describe("feed health stores", () => {
  let redis: TestRedis;
  const logger = createLogger({ level: "silent" });

  beforeAll(async () => {
    redis = await useTestRedis();
  });
  afterAll(async () => {
    await redis.close();
  });

  it("Redis: round-trips health and HTTP cache in one load for many feeds", async () => {
    const keys = redisKeys(redis.prefix);
    const store = new RedisFeedHealthStore(redis.client, keys, logger);
    const failed = applyPollOutcome(undefined, { kind: "failed", reason: "HTTP 500", retryable: true }, NOW);
    await store.save("a", failed);
    const ok = applyPollOutcome(undefined, { kind: "ok", newItems: 2 }, NOW);
    await store.save("b", ok, { etag: '"v1"', lastModified: "Wed, 01 Apr 2026 12:00:00 GMT" });

    const states = await store.load(["a", "b", "never"]);
    expect(states.get("a")).toEqual({ health: failed, httpCache: {} });
    expect(states.get("b")).toEqual({
      health: ok,
      httpCache: { etag: '"v1"', lastModified: "Wed, 01 Apr 2026 12:00:00 GMT" },
    });
    expect(states.get("never")).toEqual({ health: undefined, httpCache: {} });

    // A later success drops the old backoff field instead of leaving it behind.
    await store.save("a", applyPollOutcome(failed, { kind: "ok", newItems: 0 }, NOW));
    expect(await redis.client.hget(keys.feedHealth("a"), "backoffUntil")).toBeNull();
    // Saving without a cache keeps it; an empty one clears it.
    await store.save("b", ok);
    expect((await store.load(["b"])).get("b")?.httpCache.etag).toBe('"v1"');
    await store.save("b", ok, {});
    expect((await store.load(["b"])).get("b")?.httpCache).toEqual({});
  });

  it("Redis: a corrupt record is skipped, not thrown", async () => {
    const keys = redisKeys(redis.prefix);
    await redis.client.hset(keys.feedHealth("broken"), { lastStatus: "exploded", consecutiveFailures: "x" });
    const store = new RedisFeedHealthStore(redis.client, keys, logger);
    expect((await store.load(["broken"])).get("broken")?.health).toBeUndefined();
    expect(await store.get("broken")).toBeUndefined();
  });

  it("memory: keeps the same contract", async () => {
    const store = new MemoryFeedHealthStore();
    const ok = applyPollOutcome(undefined, { kind: "ok", newItems: 1 }, NOW);
    await store.save("m", ok, { etag: "e" });
    expect((await store.load(["m", "x"])).get("m")).toEqual({ health: ok, httpCache: { etag: "e" } });
    expect((await store.load(["x"])).get("x")).toEqual({ health: undefined, httpCache: {} });
  });
});
