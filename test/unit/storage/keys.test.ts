import { describe, expect, it } from "vitest";
import { redisKeys } from "../../../src/storage/keys.js";

describe("redis keys", () => {
  it("puts every key under the prefix", () => {
    const keys = redisKeys("p1");
    expect(keys.profile(5)).toBe("p1:profile:5");
    expect(keys.lock("poll")).toBe("p1:lock:poll");
    expect(keys.pattern).toBe("p1:*");
  });
});
