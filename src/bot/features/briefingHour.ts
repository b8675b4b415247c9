import { Composer } from "grammy";
import type { Translate } from "../../i18n/translator.js";
import type { SubscriptionStore } from "../../storage/subscriptions.js";
import { settingsView } from "../keyboards/subscription.js";
import { canManage, type SubscriptionContext } from "./subscription.js";

/**
 * /settings → briefing hour: a press on an hour saves it and shows the settings again, Back only
 * shows them. Stateless (the profile is the state), so a double tap saves the same hour twice.
 */
export function briefingHourFeature(deps: {
  translate: Translate;
  subscriptions: SubscriptionStore;
}): Composer<SubscriptionContext> {
  const { translate, subscriptions } = deps;
  const feature = new Composer<SubscriptionContext>();

  feature.filter(
    (ctx) => ctx.action?.kind === "briefHour",
    async (ctx) => {
      const action = ctx.action;
      if (action?.kind !== "briefHour" || !ctx.chat) return;
      if (!(await canManage(ctx))) {
        await ctx.answerCallbackQuery({ text: ctx.t("group-admins-only"), show_alert: true });
        return;
      }
      const existing = await subscriptions.get(ctx.chat.id);
      if (!existing) {
        await ctx.answerCallbackQuery({ text: ctx.t("not-subscribed") });
        return;
      }
      if (action.hour !== undefined)
        await subscriptions.setDelivery(ctx.chat.id, existing.deliveryMode, action.hour);
      await ctx.answerCallbackQuery();
      const view = settingsView((await subscriptions.get(ctx.chat.id)) ?? existing, translate, ctx.language);
      await ctx.editMessageText(view.text, { parse_mode: "HTML", reply_markup: view.keyboard });
    },
  );

  return feature;
}
