import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../../src/logger.js";
import { backfillRateHistory } from "../../../src/rates/backfill.js";
import { addDays, dottedToIso, epochDay, isoToDotted, isWeekend } from "../../../src/rates/dates.js";
import {
  type OfficialRatesDeps,
  type RetrySchedule,
  resolveRatesFor,
} from "../../../src/rates/officialRates.js";
import { RateHistory } from "../../../src/rates/rateHistory.js";
import { ratesViewFor } from "../../../src/rates/ratesView.js";
import type { OfficialRateSet, Rates } from "../../../src/rates/types.js";
import { redisKeys } from "../../../src/storage/keys.js";
import { type TestRedis, useTestRedis } from "../../support/redis.js";

/** What the fake NBK or CBU answers for one date. */
type Reply = { status?: number; body?: string; hang?: boolean };
type Handler = (isoDate: string, attempt: number) => Reply;

const logger = createLogger({ level: "silent" });
const nbkFixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/nbk/${name}`, import.meta.url), "utf8");
const cbuFixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/cbu/${name}`, import.meta.url), "utf8");

/** Builds an answer in NBK's get_rates.cfm shape (UZS quoted per 100, as NBK does). */
function nbkXml(isoDate: string, rates: Rates): string {
  const item = (code: string, value: number, quant: number) =>
    `<item><fullname>${code}</fullname><title>${code}</title><description>${(value * quant).toFixed(2)}</description>` +
    `<quant>${quant}</quant><index></index><change>0.00</change></item>`;
  return (
    `<?xml version="1.0" encoding="utf-8"?>\n<rates><generator>Alternate RSS Builder</generator>` +
    `<date>${isoToDotted(isoDate)}</date>${item("USD", rates.USD, 1)}${item("EUR", rates.EUR, 1)}` +
    `${item("RUB", rates.RUB, 1)}${item("CNY", rates.CNY, 1)}${rates.UZS ? item("UZS", rates.UZS, 100) : ""}</rates>`
  );
}

/** A smooth made-up series: a few tenge of drift a day, well inside the sanity bound. */
function seriesRates(isoDate: string): Rates {
  const day = (Date.parse(`${isoDate}T00:00:00Z`) - Date.parse("2026-01-01T00:00:00Z")) / 86_400_000;
  return {
    USD: 480 + Math.sin(day / 9) * 6,
    EUR: 525 + Math.cos(day / 11) * 5,
    RUB: 5.5 + Math.sin(day / 7) * 0.1,
    CNY: 67 + Math.sin(day / 13) * 0.8,
    UZS: 0.0385 + Math.sin(day / 10) * 0.0005,
  };
}
const xmlResponse = (body: string): Reply => ({ body });
const emptyRates = nbkFixture("empty-2026-03-07.xml");

const fastRetry: RetrySchedule = { initialDelayMs: 10, factor: 2, maxDelayMs: 40, deadlineMs: 3000 };

let redis: TestRedis;
let server: Server;
let baseUrl: string;
let nbk: Handler;
let cbu: Handler;
/** Every date NBK was asked for, in order. */
let asked: string[];
let inFlight = 0;
let maxInFlight = 0;
let history: RateHistory;
let testNumber = 0;

beforeAll(async () => {
  redis = await useTestRedis();
  server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    let reply: Reply;
    if (url.pathname === "/nbk/get_rates.cfm") {
      const date = dottedToIso(url.searchParams.get("fdate") ?? "") ?? "invalid";
      asked.push(date);
      reply = nbk(date, asked.filter((d) => d === date).length);
    } else {
      const match = /^\/cbu\/all\/(\d{4}-\d{2}-\d{2})\/$/.exec(url.pathname);
      reply = match?.[1] ? cbu(match[1], 1) : { status: 404, body: "not found" };
    }
    if (reply.hang) return; // never answers: the client's deadline must end it
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    // A short delay so concurrent requests overlap and the concurrency limit is observable.
    setTimeout(() => {
      inFlight--;
      res.writeHead(reply.status ?? 200, { "content-type": "text/xml; charset=UTF-8" });
      res.end(reply.body ?? "");
    }, 5);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await redis.close();
});

beforeEach(() => {
  asked = [];
  inFlight = 0;
  maxInFlight = 0;
  nbk = () => ({ status: 500, body: "unexpected request" });
  cbu = () => ({ status: 500, body: "unexpected request" });
  // Each test gets its own key space under the file's prefix, so stored history never leaks.
  history = new RateHistory(redis.client, redisKeys(`${redis.prefix}:t${++testNumber}`), logger);
});

function deps(overrides: Partial<OfficialRatesDeps> = {}): OfficialRatesDeps {
  return {
    history,
    nbkBaseUrl: `${baseUrl}/nbk/get_rates.cfm`,
    logger,
    requestTimeoutMs: 500,
    retry: fastRetry,
    ...overrides,
  };
}

function officialSet(date: string, rates: Rates = seriesRates(date)): OfficialRateSet {
  return { date, rates, source: "nbk", fetchedAt: new Date().toISOString() };
}

describe("resolveRatesFor against a local NBK", () => {
  it("fetches, validates and stores today's rates; the next call is served from history", async () => {
    nbk = (date) =>
      date === "2026-03-02" ? xmlResponse(nbkFixture("normal-2026-03-02.xml")) : { status: 404 };
    await history.save(officialSet("2026-02-27", { USD: 490, EUR: 531, RUB: 5.6, CNY: 67.5, UZS: 0.0386 }));

    const first = await resolveRatesFor("2026-03-02", deps());
    expect(first).toMatchObject({ kind: "official", fetched: true, askedDate: "2026-03-02" });
    if (first.kind !== "official") return;
    expect(first.set).toMatchObject({
      date: "2026-03-02",
      source: "nbk",
      rates: { USD: 491.25, EUR: 532.4, RUB: 5.61, CNY: 67.88, UZS: 0.0387 },
    });
    expect(first.previous?.date).toBe("2026-02-27");
    expect(await history.get("2026-03-02")).toEqual(first.set);

    const second = await resolveRatesFor("2026-03-02", deps());
    expect(second).toMatchObject({ kind: "official", fetched: false });
    expect(asked).toEqual(["2026-03-02"]);

    const view = ratesViewFor(second, "2026-03-02");
    expect(view?.label).toEqual({ kind: "today", date: "2026-03-02", dateText: "02.03.2026" });
    expect(view?.lines[0]?.change).toMatchObject({ direction: "up", amountText: "1.25" });
  });

  it("steps back over a weekend and labels the set with its own date", async () => {
    nbk = (date) => {
      if (date === "2026-03-08") return xmlResponse(nbkFixture("carried-over-asked-2026-03-08.xml")); // dated 06.03
      if (date === "2026-03-07") return xmlResponse(emptyRates);
      if (date === "2026-03-06") return xmlResponse(nbkXml(date, seriesRates(date)));
      return { status: 404 };
    };
    await history.save(officialSet("2026-03-05"));

    // Sunday: NBK carries Friday over; Friday is asked for by its own date.
    const sunday = await resolveRatesFor("2026-03-08", deps());
    expect(sunday).toMatchObject({ kind: "official", askedDate: "2026-03-08", fetched: true });
    if (sunday.kind !== "official") return;
    expect(sunday.set.date).toBe("2026-03-06");
    expect(sunday.previous?.date).toBe("2026-03-05");
    expect(asked).toEqual(["2026-03-08", "2026-03-06"]);
    expect(await history.get("2026-03-08")).toBeUndefined();
    expect(ratesViewFor(sunday, "2026-03-08")?.label).toEqual({
      kind: "latest",
      date: "2026-03-06",
      dateText: "06.03.2026",
    });

    // Saturday: an empty answer, then Friday from history.
    asked = [];
    const saturday = await resolveRatesFor("2026-03-07", deps());
    expect(saturday.kind === "official" && saturday.set.date).toBe("2026-03-06");
    expect(asked).toEqual(["2026-03-07"]);

    // Both days off are remembered: asking again costs NBK nothing.
    asked = [];
    expect((await resolveRatesFor("2026-03-08", deps())).kind).toBe("official");
    expect(asked).toEqual([]);
  });

  it("retries a timeout, a 5xx and an HTML page with backoff, then succeeds", async () => {
    nbk = (date, attempt) => {
      if (attempt === 1) return { hang: true };
      if (attempt === 2) return { status: 503, body: "busy" };
      if (attempt === 3) return xmlResponse(nbkFixture("html-error.html"));
      return xmlResponse(nbkXml(date, seriesRates(date)));
    };
    const result = await resolveRatesFor("2026-03-10", deps({ requestTimeoutMs: 200 }));
    expect(result).toMatchObject({ kind: "official", set: { date: "2026-03-10" } });
    expect(asked).toEqual(["2026-03-10", "2026-03-10", "2026-03-10", "2026-03-10"]);
  });

  it("fails past the deadline, telling the caller to alert admins, with the last official set", async () => {
    await history.save(officialSet("2026-03-06"));
    nbk = (_date, attempt) => (attempt % 2 === 0 ? { hang: true } : { status: 502, body: "bad gateway" });
    const started = Date.now();
    const result = await resolveRatesFor(
      "2026-03-10",
      deps({ requestTimeoutMs: 150, retry: { ...fastRetry, deadlineMs: 600 } }),
    );
    const elapsed = Date.now() - started;
    expect(result).toMatchObject({
      kind: "failed",
      cause: "source-unavailable",
      alertAdmins: true,
      askedDate: "2026-03-10",
      lastOfficial: { date: "2026-03-06" },
    });
    if (result.kind === "failed") expect(result.reason).toMatch(/gave up after \d+ attempts/);
    expect(asked.length).toBeGreaterThan(2);
    // Without the deadline the retries would go on for good.
    expect(elapsed).toBeLessThan(4000);
    expect(await history.get("2026-03-10")).toBeUndefined();
    expect(ratesViewFor(result, "2026-03-10")?.label.kind).toBe("outdated");
  });

  it("gives up at once on a non-retryable answer (404: a wrong NBK_RATES_URL)", async () => {
    nbk = () => ({ status: 404, body: "not found" });
    const result = await resolveRatesFor("2026-03-10", deps());
    expect(result).toMatchObject({ kind: "failed", cause: "source-unavailable", lastOfficial: undefined });
    expect(asked).toHaveLength(1);
  });

  it("falls back to CBU cross rates when enabled, labelled and never stored as official", async () => {
    await history.save(officialSet("2026-02-27", { USD: 491, EUR: 532, RUB: 5.6, CNY: 67.9, UZS: 0.0387 }));
    nbk = () => ({ status: 500, body: "down" });
    cbu = (date) => (date === "2026-03-02" ? { body: cbuFixture("all-2026-03-02.json") } : { status: 404 });
    const cbuConfig = { enabled: true, baseUrl: `${baseUrl}/cbu` };

    const result = await resolveRatesFor(
      "2026-03-02",
      deps({ retry: { ...fastRetry, deadlineMs: 100 }, cbu: cbuConfig }),
    );
    expect(result).toMatchObject({ kind: "fallback", alertAdmins: true, cause: "source-unavailable" });
    if (result.kind !== "fallback") return;
    expect(result.set.source).toBe("cbu-cross");
    expect(result.set.date).toBe("2026-03-02");
    expect(result.set.rates.USD).toBeCloseTo(491.28, 2);
    expect(await history.get("2026-03-02")).toBeUndefined();
    expect((await history.range("2026-02-01", "2026-03-31")).map((s) => s.date)).toEqual(["2026-02-27"]);
    expect(ratesViewFor(result, "2026-03-02")).toMatchObject({ official: false, label: { kind: "cross" } });

    // Disabled: the same outage is a plain failure.
    const off = await resolveRatesFor("2026-03-02", deps({ retry: { ...fastRetry, deadlineMs: 100 } }));
    expect(off.kind).toBe("failed");
  });

  it("holds back a set that jumps against history, and does not store it", async () => {
    await history.save(
      officialSet("2026-03-02", { USD: 491.25, EUR: 532.4, RUB: 5.61, CNY: 67.88, UZS: 0.0387 }),
    );
    // USD published as 4912.50: a slipped decimal point.
    nbk = (date) => xmlResponse(nbkXml(date, { USD: 4912.5, EUR: 532.5, RUB: 5.6, CNY: 67.9, UZS: 0.0387 }));
    const result = await resolveRatesFor("2026-03-03", deps());
    expect(result).toMatchObject({ kind: "failed", cause: "suspicious-data", alertAdmins: true });
    if (result.kind === "failed") expect(result.reason).toMatch(/USD 491.25 → 4912.5/);
    expect(await history.get("2026-03-03")).toBeUndefined();
    expect(asked).toEqual(["2026-03-03"]);
  });

  it("stops waiting promptly when aborted (shutdown)", async () => {
    nbk = () => ({ hang: true });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const result = await resolveRatesFor(
      "2026-03-10",
      deps({
        requestTimeoutMs: 10_000,
        retry: { ...fastRetry, deadlineMs: 60_000 },
        signal: controller.signal,
      }),
    );
    expect(result).toMatchObject({ kind: "failed", cause: "source-unavailable" });
    // Aborted long before the 60 s deadline.
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("says so when no day in the look-back window has rates", async () => {
    nbk = () => xmlResponse(emptyRates);
    const result = await resolveRatesFor("2026-03-10", deps({ lookbackDays: 3 }));
    expect(result).toMatchObject({ kind: "failed", cause: "no-rates-in-window" });
    expect(asked).toEqual(["2026-03-10", "2026-03-09", "2026-03-08", "2026-03-07"]);
  });
});

describe("rate history", () => {
  it("skips a corrupt record on every read", async () => {
    const keys = redisKeys(`${redis.prefix}:t${testNumber}`);
    await history.save(officialSet("2026-03-05"));
    await history.save(officialSet("2026-03-06"));
    await redis.client.set(keys.ratesDay("2026-03-06"), "{not json");
    await redis.client.set(
      keys.ratesDay("2026-03-09"),
      JSON.stringify({ ...officialSet("2026-03-09"), rates: { USD: 0 } }),
    );
    await redis.client.zadd(keys.ratesDates, epochDay("2026-03-09"), "2026-03-09");

    expect(await history.get("2026-03-06")).toBeUndefined();
    expect((await history.latestOnOrBefore("2026-03-10"))?.date).toBe("2026-03-05");
    expect((await history.range("2026-03-01", "2026-03-31")).map((s) => s.date)).toEqual(["2026-03-05"]);
  });

  it("refuses to store CBU cross rates as official history", async () => {
    const cross = { ...officialSet("2026-03-05"), source: "cbu-cross" } as unknown as OfficialRateSet;
    await expect(history.save(cross)).rejects.toThrow();
    expect(await history.get("2026-03-05")).toBeUndefined();
  });
});

describe("backfillRateHistory", () => {
  const today = "2026-04-01";
  const from = addDays(today, -89);
  const broken = new Set(["2026-02-10", "2026-03-03", "2026-03-17"]);

  it("fills 90 days with limited concurrency, tolerating failed days, and skips known dates next time", async () => {
    nbk = (date) => {
      if (broken.has(date)) return { status: 503, body: "busy" };
      // Days off answer both ways NBK does: empty, or Friday's set carried over.
      if (isWeekend(date)) {
        const friday = addDays(date, new Date(`${date}T00:00:00Z`).getUTCDay() === 6 ? -1 : -2);
        return xmlResponse(date.endsWith("5") ? emptyRates : nbkXml(friday, seriesRates(friday)));
      }
      return xmlResponse(nbkXml(date, seriesRates(date)));
    };
    const options = { history, nbkBaseUrl: `${baseUrl}/nbk/get_rates.cfm`, logger, today, retryDelayMs: 5 };

    const first = await backfillRateHistory({ ...options, concurrency: 4 });
    const dates: string[] = [];
    for (let d = from; d <= today; d = addDays(d, 1)) dates.push(d);
    const weekdays = dates.filter((d) => !isWeekend(d));
    expect(first.stored).toHaveLength(weekdays.length - broken.size);
    expect(first.noOwnSet).toEqual(dates.filter(isWeekend));
    expect(first.failed.map((f) => f.date)).toEqual([...broken]);
    expect(first.skipped).toBe(0);
    expect(maxInFlight).toBeLessThanOrEqual(4);
    expect(maxInFlight).toBeGreaterThan(1);
    const stored = await history.range(from, today);
    expect(stored.map((s) => s.date)).toEqual(weekdays.filter((d) => !broken.has(d)));
    expect(stored.every((s) => s.source === "nbk" && s.rates.UZS !== undefined)).toBe(true);

    // Next start: only the failed days are asked again.
    asked = [];
    broken.clear();
    const second = await backfillRateHistory(options);
    expect([...new Set(asked)].sort()).toEqual(["2026-02-10", "2026-03-03", "2026-03-17"]);
    expect(second.stored).toEqual(["2026-02-10", "2026-03-03", "2026-03-17"]);
    expect(second.skipped).toBe(dates.length - 3);
    expect(await history.range(from, today)).toHaveLength(weekdays.length);
  });
});
