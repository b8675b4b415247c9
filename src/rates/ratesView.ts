import { daysBetween, isoToDotted } from "./dates.js";
import type { ResolvedRates } from "./officialRates.js";
import { CURRENCIES, type Currency, displayUnit, type RateSet, type RateSource } from "./types.js";

/**
 * Which heading a set of rates gets. Decided here, once, so that no caller can label older data
 * as today's:
 * - `today`: official rates for today's date;
 * - `latest`: official rates of an earlier date that are still the latest (weekend, holiday);
 * - `outdated`: official rates of an earlier date, and newer ones could not be fetched;
 * - `upcoming`: official rates for a later date (NBK publishes the next day's in the afternoon);
 * - `cross`: CBU cross rates, never official, whatever their date.
 * The bot layer maps `kind` to a Fluent message and shows `dateText` ("rates for DD.MM.YYYY").
 */
export type DateLabel = {
  kind: "today" | "latest" | "outdated" | "upcoming" | "cross";
  /** ISO date the rates are for. */
  date: string;
  /** DD.MM.YYYY, as NBK writes it. */
  dateText: string;
};

/**
 * Picks the label for rates dated `setDate` shown on `today` (both ISO, Asia/Almaty).
 * `confirmedLatest` is true only when the caller KNOWS no newer official set exists, i.e. it
 * comes from `resolveRatesFor`'s `official` result; otherwise older data is `outdated`.
 */
export function dateLabel(
  setDate: string,
  today: string,
  options: { confirmedLatest: boolean; source?: RateSource },
): DateLabel {
  const base = { date: setDate, dateText: isoToDotted(setDate) };
  if (options.source === "cbu-cross") return { kind: "cross", ...base };
  const age = daysBetween(setDate, today);
  if (age === 0) return { kind: "today", ...base };
  if (age < 0) return { kind: "upcoming", ...base };
  // Even a "confirmed" set older than NBK's longest break is not presented as current.
  return { kind: options.confirmedLatest && age <= 10 ? "latest" : "outdated", ...base };
}

export type RateChange = {
  direction: "up" | "down" | "same";
  /** Absolute change in the shown unit, rounded to 0.01 like the rates themselves. */
  amount: number;
  /** `amount` formatted, without sign: "2.77". */
  amountText: string;
  /** Signed, for compact layouts: "+0.02", "-2.77", "0.00". */
  signedText: string;
  /** Relative change in percent, rounded to 0.01. */
  percent: number;
};

export type RateLine = {
  currency: Currency;
  /** Units the value is quoted for: 100 for UZS, 1 otherwise (as NBK publishes). */
  unit: 1 | 100;
  /** KZT per `unit`. */
  value: number;
  /** `value` with two decimals in the view's locale: "478.77" or "478,77". */
  valueText: string;
  /** Versus the previous official set; absent when there is none to compare with. */
  change: RateChange | undefined;
};

export type RatesView = {
  label: DateLabel;
  source: RateSource;
  /** False for CBU cross rates: the message must say they are not official. */
  official: boolean;
  /** Date of the set the changes are measured against, if any. */
  previousDate: string | undefined;
  /** One line per currency present, in CURRENCIES order; a missing currency has no line. */
  lines: RateLine[];
};

/**
 * The data of the /rates message. Pure. Changes are worked out on the rounded, shown values (in
 * hundredths), so the arrow always agrees with the numbers a user sees: never "up +0.00".
 * Changes are only given between two official sets: comparing a cross rate with an official one
 * would show the gap between the sources as a move.
 */
export function buildRatesView(input: {
  set: RateSet;
  previous?: RateSet | undefined;
  today: string;
  confirmedLatest: boolean;
  /** BCP 47 locale for the numbers, e.g. "ru", "kk", "uz", "en". Default "en". */
  locale?: string;
}): RatesView {
  const { set } = input;
  const previous =
    input.previous &&
    set.source === "nbk" &&
    input.previous.source === "nbk" &&
    input.previous.date < set.date
      ? input.previous
      : undefined;
  const number = numberFormat(input.locale, "auto");
  const signed = numberFormat(input.locale, "exceptZero");

  const lines: RateLine[] = [];
  for (const currency of CURRENCIES) {
    const perOne = set.rates[currency];
    if (perOne === undefined || !Number.isFinite(perOne) || perOne <= 0) continue;
    const unit = displayUnit(currency);
    const cents = Math.round(perOne * unit * 100);
    if (cents <= 0) continue; // would show as 0.00: leave it out rather than mislead
    const value = cents / 100;
    const before = previous?.rates[currency];
    let change: RateChange | undefined;
    if (before !== undefined && before > 0) {
      const diffCents = cents - Math.round(before * unit * 100);
      const amount = Math.abs(diffCents) / 100;
      change = {
        direction: diffCents > 0 ? "up" : diffCents < 0 ? "down" : "same",
        amount,
        amountText: number.format(amount),
        signedText: signed.format(diffCents / 100),
        percent: Math.round(((perOne - before) / before) * 10_000) / 100,
      };
    }
    lines.push({ currency, unit, value, valueText: number.format(value), change });
  }

  return {
    label: dateLabel(set.date, input.today, { confirmedLatest: input.confirmedLatest, source: set.source }),
    source: set.source,
    official: set.source === "nbk",
    previousDate: previous?.date,
    lines,
  };
}

/**
 * The view for whatever `resolveRatesFor` returned: the official set (labelled today or latest),
 * the CBU fallback (labelled cross), or the last official set labelled outdated. Undefined when
 * there is nothing at all to show; the caller then says the rates are unavailable.
 */
export function ratesViewFor(result: ResolvedRates, today: string, locale?: string): RatesView | undefined {
  const common = { today, ...(locale ? { locale } : {}) };
  switch (result.kind) {
    case "official":
      return buildRatesView({ set: result.set, previous: result.previous, confirmedLatest: true, ...common });
    case "fallback":
      return buildRatesView({ set: result.set, confirmedLatest: false, ...common });
    case "failed":
      return result.lastOfficial
        ? buildRatesView({ set: result.lastOfficial, confirmedLatest: false, ...common })
        : undefined;
  }
}

const formats = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: string | undefined, signDisplay: "auto" | "exceptZero"): Intl.NumberFormat {
  const key = `${locale ?? "en"}|${signDisplay}`;
  let format = formats.get(key);
  if (!format) {
    const options = { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay } as const;
    try {
      format = new Intl.NumberFormat(locale ?? "en", options);
    } catch {
      // A malformed locale tag from a user profile must not cost the user their rates.
      format = new Intl.NumberFormat("en", options);
    }
    formats.set(key, format);
  }
  return format;
}
