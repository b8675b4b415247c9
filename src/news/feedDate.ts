/**
 * Feed dates, read from the feed's own text by our rules, never by `new Date(text)`: that would
 * let the server's time zone decide what a zone-less time means, roll 31 June over to 1 July,
 * and read `01.05.2024` as 5 January.
 */
import { MONTHS, ZONE_NAMES } from "./dateWords.js";

/** Kazakhstan and Uzbekistan are both UTC+5: the zone assumed for a feed date that names none. */
export const REGION_OFFSET_MINUTES = 5 * 60;

export type FeedDateOptions = {
  /**
   * Minutes east of UTC for a time that names no zone: the zone the feed's other dates name
   * (dominantOffsetMinutes), else the outlet's. Default UTC+5, the zone of both countries
   * (Almaty moved to it in 2024).
   */
  defaultOffsetMinutes?: number;
};

const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*([Zz]|[+-]\d{2}(?::?\d{1,2})?|[A-Za-z]{1,5})?$/;
// ISO 8601 basic format (20240501T100000Z), seen in some generators.
const ISO_BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})?\s*([Zz]|[+-]\d{2}:?\d{2})?$/;
// RFC 822 and its relatives: optional weekday, day, month name (any of our languages and a few
// Western European ones), year, optional time, then whatever zone is left.
const NAMED_MONTH_DATE =
  /^(?:[^\d\s,]+\.?,?\s+)?(\d{1,2})[\s-]+([^\s\d.,-]+)\.?,?[\s-]+(\d{2,4})(?:[\s,T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(.*)$/;
// asctime and the US order: "Sun Jul 6 12:56:00 2014", "Wed, Apr 1 2026 10:00:00 GMT",
// "April 1, 2026 10:00".
const MONTH_FIRST_DATE =
  /^(?:[^\d\s,]+\.?,?\s+)?([^\s\d.,-]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(?:(\d{4})\s+)?(?:(\d{1,2}):(\d{2})(?::(\d{2}))?\s*)?(\d{4})?\s*(.*)$/;
// 01.05.2024 10:00 (day first, as on Russian-language sites) and 01/05/2024.
const DOTTED_DATE = /^(\d{1,2})[./](\d{1,2})[./](\d{4})(?:[\s,T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*(.*)$/;
// Minutes of one digit ("+00:0") are a generator's slip, read as written.
const NUMERIC_ZONE = /^(?:GMT|UTC|UT)?\s*([+-])(\d{1,2})(?::(\d{1,2})|(\d{2}))?$/i;
// A zone in brackets after the numeric one, "+0100 (CET)": the number decides.
const TRAILING_COMMENT = /\s*\([^)]*\)\s*$/;

type DateFields = {
  year: number;
  month: number | undefined;
  day: number;
  hour: number;
  minute: number;
  second: number;
  zone: string | undefined;
};

/**
 * Reads a feed's date text: ISO 8601 / RFC 3339 (also the basic format), RFC 822 (`+0500`,
 * `GMT`, the common zone abbreviations such as BST, CEST, EST, MSK, ALMT, UZT), asctime, month
 * names in Russian, Uzbek, Kazakh and the main Western European languages, and day-first
 * `DD.MM.YYYY HH:MM`. A time that names no zone is in `defaultOffsetMinutes` (the outlet's zone).
 * Undefined (untrusted) when unreadable, when the zone is an unknown abbreviation, when the date
 * does not exist (31 June) or is before 2000 (a CMS's zero date). Pure: it never depends on the
 * machine's time zone.
 */
export function parseFeedDate(text: string, options: FeedDateOptions = {}): Date | undefined {
  const fields = dateFields(toTwentyFourHour(text.trim().replace(TRAILING_COMMENT, "")));
  if (!fields) return undefined;
  const { year, month, day, hour, minute, second } = fields;
  const offset = zoneOffsetMinutes(fields.zone, options.defaultOffsetMinutes ?? REGION_OFFSET_MINUTES);
  if (
    month === undefined ||
    offset === undefined ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > 31 ||
    hour > 24 ||
    (hour === 24 && (minute > 0 || second > 0)) ||
    minute > 59 ||
    second > 60 ||
    year < 2000
  ) {
    return undefined;
  }
  // 31 April rolls over to 1 May in Date.UTC; such a date is not real.
  const midnight = Date.UTC(year, month - 1, day);
  if (new Date(midnight).getUTCDate() !== day) return undefined;
  const local = midnight + ((hour * 60 + minute) * 60 + Math.min(second, 59)) * 1000;
  return new Date(local - offset * 60_000);
}

/**
 * The zone a feed writes its dates in, when its dated items mostly name one (minutes east of
 * UTC): the best reading of the zone-less dates of the same feed. Undefined when too few dates
 * name a zone or they disagree.
 */
export function dominantOffsetMinutes(texts: readonly string[]): number | undefined {
  const counts = new Map<number, number>();
  let zoned = 0;
  for (const text of texts) {
    const fields = dateFields(text.trim().replace(TRAILING_COMMENT, ""));
    if (!fields?.zone?.trim()) continue;
    const offset = zoneOffsetMinutes(fields.zone, 0);
    if (offset === undefined) continue;
    zoned++;
    counts.set(offset, (counts.get(offset) ?? 0) + 1);
  }
  let best: number | undefined;
  let bestCount = 0;
  for (const [offset, count] of counts) {
    if (count > bestCount) {
      best = offset;
      bestCount = count;
    }
  }
  // A clear majority of at least two dates; otherwise the outlet's zone is the better guess.
  return bestCount >= 2 && bestCount * 2 > zoned ? best : undefined;
}

function dateFields(value: string): DateFields | undefined {
  const iso = ISO_DATE.exec(value) ?? ISO_BASIC.exec(value);
  if (iso) {
    return {
      year: Number(iso[1]),
      month: Number(iso[2]),
      day: Number(iso[3]),
      hour: Number(iso[4] ?? 0),
      minute: Number(iso[5] ?? 0),
      second: Number(iso[6] ?? 0),
      zone: iso[7],
    };
  }
  const named = NAMED_MONTH_DATE.exec(value);
  if (named) {
    return {
      year: fullYear(Number(named[3])),
      month: monthNumber(named[2] ?? ""),
      day: Number(named[1]),
      hour: Number(named[4] ?? 0),
      minute: Number(named[5] ?? 0),
      second: Number(named[6] ?? 0),
      zone: named[7],
    };
  }
  const dotted = DOTTED_DATE.exec(value);
  if (dotted) {
    return {
      year: Number(dotted[3]),
      month: Number(dotted[2]),
      day: Number(dotted[1]),
      hour: Number(dotted[4] ?? 0),
      minute: Number(dotted[5] ?? 0),
      second: Number(dotted[6] ?? 0),
      zone: dotted[7],
    };
  }
  const monthFirst = MONTH_FIRST_DATE.exec(value);
  if (monthFirst) {
    const month = monthNumber(monthFirst[1] ?? "");
    const year = monthFirst[3] ?? monthFirst[7];
    if (month === undefined || year === undefined) return undefined;
    return {
      year: Number(year),
      month,
      day: Number(monthFirst[2]),
      hour: Number(monthFirst[4] ?? 0),
      minute: Number(monthFirst[5] ?? 0),
      second: Number(monthFirst[6] ?? 0),
      zone: monthFirst[8],
    };
  }
  return undefined;
}

const TWELVE_HOUR = /\b(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp])\.?[Mm]\.?(?=\s|$)/;

/** "02:02:33 PM" → "14:02:33", so every format can read a 12-hour clock (US sites use it). */
function toTwentyFourHour(value: string): string {
  return value.replace(TWELVE_HOUR, (match, h: string, m: string, sec: string | undefined, half: string) => {
    const hour = Number(h);
    if (hour < 1 || hour > 12) return match;
    const h24 = (hour % 12) + (half.toLowerCase() === "p" ? 12 : 0);
    return `${String(h24).padStart(2, "0")}:${m}${sec === undefined ? "" : `:${sec}`}`;
  });
}

function fullYear(year: number): number {
  return year < 100 ? year + (year < 70 ? 2000 : 1900) : year;
}

function monthNumber(name: string): number | undefined {
  const lower = name.toLowerCase();
  return MONTHS.get(lower) ?? MONTHS.get(lower.slice(0, 3));
}

/** Minutes east of UTC of a zone written after a time; undefined when it cannot be known. */
export function zoneOffsetMinutes(zone: string | undefined, defaultOffset: number): number | undefined {
  const value = zone?.trim() ?? "";
  if (value === "") return defaultOffset;
  const named = ZONE_NAMES[value.toUpperCase()];
  if (named !== undefined) return named;
  const numeric = NUMERIC_ZONE.exec(value);
  if (numeric) {
    const hours = Number(numeric[2]);
    const minutes = Number(numeric[3] ?? numeric[4] ?? 0);
    if (hours > 14 || minutes > 59) return undefined;
    return (numeric[1] === "-" ? -1 : 1) * (hours * 60 + minutes);
  }
  // An unknown abbreviation: guessing would put the story hours off, so the date is not trusted.
  return undefined;
}
