import type { I18nFlavor } from "@grammyjs/i18n";
import type { Context } from "grammy";
import type { Language } from "../i18n/languages.js";
import type { Logger } from "../logger.js";

/** The context every handler receives. Fields are filled by the middleware in createBot.ts. */
export type BotContext = Context &
  I18nFlavor & {
    /** A child logger carrying the update id and user id. */
    log: Logger;
    /** The language of the person (or group) the bot is answering. */
    language: Language;
  };
