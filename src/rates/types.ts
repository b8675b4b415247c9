import { z } from "zod";

/** The currencies the bot shows, in display order. */
export const CURRENCIES = ["USD", "EUR", "RUB", "CNY", "UZS"] as const;
export type Currency = (typeof CURRENCIES)[number];

/**
 * The currencies a set must hold to be usable. UZS is optional: NBK lists it today, but a missing
 * UZS must not stop USD/EUR/RUB/CNY from being published (it is left out, never shown as 0).
 */
export const REQUIRED_CURRENCIES = ["USD", "EUR", "RUB", "CNY"] as const satisfies readonly Currency[];
export type RequiredCurrency = (typeof REQUIRED_CURRENCIES)[number];

/** Where a set came from: the official NBK rate, or a cross rate through the Central Bank of Uzbekistan. */
export type RateSource = "nbk" | "cbu-cross";

/** KZT per ONE unit of each currency (already divided by NBK's `quant`). UZS may be absent. */
export type Rates = Record<RequiredCurrency, number> & Partial<Record<"UZS", number>>;

export type RateSet = {
  /** ISO YYYY-MM-DD: the day these rates are official for (never the day they were fetched). */
  date: string;
  rates: Rates;
  source: RateSource;
  /** ISO timestamp of the fetch. */
  fetchedAt: string;
};

/** A set from NBK: the only kind stored as official history. */
export type OfficialRateSet = RateSet & { source: "nbk" };

// z.number() in zod v4 already refuses NaN and ±Infinity; positive() refuses 0 and negatives.
const rateValue = z.number().positive();

export const ratesSchema = z.object({
  USD: rateValue,
  EUR: rateValue,
  RUB: rateValue,
  CNY: rateValue,
  UZS: rateValue.optional(),
});

export const rateSetSchema = z.object({
  date: z.iso.date(),
  rates: ratesSchema,
  source: z.enum(["nbk", "cbu-cross"]),
  fetchedAt: z.iso.datetime({ offset: true }),
});

export const officialRateSetSchema = rateSetSchema.extend({ source: z.literal("nbk") });

/** How many units a rate is quoted for when shown: UZS per 100, the rest per 1 (as NBK publishes). */
export function displayUnit(currency: Currency): 1 | 100 {
  return currency === "UZS" ? 100 : 1;
}
