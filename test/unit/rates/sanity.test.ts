import { describe, expect, it } from "vitest";
import { checkAgainstPrevious, DEFAULT_MAX_DAILY_MOVE } from "../../../src/rates/sanity.js";
import type { RateSet, Rates } from "../../../src/rates/types.js";

const base: Rates = { USD: 490, EUR: 530, RUB: 5.6, CNY: 68, UZS: 0.0387 };
const set = (date: string, rates: Partial<Rates> = {}): RateSet => ({
  date,
  rates: { ...base, ...rates },
  source: "nbk",
  fetchedAt: "2026-03-01T00:00:00.000Z",
});

describe("checkAgainstPrevious", () => {
  it("accepts an ordinary day", () => {
    const result = checkAgainstPrevious(set("2026-03-03", { USD: 495.1, RUB: 5.51 }), set("2026-03-02"));
    expect(result).toMatchObject({ kind: "ok", dropped: [], comparedWith: "2026-03-02" });
  });

  it("accepts a set without history to compare with", () => {
    expect(checkAgainstPrevious(set("2026-03-03", { USD: 4900 }), undefined)).toMatchObject({
      kind: "ok",
      comparedWith: undefined,
    });
  });

  it("rejects a quant slip (×100) and a decimal shift in a required currency", () => {
    for (const rates of [{ RUB: 560 }, { USD: 49.0 }, { CNY: 680 }]) {
      const result = checkAgainstPrevious(set("2026-03-03", rates), set("2026-03-02"));
      expect(result.kind, JSON.stringify(rates)).toBe("rejected");
    }
  });

  it("uses the 15% bound by default, and a larger one when an admin confirms a devaluation", () => {
    expect(DEFAULT_MAX_DAILY_MOVE).toBe(0.15);
    const previous = set("2026-03-02");
    expect(checkAgainstPrevious(set("2026-03-03", { USD: 490 * 1.149 }), previous).kind).toBe("ok");
    const devaluation = checkAgainstPrevious(set("2026-03-03", { USD: 490 * 1.29 }), previous);
    expect(devaluation.kind).toBe("rejected");
    if (devaluation.kind === "rejected") {
      expect(devaluation.reason).toMatch(/USD 490 → 632.1 \(29.0%\)/);
      expect(devaluation.moves.map((m) => m.currency)).toEqual(["USD"]);
    }
    expect(
      checkAgainstPrevious(set("2026-03-03", { USD: 490 * 1.29 }), previous, { maxDailyMove: 0.4 }).kind,
    ).toBe("ok");
  });

  it("checks falls as well as rises", () => {
    expect(checkAgainstPrevious(set("2026-03-03", { EUR: 530 * 0.84 }), set("2026-03-02")).kind).toBe(
      "rejected",
    );
  });

  it("drops an implausible UZS instead of rejecting the other four", () => {
    const result = checkAgainstPrevious(set("2026-03-03", { UZS: 3.87 }), set("2026-03-02"));
    expect(result.kind).toBe("ok");
    if (result.kind === "ok") {
      expect(result.set.rates.UZS).toBeUndefined();
      expect(result.set.rates.USD).toBe(490);
      expect(result.dropped.map((m) => m.currency)).toEqual(["UZS"]);
    }
  });

  it("does not compare with a set more than ten days old, nor with a later one", () => {
    expect(checkAgainstPrevious(set("2026-03-20", { USD: 900 }), set("2026-03-02")).kind).toBe("ok");
    expect(checkAgainstPrevious(set("2026-03-02", { USD: 900 }), set("2026-03-03")).kind).toBe("ok");
    expect(checkAgainstPrevious(set("2026-03-12", { USD: 900 }), set("2026-03-02")).kind).toBe("rejected");
  });
});
