const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * The date (YYYY-MM-DD) in a time zone, e.g. `Asia/Almaty` (UTC+5 since March 2024), from the
 * zone's tzdata rules through Intl, so no offset is ever hard-coded. The formatter is built once
 * per zone: building one costs ~200 µs, and delivery asks for the date on every message.
 */
export function localDate(timeZone: string, now: Date = new Date()): string {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    formats.set(timeZone, format);
  }
  const parts = format.formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")}`;
}
