/**
 * The time zones a subscriber may pick for their briefing and quiet hours, instead of the bot's
 * TIMEZONE: Kazakhstan and Uzbekistan (both UTC+5), and the cities their diplomats, traders and
 * students most often live in. A list rather than free text: a zone is then always valid, and a
 * keyboard picks it in one tap.
 */
export const ZONE_CHOICES = [
  "Asia/Almaty",
  "Asia/Tashkent",
  "Europe/Moscow",
  "Europe/Istanbul",
  "Asia/Dubai",
  "Europe/Berlin",
  "Europe/London",
  "America/New_York",
  "Asia/Shanghai",
  "Asia/Seoul",
] as const;

export type ZoneChoice = (typeof ZONE_CHOICES)[number];

export function isZoneChoice(value: unknown): value is ZoneChoice {
  return typeof value === "string" && (ZONE_CHOICES as readonly string[]).includes(value);
}

/** "Europe/Moscow" → "Moscow", "America/New_York" → "New York". */
export function zoneCity(zone: string): string {
  return (zone.split("/").at(-1) ?? zone).replace(/_/g, " ");
}
