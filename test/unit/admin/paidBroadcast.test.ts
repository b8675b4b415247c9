import { describe, expect, it } from "vitest";
import {
  broadcastRatesOf,
  estimateBroadcast,
  STARS_PER_PAID_MESSAGE,
} from "../../../src/admin/paidBroadcast.js";
import { parseConfig } from "../../../src/config.js";

const TOKEN = "123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345678";

describe("estimateBroadcast", () => {
  it("100,000 chats at 1,000/s with 25/s free: 100 s, 97,500 flagged, at most 9,750 Stars", () => {
    const estimate = estimateBroadcast(100_000, { freePerSecond: 25, paidPerSecond: 1000 });
    expect(estimate.free.seconds).toBe(4000);
    expect(estimate.paid).toEqual({ seconds: 100, flaggedMessages: 97_500, stars: 9750 });
  });

  it("charges 0.1 Star per flagged message, in exact tenths", () => {
    expect(STARS_PER_PAID_MESSAGE).toBe(0.1);
    // 7 chats at 100/s take 0.07 s, 1.75 free slots at 25/s: one goes free, 6 are flagged.
    expect(estimateBroadcast(7, { freePerSecond: 25, paidPerSecond: 100 }).paid).toEqual({
      seconds: 0.07,
      flaggedMessages: 6,
      stars: 0.6,
    });
  });

  it("offers no paid option when paid broadcasts are off or would not be faster", () => {
    expect(estimateBroadcast(500, { freePerSecond: 25, paidPerSecond: undefined }).paid).toBeUndefined();
    expect(estimateBroadcast(500, { freePerSecond: 25, paidPerSecond: 25 }).paid).toBeUndefined();
    expect(estimateBroadcast(500, { freePerSecond: 25, paidPerSecond: undefined }).free.seconds).toBe(20);
  });
});

describe("broadcastRatesOf", () => {
  it("free at SEND_RATE_LIMIT without PAID_BROADCAST; free at FREE_SEND_RATE_LIMIT and paid at SEND_RATE_LIMIT with it", () => {
    expect(broadcastRatesOf(parseConfig({ BOT_TOKEN: TOKEN, SEND_RATE_LIMIT: "28" }))).toEqual({
      freePerSecond: 28,
      paidPerSecond: undefined,
    });
    expect(
      broadcastRatesOf(
        parseConfig({
          BOT_TOKEN: TOKEN,
          PAID_BROADCAST: "true",
          SEND_RATE_LIMIT: "800",
          FREE_SEND_RATE_LIMIT: "20",
        }),
      ),
    ).toEqual({ freePerSecond: 20, paidPerSecond: 800 });
  });
});
