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

describe("callback data: the broadcast's last step", () => {
  it.each(["send", "paid", "back", "cancel"] as const)("round-trips bcConfirm %s", (op) => {
    const data = encodeCallback({ kind: "bcConfirm", op });
    expect(decodeCallback(data)).toEqual({ kind: "bcConfirm", op });
  });

  it("rejects an unknown last step", () => {
    expect(decodeCallback("bx:free-for-all")).toBeUndefined();
  });
});
