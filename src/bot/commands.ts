import type { Api } from "grammy";
import { LANGUAGES, type Language } from "../i18n/languages.js";
import type { Translate } from "../i18n/translator.js";

/** Commands shown to everyone, in menu order. Each has a `cmd-<name>` description in locales/. */
export const PUBLIC_COMMANDS = [
  "start",
  "subscribe",
  "topics",
  "settings",
  "channels",
  "keywords",
  "latest",
  "rates",
  "language",
  "unsubscribe",
  "cancel",
  "help",
] as const;

export type PublicCommand = (typeof PUBLIC_COMMANDS)[number];

/**
 * Commands only admins have, shown in their menu only (a per-chat scope). Each has a
 * `cmd-<name>` description in locales/.
 */
export const ADMIN_COMMANDS = ["broadcast", "broadcast_cancel", "stats", "feeds", "audit"] as const;

export type AdminCommand = (typeof ADMIN_COMMANDS)[number];

/** "/start — description" lines, for /start and /help. */
export function commandListText(translate: Translate, language: Language): string {
  const lines = PUBLIC_COMMANDS.map((c) => `/${c} — ${translate(language, `cmd-${c}`)}`);
  return `${translate(language, "commands-heading")}\n${lines.join("\n")}`;
}

/**
 * Registers the command menu in every language, plus a default (Russian) for clients whose
 * language we do not speak.
 */
export async function registerCommands(api: Api, translate: Translate): Promise<void> {
  const menu = (language: Language) =>
    PUBLIC_COMMANDS.map((command) => ({ command, description: translate(language, `cmd-${command}`) }));
  await api.setMyCommands(menu("ru"));
  for (const language of LANGUAGES) {
    await api.setMyCommands(menu(language), { language_code: language });
  }
}

/**
 * Gives each admin a menu with the public commands plus the admin ones, in every language and as
 * the scope's default: Telegram shows a chat-scoped menu only in that chat, so nobody else sees
 * the admin commands.
 */
export async function registerAdminCommands(
  api: Api,
  translate: Translate,
  adminIds: readonly number[],
): Promise<void> {
  const menu = (language: Language) =>
    [...PUBLIC_COMMANDS, ...ADMIN_COMMANDS].map((command) => ({
      command,
      description: translate(language, `cmd-${command}`),
    }));
  for (const chatId of adminIds) {
    const scope = { type: "chat" as const, chat_id: chatId };
    await api.setMyCommands(menu("ru"), { scope });
    for (const language of LANGUAGES) {
      await api.setMyCommands(menu(language), { scope, language_code: language });
    }
  }
}
