import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseNbkRates } from "../../../src/rates/parseNbk.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/nbk/${name}`, import.meta.url), "utf8");

function xml(date: string, items: Array<[code: string, value: string, quant?: string]>): string {
  const body = items
    .map(
      ([code, value, quant = "1"]) =>
        `<item><fullname>X</fullname><title>${code}</title><description>${value}</description><quant>${quant}</quant><index></index><change>0.00</change></item>`,
    )
    .join("");
  return `<?xml version="1.0" encoding="utf-8"?><rates><date>${date}</date>${body}</rates>`;
}
const majors = (usd: string): Array<[string, string]> => [
  ["USD", usd],
  ["EUR", "532.40"],
  ["RUB", "5.61"],
  ["CNY", "67.88"],
];

describe("parseNbkRates", () => {
  it("reads a normal day, divides UZS by its quant of 100, ignores other currencies", () => {
    const result = parseNbkRates(fixture("normal-2026-03-02.xml"), "2026-03-02", "2026-03-01T10:00:00.000Z");
    expect(result).toEqual({
      kind: "ok",
      set: {
        date: "2026-03-02",
        rates: { USD: 491.25, EUR: 532.4, RUB: 5.61, CNY: 67.88, UZS: 0.0387 },
        source: "nbk",
        fetchedAt: "2026-03-01T10:00:00.000Z",
      },
      warnings: [],
    });
  });

  it("divides by <quant> whatever the currency (never inferred from the code)", () => {
    const result = parseNbkRates(
      xml("02.03.2026", [...majors("4912.50"), ["UZS", "0.387", "10"]]),
      "2026-03-02",
    );
    expect(result.kind).toBe("ok");
    if (result.kind === "ok") expect(result.set.rates.UZS).toBe(0.0387);
    const tenDollars = parseNbkRates(
      xml("02.03.2026", [["USD", "4912.50", "10"], ...majors("1").slice(1)]),
      "2026-03-02",
    );
    expect(tenDollars.kind === "ok" && tenDollars.set.rates.USD).toBe(491.25);
  });

  it("keeps the day without UZS when UZS is absent or broken, with a warning", () => {
    const absent = parseNbkRates(fixture("no-uzs-2026-03-03.xml"), "2026-03-03");
    expect(absent.kind).toBe("ok");
    if (absent.kind === "ok") {
      expect(absent.set.rates).not.toHaveProperty("UZS");
      expect(absent.warnings).toEqual(["UZS: missing; left out"]);
    }
    const broken = parseNbkRates(fixture("bad-uzs-2026-03-04.xml"), "2026-03-04");
    expect(broken.kind).toBe("ok");
    if (broken.kind === "ok") {
      expect(broken.set.rates.UZS).toBeUndefined();
      expect(broken.warnings[0]).toMatch(/^UZS: value .* is not a number/);
    }
  });

  it("reports a carried-over weekend answer with the date it is really for", () => {
    expect(parseNbkRates(fixture("carried-over-asked-2026-03-08.xml"), "2026-03-08")).toEqual({
      kind: "carried-over",
      answeredDate: "2026-03-06",
    });
  });

  it("reports an empty <rates> as empty", () => {
    expect(parseNbkRates(fixture("empty-2026-03-07.xml"), "2026-03-07")).toEqual({ kind: "empty" });
    expect(parseNbkRates(`<?xml version="1.0"?><rates/>`, "2026-03-07")).toEqual({ kind: "empty" });
    expect(parseNbkRates("<rates><date>07.03.2026</date></rates>", "2026-03-07")).toEqual({ kind: "empty" });
  });

  it.each([
    ["missing-cny-2026-03-04.xml", /CNY: missing/],
    ["zero-usd-2026-03-04.xml", /USD: value is zero/],
    ["negative-eur-2026-03-04.xml", /EUR: value -532.40 is negative/],
    ["non-numeric-rub-2026-03-04.xml", /RUB: value "5,61" is not a number/],
    ["wrong-date-asked-2026-03-04.xml", /<date> 2026-04-04 is later than the date asked for/],
    ["html-error.html", /HTML page/],
  ])("rejects %s", (name, reason) => {
    const result = parseNbkRates(fixture(name), "2026-03-04");
    expect(result.kind).toBe("invalid");
    if (result.kind === "invalid") expect(result.reason).toMatch(reason);
  });

  it.each([
    ["NaN", /not a number/],
    ["Infinity", /not a number/],
    ["1e3", /not a number/],
    ["", /not a number/],
    ["0", /zero/],
    ["9".repeat(400), /not finite/],
  ])("rejects a USD value of %j", (value, reason) => {
    const result = parseNbkRates(xml("04.03.2026", majors(value)), "2026-03-04");
    expect(result.kind).toBe("invalid");
    if (result.kind === "invalid") expect(result.reason).toMatch(reason);
  });

  it("rejects a bad quant, a duplicated currency, a missing or malformed date", () => {
    const cases: Array<[string, RegExp]> = [
      [xml("04.03.2026", [["USD", "491.25", "0"], ...majors("1").slice(1)]), /USD: <quant> "0"/],
      [xml("04.03.2026", [["USD", "491.25", ""], ...majors("1").slice(1)]), /USD: <quant> ""/],
      [xml("04.03.2026", [...majors("491.25"), ["USD", "4.00"]]), /USD: listed twice/],
      [xml("2026-03-04", majors("491.25")), /<date> is missing or not DD.MM.YYYY/],
      [xml("31.02.2026", majors("491.25")), /<date> is missing or not DD.MM.YYYY/],
      [xml("", majors("491.25")), /<date> is missing/],
    ];
    for (const [body, reason] of cases) {
      const result = parseNbkRates(body, "2026-03-04");
      expect(result.kind, body).toBe("invalid");
      if (result.kind === "invalid") expect(result.reason).toMatch(reason);
    }
  });

  it("rejects bodies that are not NBK rates XML", () => {
    for (const body of [
      "",
      "   ",
      "<html><body>Access denied</body></html>",
      "<rates><date>04.03.2026</date><item>",
      `<?xml version="1.0"?><rss version="2.0"><channel><title>news</title></channel></rss>`,
      `{"USD": 491.25}`,
    ]) {
      expect(parseNbkRates(body, "2026-03-04").kind, body).toBe("invalid");
    }
  });
});
