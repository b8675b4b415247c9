import { describe, expect, it } from "vitest";
import { chartId } from "../../../src/rates/chartCache.js";
import type { ChartSource } from "../../../src/rates/ratesService.js";

const source: ChartSource = {
  days: 30,
  language: "en",
  currency: "USD",
  ratesDate: "2026-12-03",
  points: [
    { date: "2026-12-02", value: 478.1 },
    { date: "2026-12-03", value: 479.25 },
  ],
  title: "USD/KZT, 30 days",
  locale: "en-GB",
};

describe("chartId", () => {
  it("names the period, language and rates date, and is stable for the same data", () => {
    expect(chartId(source)).toMatch(/^30d:en:2026-12-03:[A-Za-z0-9_-]{16}$/);
    expect(chartId({ ...source, points: [...source.points] })).toBe(chartId(source));
  });

  it("changes when a stored value is corrected, even on the same rates date", () => {
    const corrected = { ...source, points: [source.points[0], { date: "2026-12-03", value: 479.3 }] };
    expect(chartId(corrected as ChartSource)).not.toBe(chartId(source));
  });

  it("changes with the period, language or title", () => {
    expect(chartId({ ...source, days: 7 })).not.toBe(chartId(source));
    expect(chartId({ ...source, language: "ru", locale: "ru-RU" })).not.toBe(chartId(source));
    expect(chartId({ ...source, title: "USD/KZT, 30 kun" })).not.toBe(chartId(source));
  });
});
