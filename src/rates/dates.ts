import { localDate } from "../localDate.js";

/**
 * Calendar dates as ISO `YYYY-MM-DD` strings. Arithmetic runs on UTC midnights, so a date never
 * shifts with the server's own time zone; only `todayIn` looks at a zone, through Intl.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const NBK_DATE = /^(\d{2})\.(\d{2})\.(\d{4})$/;
const DAY_MS = 86_400_000;

/** True for a real calendar date in ISO form (rejects 2026-02-30). */
export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

function toUtc(iso: string): Date {
  if (!isIsoDate(iso)) throw new RangeError(`not an ISO date: ${iso}`);
  return new Date(`${iso}T00:00:00Z`);
}

/** The date `days` after (or before, when negative) an ISO date. */
export function addDays(iso: string, days: number): string {
  return new Date(toUtc(iso).getTime() + days * DAY_MS).toISOString().slice(0, 10);
}

/** Days since 1970-01-01: the score of the rates index ZSET. */
export function epochDay(iso: string): number {
  return Math.round(toUtc(iso).getTime() / DAY_MS);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return epochDay(to) - epochDay(from);
}

/** Monday..Friday? (Holidays are not known here: NBK's answer tells.) */
export function isWeekend(iso: string): boolean {
  const day = toUtc(iso).getUTCDay();
  return day === 0 || day === 6;
}

/** `2026-04-01` → `01.04.2026`, the form NBK's `fdate` and `<date>` use. */
export function isoToDotted(iso: string): string {
  const m = ISO_DATE.exec(iso);
  if (!m || !isIsoDate(iso)) throw new RangeError(`not an ISO date: ${iso}`);
  return `${m[3]}.${m[2]}.${m[1]}`;
}

/** `01.04.2026` → `2026-04-01`; undefined when it is not a real date in that form. */
export function dottedToIso(dotted: string): string | undefined {
  const m = NBK_DATE.exec(dotted.trim());
  if (!m) return undefined;
  const iso = `${m[3]}-${m[2]}-${m[1]}`;
  return isIsoDate(iso) ? iso : undefined;
}

/** Today's date in a time zone (ISO), e.g. `todayIn("Asia/Almaty")`. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  return localDate(timeZone, now);
}
