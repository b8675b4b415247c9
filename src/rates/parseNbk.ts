import { XMLParser, XMLValidator } from "fast-xml-parser";
import { errorText } from "../errorText.js";
import { dottedToIso } from "./dates.js";
import { type Currency, type OfficialRateSet, officialRateSetSchema, REQUIRED_CURRENCIES } from "./types.js";

/**
 * What an NBK `get_rates.cfm` answer says about the date asked for:
 * - `ok`: that date's own official rates (`warnings` name an optional currency that was dropped);
 * - `empty`: a `<rates>` without items (NBK's answer for some weekends and holidays);
 * - `carried-over`: a valid answer for an EARLIER day (`answeredDate`), NBK's other answer for a
 *   weekend or holiday; the caller decides whether to use that day, labelled with its own date;
 * - `invalid`: anything that cannot be trusted, with a reason for the logs.
 */
export type NbkParseResult =
  | { kind: "ok"; set: OfficialRateSet; warnings: string[] }
  | { kind: "empty" }
  | { kind: "carried-over"; answeredDate: string }
  | { kind: "invalid"; reason: string };

// NBK's shape: <rates> … <date>DD.MM.YYYY</date> <item><title>USD</title><description>478.77</description>
// <quant>1</quant> …</item>… Values are kept as strings (parseTagValue: false) so that "478,77",
// "NaN" or "1e3" are judged by our own strict rule instead of being coerced by the parser.
const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (_name, jpath) => jpath === "rates.item",
  // NBK sends no DTD; refusing entity expansion closes the door on entity-bomb bodies.
  processEntities: false,
});

// A plain decimal with a dot, as NBK publishes (an optional minus so a negative value gets its own reason).
const DECIMAL = /^-?\d+(?:\.\d+)?$/;

/**
 * Parses an NBK `get_rates.cfm` XML answer for `askedDate` (ISO). Pure; never throws.
 * Every value is divided by its `<quant>`. The set is `ok` only when its `<date>` is the day
 * asked for and USD, EUR, RUB and CNY are all present as positive finite numbers; UZS is kept
 * when valid and dropped (never zeroed) when absent.
 */
export function parseNbkRates(
  xml: string,
  askedDate: string,
  fetchedAt: string = new Date().toISOString(),
): NbkParseResult {
  const head = xml.trimStart().slice(0, 512).toLowerCase();
  if (head === "") return invalid("empty body");
  if (/^(?:<\?xml[^>]*>\s*)?(?:<!doctype\s+html|<html)/.test(head)) {
    return invalid("an HTML page instead of NBK rates XML (error or maintenance page?)");
  }
  if (XMLValidator.validate(xml) !== true) return invalid("not well-formed XML");

  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch (err) {
    return invalid(`XML parser failed: ${errorText(err)}`);
  }
  const root = (doc as Record<string, unknown>).rates;
  if (root === undefined) return invalid("no <rates> root element (not NBK get_rates.cfm XML)");
  // `<rates/>` or `<rates></rates>` parse as an empty string.
  if (typeof root !== "object" || root === null) return { kind: "empty" };
  const rates = root as Record<string, unknown>;
  const items = Array.isArray(rates.item) ? (rates.item as unknown[]) : [];
  if (items.length === 0) return { kind: "empty" };

  const rawDate = typeof rates.date === "string" ? rates.date : "";
  const answeredDate = dottedToIso(rawDate);
  if (!answeredDate) return invalid(`<date> is missing or not DD.MM.YYYY: "${rawDate.slice(0, 40)}"`);
  if (answeredDate < askedDate) return { kind: "carried-over", answeredDate };
  if (answeredDate > askedDate) {
    return invalid(`<date> ${answeredDate} is later than the date asked for (${askedDate})`);
  }

  const found = new Map<Currency, number>();
  const bad = new Map<Currency, string>();
  for (const item of items) {
    if (typeof item !== "object" || item === null) continue;
    const fields = item as Record<string, unknown>;
    const code = typeof fields.title === "string" ? fields.title.trim().toUpperCase() : "";
    if (!isWanted(code)) continue;
    if (found.has(code) || bad.has(code)) {
      bad.set(code, "listed twice");
      found.delete(code);
      continue;
    }
    const value = readItemRate(fields);
    if (typeof value === "string") bad.set(code, value);
    else found.set(code, value);
  }

  // A bad or missing UZS only loses UZS; a bad or missing required currency loses the day.
  const fatal = REQUIRED_CURRENCIES.flatMap((code) => {
    const problem = bad.get(code) ?? (found.has(code) ? undefined : "missing");
    return problem ? [`${code}: ${problem}`] : [];
  });
  if (fatal.length > 0) return invalid(fatal.join("; "));

  const candidate = {
    date: answeredDate,
    rates: {
      USD: found.get("USD"),
      EUR: found.get("EUR"),
      RUB: found.get("RUB"),
      CNY: found.get("CNY"),
      ...(found.has("UZS") ? { UZS: found.get("UZS") } : {}),
    },
    source: "nbk" as const,
    fetchedAt,
  };
  // The schema is the last word: whatever slipped past the checks above cannot reach the user.
  const checked = officialRateSetSchema.safeParse(candidate);
  if (!checked.success) return invalid(`rate set does not validate: ${checked.error.issues[0]?.message}`);
  const uzsProblem = bad.get("UZS") ?? (found.has("UZS") ? undefined : "missing");
  return { kind: "ok", set: checked.data, warnings: uzsProblem ? [`UZS: ${uzsProblem}; left out`] : [] };
}

function isWanted(code: string): code is Currency {
  return code === "USD" || code === "EUR" || code === "RUB" || code === "CNY" || code === "UZS";
}

/** KZT per one unit, or a reason why the item cannot be used. */
function readItemRate(fields: Record<string, unknown>): number | string {
  const text = typeof fields.description === "string" ? fields.description.trim() : "";
  const quantText = typeof fields.quant === "string" ? fields.quant.trim() : "";
  if (!DECIMAL.test(text)) return `value "${text.slice(0, 20)}" is not a number`;
  const value = Number(text);
  if (!Number.isFinite(value)) return `value "${text.slice(0, 20)}" is not finite`;
  if (value < 0) return `value ${text} is negative`;
  if (value === 0) return "value is zero";
  // Never infer quant from the currency: UZS is quoted per 100 today but only <quant> says so.
  if (!/^\d+$/.test(quantText) || Number(quantText) <= 0) {
    return `<quant> "${quantText.slice(0, 20)}" is not a positive whole number`;
  }
  // toPrecision(12) drops binary noise (3.93 / 100 = 0.039299999…) without losing any published digit.
  return Number((value / Number(quantText)).toPrecision(12));
}

function invalid(reason: string): NbkParseResult {
  return { kind: "invalid", reason };
}
