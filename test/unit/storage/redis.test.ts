import { describe, expect, it } from "vitest";
import { sentinelOptions } from "../../../src/storage/redis.js";

describe("sentinelOptions", () => {
  const sentinel = {
    sentinels: [{ host: "s1", port: 26379 }],
    name: "kzuz",
    username: undefined,
    password: undefined,
    tls: false,
  };

  it("takes the data nodes' credentials and db from REDIS_URL, never its host", () => {
    const options = sentinelOptions("redis://bot:p%40ss@ignored-host:6390/2", sentinel);
    expect(options).toMatchObject({
      sentinels: sentinel.sentinels,
      name: "kzuz",
      username: "bot",
      password: "p@ss",
      db: 2,
    });
    expect(options).not.toHaveProperty("host");
    expect(options).not.toHaveProperty("tls");
    expect(options.failoverDetector).toBe(true);
  });

  it("uses TLS to the data nodes for rediss: and to the sentinels with REDIS_SENTINEL_TLS", () => {
    expect(sentinelOptions("rediss://:pw@x:6379", sentinel)).toMatchObject({
      tls: {},
      enableTLSForSentinelMode: true,
    });
    expect(
      sentinelOptions("redis://x:6379", { ...sentinel, tls: true, username: "u", password: "pw" }),
    ).toMatchObject({ sentinelTLS: {}, sentinelUsername: "u", sentinelPassword: "pw" });
  });
});
