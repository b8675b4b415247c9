import { daysBetween } from "./dates.js";
import { CURRENCIES, type Currency, type RateSet, REQUIRED_CURRENCIES } from "./types.js";

/**
 * The largest day-on-day move accepted without a human looking first: 15%.
 *
 * Why 15%: on an ordinary day these rates move well under 3% (the tenge floats freely since
 * 2015; even the turmoil of March 2022 stayed within single digits a day). The errors this check
 * exists to catch are far bigger: a wrong or missing `quant` (×10, ×100, ×1000), a shifted
 * decimal point, a value read from the wrong currency's row (RUB and CNY differ ×12, USD and RUB
 * ×80). The only genuine moves above 15% were one-off devaluations (2009, 2014, 2015: roughly
 * 20–30% in a day). On such a day the set is held back and admins are alerted: they can confirm
 * it (`maxDailyMove` raised for one run), which beats publishing a number nobody checked. The
 * bound is compared with history, never with fixed ranges: values drift a lot over years.
 */
export const DEFAULT_MAX_DAILY_MOVE = 0.15;

/**
 * How far back a previous set may lie and still be compared. Ten days covers the longest NBK
 * break (New Year and Nauryz holidays around a weekend); anything older says little about
 * today, and then the set is accepted on its own validation.
 */
export const MAX_COMPARISON_GAP_DAYS = 10;

export type RateMove = { currency: Currency; previous: number; current: number; change: number };

export type SanityResult<T extends RateSet = RateSet> =
  /** Accepted; `dropped` lists optional currencies (UZS) removed for an implausible move. */
  | { kind: "ok"; set: T; dropped: RateMove[]; comparedWith: string | undefined }
  /** A required currency moved more than the bound: do not publish or store; alert admins. */
  | { kind: "rejected"; reason: string; moves: RateMove[]; comparedWith: string };

/**
 * Checks a freshly fetched set against the previous official set from history. Pure.
 * A required currency (USD, EUR, RUB, CNY) moving more than `maxDailyMove` rejects the set;
 * an optional one (UZS) is dropped instead, so one odd quote does not hide the other four.
 * With no previous set within `MAX_COMPARISON_GAP_DAYS`, the set is accepted as it is.
 */
export function checkAgainstPrevious<T extends RateSet>(
  current: T,
  previous: RateSet | undefined,
  options: { maxDailyMove?: number } = {},
): SanityResult<T> {
  const bound = options.maxDailyMove ?? DEFAULT_MAX_DAILY_MOVE;
  if (!previous) return { kind: "ok", set: current, dropped: [], comparedWith: undefined };
  const gap = daysBetween(previous.date, current.date);
  if (gap <= 0 || gap > MAX_COMPARISON_GAP_DAYS) {
    return { kind: "ok", set: current, dropped: [], comparedWith: undefined };
  }

  const tooLarge: RateMove[] = [];
  for (const currency of CURRENCIES) {
    const now = current.rates[currency];
    const before = previous.rates[currency];
    if (now === undefined || before === undefined) continue;
    const change = now / before - 1;
    if (Math.abs(change) > bound) tooLarge.push({ currency, previous: before, current: now, change });
  }

  const required = tooLarge.filter((m) => (REQUIRED_CURRENCIES as readonly Currency[]).includes(m.currency));
  if (required.length > 0) {
    const detail = required
      .map((m) => `${m.currency} ${m.previous} → ${m.current} (${(m.change * 100).toFixed(1)}%)`)
      .join(", ");
    return {
      kind: "rejected",
      reason: `moved more than ${(bound * 100).toFixed(0)}% since ${previous.date}: ${detail}`,
      moves: required,
      comparedWith: previous.date,
    };
  }

  if (tooLarge.length === 0) return { kind: "ok", set: current, dropped: [], comparedWith: previous.date };
  const rates = { ...current.rates };
  for (const m of tooLarge) delete rates[m.currency as "UZS"];
  return { kind: "ok", set: { ...current, rates }, dropped: tooLarge, comparedWith: previous.date };
}
