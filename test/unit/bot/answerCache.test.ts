import { describe, expect, it } from "vitest";
import { AnswerCache } from "../../../src/bot/answerCache.js";

describe("AnswerCache", () => {
  it("computes once for concurrent callers and keeps the answer for its ttl", async () => {
    let now = 1000;
    const cache = new AnswerCache<number>(10, () => now);
    let computed = 0;
    const compute = async () => {
      computed++;
      await new Promise((r) => setTimeout(r, 10));
      return { value: computed, ttlMs: 500 };
    };
    const answers = await Promise.all(Array.from({ length: 20 }, () => cache.get("k", compute)));
    expect(answers).toEqual(Array(20).fill(1));
    expect(cache.has("k")).toBe(true);
    now += 499;
    expect(await cache.get("k", compute)).toBe(1);
    now += 2;
    expect(cache.has("k")).toBe(false);
    expect(await cache.get("k", compute)).toBe(2);
  });

  it("keeps nothing with a ttl of 0 or after a failure", async () => {
    const cache = new AnswerCache<string>();
    let calls = 0;
    await cache.get("none", async () => ({ value: `v${++calls}`, ttlMs: 0 }));
    expect(await cache.get("none", async () => ({ value: `v${++calls}`, ttlMs: 0 }))).toBe("v2");
    await expect(cache.get("bad", async () => Promise.reject(new Error("down")))).rejects.toThrow("down");
    expect(await cache.get("bad", async () => ({ value: "ok", ttlMs: 1000 }))).toBe("ok");
  });

  it("drops the oldest entries beyond its size", async () => {
    const cache = new AnswerCache<number>(2);
    for (const key of ["a", "b", "c"]) await cache.get(key, async () => ({ value: 1, ttlMs: 60_000 }));
    expect(["a", "b", "c"].map((k) => cache.has(k))).toEqual([false, true, true]);
  });
});
