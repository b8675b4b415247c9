import { describe, expect, it } from "vitest";
import {
  addDays,
  daysBetween,
  dottedToIso,
  epochDay,
  isIsoDate,
  isoToDotted,
  isWeekend,
  todayIn,
} from "../../../src/rates/dates.js";

describe("rates dates", () => {
  it("computes today in Asia/Almaty as UTC+5 (not +6)", () => {
    // 18:30 UTC is 23:30 on the 1st at UTC+5, but would already be the 2nd at the old +6.
    expect(todayIn("Asia/Almaty", new Date("2026-04-01T18:30:00Z"))).toBe("2026-04-01");
    expect(todayIn("Asia/Almaty", new Date("2026-04-01T19:00:00Z"))).toBe("2026-04-02");
    expect(todayIn("UTC", new Date("2026-04-01T19:00:00Z"))).toBe("2026-04-01");
  });

  it("does date arithmetic across months and years", () => {
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2025-12-31", 1)).toBe("2026-01-01");
    expect(daysBetween("2026-03-02", "2026-03-09")).toBe(7);
    expect(epochDay("1970-01-02")).toBe(1);
  });

  it("converts between ISO and NBK's DD.MM.YYYY, refusing impossible dates", () => {
    expect(isoToDotted("2026-04-01")).toBe("01.04.2026");
    expect(dottedToIso("01.04.2026")).toBe("2026-04-01");
    expect(dottedToIso("31.04.2026")).toBeUndefined();
    expect(dottedToIso("1.4.2026")).toBeUndefined();
    expect(isIsoDate("2026-02-29")).toBe(false);
    expect(() => addDays("2026/03/01", 1)).toThrow(RangeError);
  });

  it("knows weekends", () => {
    expect(isWeekend("2026-03-07")).toBe(true);
    expect(isWeekend("2026-03-08")).toBe(true);
    expect(isWeekend("2026-03-09")).toBe(false);
  });
});
