import { describe, expect, it } from "vitest";
import { type ChartPoint, chartPointsFrom, renderRatesChart } from "../../../src/rates/chart.js";
import { addDays, isWeekend } from "../../../src/rates/dates.js";
import type { RateSet } from "../../../src/rates/types.js";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the IHDR chunk, which must come first after the signature. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(png.subarray(12, 16).toString("ascii")).toBe("IHDR");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function series(days: number, start = "2026-01-01"): ChartPoint[] {
  const points: ChartPoint[] = [];
  for (let i = 0; i < days; i++) {
    const date = addDays(start, i);
    if (!isWeekend(date)) points.push({ date, value: 480 + Math.sin(i / 6) * 9 + i * 0.05 });
  }
  return points;
}

describe("renderRatesChart", () => {
  it("renders a 90-day chart as an 800×400 PNG under 100 KB", () => {
    const png = renderRatesChart(series(90), {
      title: "Доллар США → тенге, 90 дней",
      currency: "USD",
      locale: "ru",
    });
    expect(pngSize(png)).toEqual({ width: 800, height: 400 });
    expect(png.length).toBeGreaterThan(5_000);
    expect(png.length).toBeLessThan(100_000);
  });

  it("honours the requested size and draws a single point", () => {
    const png = renderRatesChart([{ date: "2026-03-02", value: 491.25 }], {
      title: "USD",
      currency: "USD",
      locale: "en",
      width: 640,
      height: 320,
    });
    expect(pngSize(png)).toEqual({ width: 640, height: 320 });
  });

  it("still renders a valid PNG when no font file is found", () => {
    const png = renderRatesChart(series(30), {
      title: "UZS",
      currency: "UZS",
      locale: "uz",
      fontPaths: ["/nonexistent/font.ttf"],
    });
    expect(pngSize(png)).toEqual({ width: 800, height: 400 });
  });

  it("drops zero, negative and non-finite points, and refuses an empty series", () => {
    const png = renderRatesChart(
      [
        { date: "2026-03-02", value: 491 },
        { date: "2026-03-03", value: 0 },
        { date: "2026-03-04", value: Number.NaN },
        { date: "not-a-date", value: 492 },
        { date: "2026-03-05", value: 493 },
      ],
      { title: "USD", currency: "USD", locale: "en" },
    );
    expect(pngSize(png).width).toBe(800);
    expect(() =>
      renderRatesChart([{ date: "2026-03-02", value: 0 }], { title: "USD", currency: "USD", locale: "en" }),
    ).toThrow(RangeError);
  });
});

describe("chartPointsFrom", () => {
  it("takes one currency from history, oldest first, skipping sets without it", () => {
    const set = (date: string, uzs?: number): RateSet => ({
      date,
      rates: { USD: 1, EUR: 1, RUB: 1, CNY: 1, ...(uzs ? { UZS: uzs } : {}) },
      source: "nbk",
      fetchedAt: "2026-03-01T00:00:00.000Z",
    });
    expect(
      chartPointsFrom([set("2026-03-03", 0.04), set("2026-03-02"), set("2026-03-01", 0.039)], "UZS"),
    ).toEqual([
      { date: "2026-03-01", value: 0.039 },
      { date: "2026-03-03", value: 0.04 },
    ]);
  });
});
