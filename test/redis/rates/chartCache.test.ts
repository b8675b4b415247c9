import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../../src/logger.js";
import { CHART_FILE_TTL_SECONDS, ChartFileCache } from "../../../src/rates/chartCache.js";
import { type RedisKeys, redisKeys } from "../../../src/storage/keys.js";
import { type TestRedis, useTestRedis } from "../../support/redis.js";

describe("ChartFileCache", () => {
  let redis: TestRedis;
  let keys: RedisKeys;
  let cache: ChartFileCache;

  beforeAll(async () => {
    redis = await useTestRedis();
    keys = redisKeys(redis.prefix);
    cache = new ChartFileCache(redis.client, keys, createLogger({ level: "silent" }));
  });
  afterAll(async () => redis?.close());

  it("keeps a chart's file_id for two days", async () => {
    expect(await cache.get("30d:en:2026-12-03:a")).toBeUndefined();
    await cache.remember("30d:en:2026-12-03:a", "photo-1");
    expect(await cache.get("30d:en:2026-12-03:a")).toBe("photo-1");
    const ttl = await redis.client.ttl(keys.ratesChartFile("30d:en:2026-12-03:a"));
    expect(ttl).toBeGreaterThan(CHART_FILE_TTL_SECONDS - 5);
    expect(ttl).toBeLessThanOrEqual(CHART_FILE_TTL_SECONDS);
  });

  it("forgets a refused file_id, but not a fresh one another process stored meanwhile", async () => {
    await cache.remember("7d:ru:2026-12-03:b", "photo-new");
    await cache.forget("7d:ru:2026-12-03:b", "photo-old");
    expect(await cache.get("7d:ru:2026-12-03:b")).toBe("photo-new");
    await cache.forget("7d:ru:2026-12-03:b", "photo-new");
    expect(await cache.get("7d:ru:2026-12-03:b")).toBeUndefined();
  });

  it("treats a corrupt record as a miss", async () => {
    await redis.client.set(keys.ratesChartFile("90d:kk:2026-12-03:c"), "not json");
    expect(await cache.get("90d:kk:2026-12-03:c")).toBeUndefined();
    await redis.client.set(keys.ratesChartFile("90d:kk:2026-12-03:c"), JSON.stringify({ fileId: "" }));
    expect(await cache.get("90d:kk:2026-12-03:c")).toBeUndefined();
  });
});
