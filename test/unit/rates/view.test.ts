import { describe, expect, it } from "vitest";
import type { ResolvedRates } from "../../../src/rates/officialRates.js";
import { buildRatesView, dateLabel, ratesViewFor } from "../../../src/rates/ratesView.js";
import type { OfficialRateSet, RateSet, Rates } from "../../../src/rates/types.js";

const official = (date: string, rates: Partial<Rates> = {}): OfficialRateSet => ({
  date,
  rates: { USD: 491.25, EUR: 532.4, RUB: 5.61, CNY: 67.88, UZS: 0.0387, ...rates },
  source: "nbk",
  fetchedAt: "2026-03-01T00:00:00.000Z",
});

describe("dateLabel", () => {
  it("labels today's official rates as today", () => {
    expect(dateLabel("2026-03-02", "2026-03-02", { confirmedLatest: true })).toEqual({
      kind: "today",
      date: "2026-03-02",
      dateText: "02.03.2026",
    });
  });

  it("never labels an earlier date as today", () => {
    expect(dateLabel("2026-03-06", "2026-03-08", { confirmedLatest: true }).kind).toBe("latest");
    expect(dateLabel("2026-03-06", "2026-03-08", { confirmedLatest: false }).kind).toBe("outdated");
    // Older than the longest NBK break: outdated even if someone claims it is the latest.
    expect(dateLabel("2026-02-20", "2026-03-08", { confirmedLatest: true }).kind).toBe("outdated");
  });

  it("labels later dates as upcoming and CBU rates as cross, whatever their date", () => {
    expect(dateLabel("2026-03-03", "2026-03-02", { confirmedLatest: true }).kind).toBe("upcoming");
    expect(dateLabel("2026-03-02", "2026-03-02", { confirmedLatest: true, source: "cbu-cross" }).kind).toBe(
      "cross",
    );
  });
});

describe("buildRatesView", () => {
  it("gives value, two-decimal text, UZS per 100, and the change against the previous set", () => {
    const view = buildRatesView({
      set: official("2026-03-03", { USD: 492.72, EUR: 530.03, UZS: 0.0387 }),
      previous: official("2026-03-02"),
      today: "2026-03-03",
      confirmedLatest: true,
    });
    expect(view.label.kind).toBe("today");
    expect(view.official).toBe(true);
    expect(view.previousDate).toBe("2026-03-02");
    expect(view.lines.map((l) => l.currency)).toEqual(["USD", "EUR", "RUB", "CNY", "UZS"]);
    const [usd, eur, rub, , uzs] = view.lines;
    expect(usd).toMatchObject({ value: 492.72, valueText: "492.72", unit: 1 });
    expect(usd?.change).toMatchObject({
      direction: "up",
      amount: 1.47,
      amountText: "1.47",
      signedText: "+1.47",
    });
    expect(eur?.change).toMatchObject({ direction: "down", amount: 2.37, signedText: "-2.37" });
    expect(rub?.change).toMatchObject({ direction: "same", amount: 0, signedText: "0.00", percent: 0 });
    expect(uzs).toMatchObject({ unit: 100, value: 3.87, valueText: "3.87" });
  });

  it("compares shown (rounded) values, so the direction never contradicts the numbers", () => {
    const view = buildRatesView({
      set: official("2026-03-03", { USD: 491.251 }),
      previous: official("2026-03-02", { USD: 491.249 }),
      today: "2026-03-03",
      confirmedLatest: true,
    });
    expect(view.lines[0]?.change?.direction).toBe("same");
  });

  it("formats numbers in the user's locale", () => {
    const view = buildRatesView({
      set: official("2026-03-03"),
      today: "2026-03-03",
      confirmedLatest: true,
      locale: "ru",
    });
    expect(view.lines[0]?.valueText).toBe("491,25");
    const bad = buildRatesView({
      set: official("2026-03-03"),
      today: "2026-03-03",
      confirmedLatest: true,
      locale: "??",
    });
    expect(bad.lines[0]?.valueText).toBe("491.25");
  });

  it("leaves out a currency that is absent, never showing 0", () => {
    const { UZS: _dropped, ...withoutUzs } = official("2026-03-03").rates;
    const view = buildRatesView({
      set: { ...official("2026-03-03"), rates: withoutUzs },
      today: "2026-03-03",
      confirmedLatest: true,
    });
    expect(view.lines.map((l) => l.currency)).toEqual(["USD", "EUR", "RUB", "CNY"]);
    expect(view.lines.every((l) => l.value > 0 && l.change === undefined)).toBe(true);
  });

  it("shows no change for CBU cross rates (the gap between sources is not a move)", () => {
    const cross: RateSet = { ...official("2026-03-03"), source: "cbu-cross" };
    const view = buildRatesView({
      set: cross,
      previous: official("2026-03-02"),
      today: "2026-03-03",
      confirmedLatest: false,
    });
    expect(view.official).toBe(false);
    expect(view.label.kind).toBe("cross");
    expect(view.lines.every((l) => l.change === undefined)).toBe(true);
  });
});

describe("ratesViewFor", () => {
  const failure = {
    cause: "source-unavailable",
    reason: "x",
    alertAdmins: true,
    askedDate: "2026-03-09",
  } as const;

  it("labels an official weekend result with its own date as the latest", () => {
    const result: ResolvedRates = {
      kind: "official",
      set: official("2026-03-06"),
      previous: official("2026-03-05"),
      askedDate: "2026-03-08",
      fetched: true,
    };
    expect(ratesViewFor(result, "2026-03-08")?.label).toEqual({
      kind: "latest",
      date: "2026-03-06",
      dateText: "06.03.2026",
    });
  });

  it("labels the last official set as outdated when NBK failed, and has nothing without it", () => {
    const failed: ResolvedRates = { kind: "failed", ...failure, lastOfficial: official("2026-03-06") };
    expect(ratesViewFor(failed, "2026-03-09")?.label.kind).toBe("outdated");
    expect(ratesViewFor({ ...failed, lastOfficial: undefined }, "2026-03-09")).toBeUndefined();
  });

  it("labels the CBU fallback as cross rates", () => {
    const fallback: ResolvedRates = {
      kind: "fallback",
      ...failure,
      set: { ...official("2026-03-09"), source: "cbu-cross" },
      lastOfficial: official("2026-03-06"),
    };
    const view = ratesViewFor(fallback, "2026-03-09", "en");
    expect(view?.label.kind).toBe("cross");
    expect(view?.official).toBe(false);
  });
});
