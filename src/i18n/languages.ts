/** The languages the bot speaks; `uz` is Uzbek in Latin script. Ids match locales/<id>.ftl. */
export const LANGUAGES = ["ru", "kk", "uz", "en"] as const;

export type Language = (typeof LANGUAGES)[number];

/** Russian is the common language of both audiences, so it is the default. */
export const DEFAULT_LANGUAGE: Language = "ru";

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

/**
 * Maps Telegram's `language_code` (an IETF tag such as "kk", "uz-Cyrl" or "en-GB") to one of
 * our languages; anything else gets Russian.
 */
export function detectLanguage(languageCode: string | undefined): Language {
  const base = languageCode?.toLowerCase().split(/[-_]/)[0];
  return isLanguage(base) ? base : DEFAULT_LANGUAGE;
}
