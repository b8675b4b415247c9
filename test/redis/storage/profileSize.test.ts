/**
 * A subscriber's profile stays small: at 100,000 subscribers every byte per record counts. The
 * default profile must stay under 300 bytes as Redis itself measures it (MEMORY USAGE).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisKeys } from "../../../src/storage/keys.js";
import { SubscriptionStore } from "../../../src/storage/subscriptions.js";
import { type TestRedis, useTestRedis } from "../../support/redis.js";

const PROFILE_LIMIT_BYTES = 300;

describe("profile size", () => {
  let redis: TestRedis;
  let store: SubscriptionStore;
  const keys = () => redisKeys(redis.prefix);

  beforeAll(async () => {
    redis = await useTestRedis();
    const logger = { warn: () => {}, info: () => {}, error: () => {}, debug: () => {} };
    store = new SubscriptionStore(redis.client, keys(), logger as never);
  });
  afterAll(async () => redis?.close());

  const usage = async (chatId: number) => Number(await redis.client.memory("USAGE", keys().profile(chatId)));

  it("a default profile (all topics, rates, every story language) is under 300 bytes", async () => {
    const chatId = 1_234_567_890;
    await store.subscribe(chatId, {
      kind: "private",
      language: "ru",
      topics: ["diplomacy", "trade", "industry", "energy", "transport", "agriculture", "water", "tourism"],
      rates: true,
    });
    const bytes = await usage(chatId);
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThan(PROFILE_LIMIT_BYTES);
    // Every story language is the default and costs nothing.
    expect(await redis.client.hexists(keys().profile(chatId), "sl")).toBe(0);
    expect((await store.get(chatId))?.storyLanguages).toEqual(["ru", "kk", "uz-Latn", "uz-Cyrl", "en"]);
  });

  it("choosing story languages adds a few bytes, and choosing all again removes them", async () => {
    const chatId = 1_234_567_891;
    await store.subscribe(chatId, { kind: "private", language: "en", topics: ["trade"], rates: false });
    const before = await usage(chatId);
    await store.setStoryLanguages(chatId, ["en", "ru"]);
    expect((await store.get(chatId))?.storyLanguages).toEqual(["ru", "en"]);
    expect(await usage(chatId)).toBeLessThan(PROFILE_LIMIT_BYTES);
    await store.setStoryLanguages(chatId, ["ru", "kk", "uz-Latn", "uz-Cyrl", "en"]);
    expect(await redis.client.hexists(keys().profile(chatId), "sl")).toBe(0);
    expect(await usage(chatId)).toBe(before);
    await expect(store.setStoryLanguages(chatId, [])).rejects.toThrow(/at least one/);
  });

  it("the fan-out walk reads the story languages, every language when none were chosen", async () => {
    const seen = [];
    for await (const batch of store.activeRecipients(100)) seen.push(...batch);
    expect(seen.find((r) => r.chatId === 1_234_567_890)?.storyLanguageMask).toBe(0b11111);
    await store.setStoryLanguages(1_234_567_891, ["uz-Cyrl"]);
    const again = [];
    for await (const batch of store.activeRecipients(100)) again.push(...batch);
    expect(again.find((r) => r.chatId === 1_234_567_891)?.storyLanguageMask).toBe(0b01000);
  });

  it("silent quiet hours are one letter more in the quiet-hours field, and the walk reads the mode", async () => {
    const chatId = 1_234_567_892;
    await store.subscribe(chatId, { kind: "private", language: "en", topics: ["trade"], rates: false });
    await store.setQuietHours(chatId, { start: 22, end: 7 });
    expect(await redis.client.hget(keys().profile(chatId), "qh")).toBe("22-7");
    await store.setQuietHours(chatId, { start: 22, end: 7, mode: "silent" });
    expect(await redis.client.hget(keys().profile(chatId), "qh")).toBe("22-7s");
    expect(await usage(chatId)).toBeLessThan(PROFILE_LIMIT_BYTES);
    expect((await store.get(chatId))?.quietHours).toEqual({ start: 22, end: 7, mode: "silent" });
    const seen = [];
    for await (const batch of store.activeRecipients(100)) seen.push(...batch);
    expect(seen.find((r) => r.chatId === chatId)?.quietHours).toEqual({ start: 22, end: 7, mode: "silent" });
  });
});
