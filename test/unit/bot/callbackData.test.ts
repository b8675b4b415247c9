import { describe, expect, it } from "vitest";
import { decodeCallback, encodeCallback } from "../../../src/bot/callbackData.js";

describe("callback data", () => {
  it("round-trips and stays within Telegram's 64 bytes", () => {
    const data = encodeCallback({ kind: "lang", language: "kk" });
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    expect(decodeCallback(data)).toEqual({ kind: "lang", language: "kk" });
  });

  it.each(["", "lang", "lang:", "lang:de", "nope:kk", "x".repeat(65), "lang:kk:extra:junk".repeat(5)])(
    "rejects %j",
    (data) => {
      expect(decodeCallback(data)).toBeUndefined();
    },
  );
});

describe("callback data of channels and audiences by place", () => {
  it("round-trips a channel's buttons with the channel id, within 64 bytes", () => {
    for (const op of [
      "open",
      "subscribe",
      "topics",
      "rates",
      "time",
      "language",
      "pause",
      "resume",
      "disconnect",
    ] as const) {
      const action = { kind: "channel" as const, op, chatId: -1009999999999999 };
      const data = encodeCallback(action);
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
      expect(decodeCallback(data)).toEqual(action);
    }
    const lang = { kind: "channelLang" as const, language: "uz" as const, chatId: -1001234567890 };
    expect(decodeCallback(encodeCallback(lang))).toEqual(lang);
    expect(decodeCallback(encodeCallback({ kind: "bcPlaces", op: "threads" }))).toEqual({
      kind: "bcPlaces",
      op: "threads",
    });
  });

  it.each(["ch:", "ch:o", "ch:x-100123", "ch:o100123", "ch:o-1.5", "cl:de-100123", "cl:ru100", "bp:all"])(
    "rejects forged %j",
    (data) => {
      expect(decodeCallback(data)).toBeUndefined();
    },
  );
});
