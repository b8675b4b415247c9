import { Composer } from "grammy";
import type { Translate } from "../../i18n/translator.js";
import type { ProfileStore } from "../../storage/profiles.js";
import type { BotContext } from "../context.js";
import { languageKeyboard } from "../keyboards/language.js";

/** /language: an inline keyboard; the choice is stored per chat and applies at once. */
export function languageFeature(profiles: ProfileStore, translate: Translate): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  feature.command("language", async (ctx) => {
    await ctx.reply(ctx.t("language-choose"), { reply_markup: languageKeyboard(translate) });
  });

  feature.filter(
    (ctx) => ctx.action?.kind === "lang",
    async (ctx) => {
      const action = ctx.action;
      const chatId = ctx.chat?.id ?? ctx.from?.id;
      if (action?.kind !== "lang" || chatId === undefined) return;
      await profiles.setLanguage(chatId, action.language);
      ctx.language = action.language;
      await ctx.i18n.renegotiateLocale();
      await ctx.answerCallbackQuery();
      // Replace the keyboard with the confirmation, so the old buttons cannot be pressed again.
      await ctx.editMessageText(ctx.t("language-changed")).catch(() => ctx.reply(ctx.t("language-changed")));
    },
  );

  return feature;
}
