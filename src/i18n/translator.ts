import { fileURLToPath } from "node:url";
import { I18n } from "@grammyjs/i18n";
import type { BotContext } from "../bot/context.js";
import { DEFAULT_LANGUAGE, type Language } from "./languages.js";

export const LOCALES_DIR = fileURLToPath(new URL("../../locales", import.meta.url));

export type Translate = (
  language: Language,
  key: string,
  variables?: Record<string, string | number>,
) => string;

/**
 * The Fluent translations from locales/. The same instance serves the bot (as grammY middleware,
 * `ctx.t`) and code that writes to chats outside an update (delivery, the daily rates).
 */
export function createI18n(): I18n<BotContext> {
  return new I18n<BotContext>({
    defaultLocale: DEFAULT_LANGUAGE,
    directory: LOCALES_DIR,
    // Fluent wraps variables in Unicode isolation marks by default; Telegram shows them as junk.
    fluentBundleOptions: { useIsolating: false },
    localeNegotiator: (ctx) => ctx.language,
  });
}

/** A translate function bound to an I18n instance, for code with no update at hand. */
export function translatorOf(i18n: I18n<BotContext>): Translate {
  return (language, key, variables) => i18n.t(language, key, variables);
}
