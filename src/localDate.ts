const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * The local date, hour and ISO weekday (1 = Monday) of `now` in a time zone, e.g. `Asia/Almaty`
 * (UTC+5 since March 2024), from the zone's tzdata rules through Intl, so no offset is ever
 * hard-coded. The formatter is built once per zone: building one costs ~200 µs, and delivery
 * asks for the date on every message.
 */
export function localParts(now: Date, timeZone: string): { date: string; hour: number; weekday: number } {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      hourCycle: "h23",
      weekday: "short",
    });
    formats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(now).map((p) => [p.type, p.value]));
  const weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(parts.weekday ?? "") + 1;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour), weekday };
}

/** The date (YYYY-MM-DD) in a time zone. */
export function localDate(timeZone: string, now: Date = new Date()): string {
  return localParts(now, timeZone).date;
}
