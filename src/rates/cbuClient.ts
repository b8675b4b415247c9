import { z } from "zod";
import { FetchFailure, fetchBytes } from "../http/fetchBytes.js";
import { dottedToIso } from "./dates.js";
import { type Currency, type RateSet, REQUIRED_CURRENCIES, rateSetSchema } from "./types.js";

/**
 * The Central Bank of Uzbekistan's daily JSON, used only as a clearly labelled fallback
 * (`source: "cbu-cross"`): its rates are UZS per `Nominal` units, and KZT is one of them, so
 * X→KZT = (Rate_X / Nominal_X) / (Rate_KZT / Nominal_KZT). It is never the official rate.
 */

// CBU sends every value as a string ("12194.21", "1"); the schema keeps that and checks the shape.
const decimalString = z.string().regex(/^\d+(?:\.\d+)?$/, "not a plain decimal");
const cbuItemSchema = z.looseObject({
  Ccy: z.string(),
  Nominal: decimalString,
  Rate: decimalString,
  Date: z.string(),
});
const cbuAnswerSchema = z.array(z.unknown());

export type CbuParseResult = { kind: "ok"; set: RateSet } | { kind: "invalid"; reason: string };
export type CbuFetchResult = CbuParseResult | { kind: "failed"; reason: string; retryable: boolean };

/** UZS per ONE unit of each CBU currency, from one answer's items. */
type PerUnit = { value: number; date: string };

/**
 * Turns a CBU `json/all/YYYY-MM-DD/` answer into KZT cross rates. Pure; never throws. The set is
 * dated with CBU's own `Date` (the date the rates are for), which must agree across the
 * currencies used. UZS→KZT is 1 / (UZS per KZT).
 */
export function parseCbuRates(json: unknown, fetchedAt: string = new Date().toISOString()): CbuParseResult {
  const list = cbuAnswerSchema.safeParse(json);
  if (!list.success) return { kind: "invalid", reason: "answer is not a JSON array" };

  const perUnit = new Map<string, PerUnit>();
  for (const raw of list.data) {
    const item = cbuItemSchema.safeParse(raw);
    if (!item.success) continue;
    const nominal = Number(item.data.Nominal);
    const rate = Number(item.data.Rate);
    const date = dottedToIso(item.data.Date);
    if (!(nominal > 0) || !(rate > 0) || !date) continue;
    perUnit.set(item.data.Ccy.trim().toUpperCase(), { value: rate / nominal, date });
  }

  const kzt = perUnit.get("KZT");
  if (!kzt) return { kind: "invalid", reason: "KZT is missing or not a positive number" };

  const rates: Partial<Record<Currency, number>> = { UZS: round(1 / kzt.value) };
  for (const code of REQUIRED_CURRENCIES) {
    const x = perUnit.get(code);
    if (!x) return { kind: "invalid", reason: `${code} is missing or not a positive number` };
    if (x.date !== kzt.date) {
      return { kind: "invalid", reason: `${code} is dated ${x.date} but KZT ${kzt.date}` };
    }
    rates[code] = round(x.value / kzt.value);
  }

  const checked = rateSetSchema.safeParse({ date: kzt.date, rates, source: "cbu-cross", fetchedAt });
  if (!checked.success) return { kind: "invalid", reason: checked.error.issues[0]?.message ?? "invalid" };
  return { kind: "ok", set: checked.data };
}

/** 8 significant digits: more than a cross rate can claim, and free of binary noise in stored JSON. */
function round(value: number): number {
  return Number(value.toPrecision(8));
}

/** The request URL for one date: `{baseUrl}/all/YYYY-MM-DD/`. */
export function cbuRatesUrl(baseUrl: string, isoDate: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/all/${isoDate}/`;
}

/**
 * Fetches CBU's rates for an ISO date and converts them to KZT cross rates. Never throws.
 * The result's `date` is CBU's own date, which may be earlier than asked on a day off.
 */
export async function fetchCbuCrossRates(
  baseUrl: string,
  isoDate: string,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<CbuFetchResult> {
  try {
    const response = await fetchBytes(cbuRatesUrl(baseUrl, isoDate), {
      timeoutMs: options.timeoutMs,
      // CBU's "all" answer is ~26 KB for 75 currencies.
      maxBytes: 2_000_000,
      headers: { accept: "application/json" },
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (response.status !== 200) {
      const retryable = response.status >= 500 || response.status === 429;
      return { kind: "failed", reason: `HTTP ${response.status}`, retryable };
    }
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder("utf-8").decode(response.body));
    } catch {
      return { kind: "invalid", reason: "body is not JSON" };
    }
    return parseCbuRates(json);
  } catch (err) {
    if (err instanceof FetchFailure) {
      return { kind: "failed", reason: `${err.kind}: ${err.message}`, retryable: err.kind !== "too-large" };
    }
    return { kind: "failed", reason: `unexpected: ${String(err)}`, retryable: true };
  }
}
