import { Composer } from "grammy";
import { escapeHtml } from "../../html.js";
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
