import { Composer } from "grammy";
import type { Translate } from "../../i18n/translator.js";
import { commandListText } from "../commands.js";
import type { BotContext } from "../context.js";

/** /start and /help. */
export function welcomeFeature(translate: Translate): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  feature.command("start", async (ctx) => {
    await ctx.reply(
      ctx.t("welcome", {
        name: escapeHtml(ctx.from?.first_name ?? ""),
        commands: commandListText(translate, ctx.language),
      }),
      { parse_mode: "HTML", link_preview_options: { is_disabled: true } },
    );
  });

  feature.command("help", async (ctx) => {
    await ctx.reply(ctx.t("help", { commands: commandListText(translate, ctx.language) }), {
      parse_mode: "HTML",
    });
  });

  return feature;
}

/** Escapes text for Telegram's HTML parse mode (names and feed text are user-controlled). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
