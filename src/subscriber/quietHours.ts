/**
 * Quiet hours: a span of local hours (TIMEZONE) in which instant stories make no sound at night:
 * either held, to arrive together when the span ends, or sent at once with Telegram's
 * `disable_notification`. The subscriber chooses. Pure.
 */

/**
 * What an instant story in the quiet hours does: `hold` (wait for their end, today's behaviour
 * and what every record older than the choice means) or `silent` (arrive at once, no sound).
 */
export const QUIET_MODES = ["hold", "silent"] as const;
export type QuietMode = (typeof QUIET_MODES)[number];

/** From `start` (inclusive) to `end` (exclusive), local hours 0–23; may wrap past midnight. */
export type QuietHours = {
  start: number;
  end: number;
  /** @defaultValue "hold" */
  mode?: QuietMode;
};

/** The chosen mode; a span without one holds. */
export function quietModeOf(quiet: QuietHours): QuietMode {
  return quiet.mode ?? "hold";
}

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

/**
 * "22-7", the stored form; "22-7s" when sent silently. Hold adds nothing, so every record written
 * before the choice existed reads as it always did.
 */
export function quietToField(quiet: QuietHours): string {
  return `${quiet.start}-${quiet.end}${quietModeOf(quiet) === "silent" ? "s" : ""}`;
}

/** The stored form read back; undefined when absent or unreadable (no quiet hours). */
export function quietFromField(raw: string | null | undefined): QuietHours | undefined {
  const match = /^(\d{1,2})-(\d{1,2})(s?)$/.exec(raw ?? "");
  if (!match) return undefined;
  const start = Number(match[1]);
  const end = Number(match[2]);
  if (start > 23 || end > 23 || start === end) return undefined;
  return match[3] === "s" ? { start, end, mode: "silent" } : { start, end };
}

/** "22:00–07:00". */
export function quietText(quiet: QuietHours): string {
  const hh = (h: number) => `${String(h).padStart(2, "0")}:00`;
  return `${hh(quiet.start)}–${hh(quiet.end)}`;
}
