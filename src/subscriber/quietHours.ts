/**
 * Quiet hours: a span of local hours (TIMEZONE) in which instant stories are held, to arrive
 * together when the span ends instead of one by one at night. Pure.
 */

/** From `start` (inclusive) to `end` (exclusive), local hours 0–23; may wrap past midnight. */
export type QuietHours = { start: number; end: number };

/** The spans a subscriber picks from (a keyboard of presets: no fiddly hour entry at night). */
export const QUIET_PRESETS: readonly QuietHours[] = [
  { start: 22, end: 7 },
  { start: 23, end: 7 },
  { start: 21, end: 8 },
  { start: 0, end: 8 },
];

/** True when `hour` falls in the span. */
export function isQuietHour(hour: number, quiet: QuietHours): boolean {
  return quiet.start <= quiet.end
    ? hour >= quiet.start && hour < quiet.end
    : hour >= quiet.start || hour < quiet.end;
}

/** "22-7", the stored form. */
export function quietToField(quiet: QuietHours): string {
  return `${quiet.start}-${quiet.end}`;
}

/** The stored form read back; undefined when absent or unreadable (no quiet hours). */
export function quietFromField(raw: string | null | undefined): QuietHours | undefined {
  const match = /^(\d{1,2})-(\d{1,2})$/.exec(raw ?? "");
  if (!match) return undefined;
  const start = Number(match[1]);
  const end = Number(match[2]);
  return start <= 23 && end <= 23 && start !== end ? { start, end } : undefined;
}

/** "22:00–07:00". */
export function quietText(quiet: QuietHours): string {
  const hh = (h: number) => `${String(h).padStart(2, "0")}:00`;
  return `${hh(quiet.start)}–${hh(quiet.end)}`;
}
