import type { ConversationFlavor } from "@grammyjs/conversations";
import type { I18nFlavor } from "@grammyjs/i18n";
import type { Context } from "grammy";
import type { Language } from "../i18n/languages.js";
import type { Logger } from "../logger.js";
import type { CallbackAction } from "./callbackData.js";

/** What the middleware in createBot.ts adds to every update. */
type BotFields = {
  /** A child logger carrying the update id and user id. */
  log: Logger;
  /** The language of the person (or group) the bot is answering. */
  language: Language;
  /** The button pressed, parsed once by middleware/parseCallback.ts; absent when not ours. */
  action?: CallbackAction;
};

/**
 * The one context every handler and feature receives. Inside a conversation the context is
 * grammY's plain `Context` (conversations replay updates, so it carries none of these fields).
 */
export type BotContext = ConversationFlavor<Context & I18nFlavor & BotFields>;
