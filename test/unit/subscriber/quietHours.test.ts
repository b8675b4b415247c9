import { describe, expect, it } from "vitest";
import { heldPeriod } from "../../../src/subscriber/briefing.js";
import {
  isQuietHour,
  quietFromField,
  quietModeOf,
  quietText,
  quietToField,
} from "../../../src/subscriber/quietHours.js";

describe("quiet hours", () => {
  it("spans past midnight, end exclusive", () => {
    const night = { start: 22, end: 7 };
    expect([21, 22, 23, 0, 6, 7].map((h) => isQuietHour(h, night))).toEqual([
      false,
      true,
      true,
      true,
      true,
      false,
    ]);
    const morning = { start: 0, end: 8 };
    expect([23, 0, 7, 8].map((h) => isQuietHour(h, morning))).toEqual([false, true, true, false]);
  });

  it("round-trips its stored form and refuses garbage", () => {
    expect(quietFromField(quietToField({ start: 23, end: 7 }))).toEqual({ start: 23, end: 7 });
    for (const raw of ["", "7", "25-7", "7-7", "a-b", null, undefined])
      expect(quietFromField(raw)).toBeUndefined();
    expect(quietText({ start: 22, end: 7 })).toBe("22:00–07:00");
  });

  it("stores the silent mode as one letter, hold as nothing (records older than the choice hold)", () => {
    expect(quietToField({ start: 22, end: 7, mode: "silent" })).toBe("22-7s");
    expect(quietToField({ start: 22, end: 7, mode: "hold" })).toBe("22-7");
    expect(quietToField({ start: 22, end: 7 })).toBe("22-7");
    expect(quietFromField("22-7s")).toEqual({ start: 22, end: 7, mode: "silent" });
    expect(quietFromField("0-8s")).toEqual({ start: 0, end: 8, mode: "silent" });
    const old = quietFromField("22-7");
    expect(old).toEqual({ start: 22, end: 7 });
    expect(old && quietModeOf(old)).toBe("hold");
    for (const raw of ["22-7S", "22-7h", "22-7ss", "s22-7", "7-7s", "25-7s", "22-7 s"])
      expect(quietFromField(raw), raw).toBeUndefined();
  });

  it("held stories are due from the end of the quiet hours for the catch-up window", () => {
    const night = { start: 22, end: 7 };
    const zone = "Asia/Almaty"; // UTC+5
    expect(heldPeriod(night, new Date("2026-12-03T01:59:00Z"), zone)).toBeUndefined(); // 06:59
    expect(heldPeriod(night, new Date("2026-12-03T02:00:00Z"), zone)).toBe("held:2026-12-03"); // 07:00
    expect(heldPeriod(night, new Date("2026-12-03T07:59:00Z"), zone)).toBe("held:2026-12-03"); // 12:59
    expect(heldPeriod(night, new Date("2026-12-03T08:00:00Z"), zone)).toBeUndefined(); // 13:00
  });
});
