import { Composer } from "grammy";
import type { Translate } from "../../i18n/translator.js";
import type { SubscriptionStore } from "../../storage/subscriptions.js";
import type { BotContext } from "../context.js";
import { settingsView, storyLanguagesKeyboard } from "../keyboards/subscription.js";
import { subscriptionForButton } from "./subscription.js";

/**
 * /settings → Story languages: the outlet languages a chat reads, toggled in place on the
 * settings message (saved at each tap, at least one kept), Done returns to the settings.
 */
export function storyLanguagesFeature(deps: {
  translate: Translate;
  subscriptions: SubscriptionStore;
}): Composer<BotContext> {
  const { translate, subscriptions } = deps;
  const feature = new Composer<BotContext>();

  feature.filter(
    (ctx) => ctx.action?.kind === "storyLang",
    async (ctx) => {
      const action = ctx.action;
      if (action?.kind !== "storyLang" || !ctx.chat) return;
      const existing = await subscriptionForButton(ctx, subscriptions);
      if (!existing) return;
      if (action.op === "done" || !action.language) {
        await ctx.answerCallbackQuery();
        const view = settingsView(existing, translate, ctx.language);
        await ctx.editMessageText(view.text, { parse_mode: "HTML", reply_markup: view.keyboard });
        return;
      }
      const chosen = existing.storyLanguages.includes(action.language)
        ? existing.storyLanguages.filter((l) => l !== action.language)
        : [...existing.storyLanguages, action.language];
      if (chosen.length === 0) {
        await ctx.answerCallbackQuery({ text: ctx.t("story-languages-pick-one"), show_alert: true });
        return;
      }
      await subscriptions.setStoryLanguages(ctx.chat.id, chosen);
      await ctx.answerCallbackQuery();
      await ctx.editMessageReplyMarkup({
        reply_markup: storyLanguagesKeyboard(chosen, translate, ctx.language),
      });
    },
  );

  return feature;
}
