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

describe("story-language buttons", () => {
  it("round-trip every outlet language and Done", () => {
    for (const language of ["ru", "kk", "uz-Latn", "uz-Cyrl", "en"] as const) {
      const data = encodeCallback({ kind: "storyLang", op: "toggle", language });
      expect(decodeCallback(data)).toEqual({ kind: "storyLang", op: "toggle", language });
    }
    expect(decodeCallback(encodeCallback({ kind: "storyLang", op: "done" }))).toEqual({
      kind: "storyLang",
      op: "done",
    });
    expect(decodeCallback("st:storyLanguages")).toEqual({ kind: "settings", op: "storyLanguages" });
  });

  it.each(["sl:5", "sl:9", "sl:", "sl:x", "sl:12"])("rejects %j", (data) => {
    expect(decodeCallback(data)).toBeUndefined();
  });
});

describe("settings picker buttons", () => {
  it("round-trip hours, quiet-hours presets and zones, and refuse what is out of range", () => {
    for (const action of [
      { kind: "briefHour", hour: 0 },
      { kind: "briefHour", hour: 23 },
      { kind: "briefHour" },
      { kind: "quiet", op: "preset", preset: 3 },
      { kind: "quiet", op: "off" },
      { kind: "zone", op: "pick", zone: 9 },
      { kind: "zone", op: "default" },
      { kind: "keywords", op: "clear" },
    ] as const) {
      expect(decodeCallback(encodeCallback(action))).toEqual(action);
    }
    for (const data of ["bh:24", "bh:-1", "tz:10", "tz:x", "qh:", "kw:all"])
      expect(decodeCallback(data)).toBeUndefined();
  });
});

describe("quiet-hours mode buttons", () => {
  it("round-trip hold and silent, short and apart from presets, Off and Back", () => {
    for (const mode of ["hold", "silent"] as const) {
      const data = encodeCallback({ kind: "quiet", op: "mode", mode });
      expect(data).toBe(`qh:${mode}`);
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
      expect(decodeCallback(data)).toEqual({ kind: "quiet", op: "mode", mode });
    }
    expect(decodeCallback("qh:2")).toEqual({ kind: "quiet", op: "preset", preset: 2 });
    expect(decodeCallback("qh:back")).toEqual({ kind: "quiet", op: "back" });
  });

  it.each(["qh:mode", "qh:loud", "qh:Silent", "qh:silent:1", "qh:silents", "qh:hold ", "qh:s"])(
    "rejects forged %j",
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
