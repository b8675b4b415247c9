import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cbuRatesUrl, parseCbuRates } from "../../../src/rates/cbuClient.js";

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../fixtures/cbu/${name}`, import.meta.url), "utf8"));

describe("parseCbuRates", () => {
  it("computes X→KZT as (Rate_X/Nominal_X)/(Rate_KZT/Nominal_KZT), labelled cbu-cross", () => {
    const result = parseCbuRates(fixture("all-2026-03-02.json"), "2026-03-02T06:00:00.000Z");
    expect(result.kind).toBe("ok");
    if (result.kind !== "ok") return;
    expect(result.set.source).toBe("cbu-cross");
    expect(result.set.date).toBe("2026-03-02");
    expect(result.set.rates.USD).toBeCloseTo(12650.4 / 25.75, 4);
    expect(result.set.rates.EUR).toBeCloseTo(13712.85 / 25.75, 4);
    expect(result.set.rates.RUB).toBeCloseTo(144.5 / 25.75, 6);
    expect(result.set.rates.CNY).toBeCloseTo(1748.2 / 25.75, 4);
    // UZS per one KZT is 25.75, so one UZS is 1/25.75 KZT (3.88 per 100).
    expect(result.set.rates.UZS).toBeCloseTo(1 / 25.75, 8);
  });

  it("honours Nominal on both sides", () => {
    const plain = parseCbuRates(fixture("all-2026-03-02.json"));
    const nominal = parseCbuRates(fixture("nominal-2026-03-02.json"));
    expect(plain.kind === "ok" && nominal.kind === "ok").toBe(true);
    if (plain.kind === "ok" && nominal.kind === "ok") {
      expect(nominal.set.rates.RUB).toBeCloseTo(plain.set.rates.RUB, 8);
      expect(nominal.set.rates.USD).toBeCloseTo(plain.set.rates.USD, 8);
      expect(nominal.set.rates.UZS).toBeCloseTo(plain.set.rates.UZS ?? 0, 10);
    }
  });

  it.each([
    ["missing-kzt-2026-03-02.json", /KZT is missing/],
    ["bad-usd-2026-03-02.json", /USD is missing or not a positive number/],
    ["mixed-dates-2026-03-02.json", /USD is dated 2026-02-27 but KZT 2026-03-02/],
  ])("rejects %s", (name, reason) => {
    const result = parseCbuRates(fixture(name));
    expect(result.kind).toBe("invalid");
    if (result.kind === "invalid") expect(result.reason).toMatch(reason);
  });

  it("rejects answers that are not the CBU array", () => {
    expect(parseCbuRates({ error: "not found" }).kind).toBe("invalid");
    expect(parseCbuRates(null).kind).toBe("invalid");
    expect(parseCbuRates([]).kind).toBe("invalid");
  });

  it("builds the dated archive URL", () => {
    expect(cbuRatesUrl("https://cbu.uz/en/arkhiv-kursov-valyut/json", "2026-03-02")).toBe(
      "https://cbu.uz/en/arkhiv-kursov-valyut/json/all/2026-03-02/",
    );
  });
});
