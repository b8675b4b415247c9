import { Composer } from "grammy";
import type { Translate } from "../../i18n/translator.js";
import type { SubscriptionStore } from "../../storage/subscriptions.js";
import { QUIET_PRESETS } from "../../subscriber/quietHours.js";
import { settingsView } from "../keyboards/subscription.js";
import { type SubscriptionContext, subscriptionForButton } from "./subscription.js";

/**
 * /settings → briefing hour and quiet hours: a press on an hour or a quiet-hours preset saves it
 * and shows the settings again, Back only shows them. Stateless (the profile is the state), so a
 * double tap saves the same choice twice and changes nothing more.
 */
export function briefingHourFeature(deps: {
  translate: Translate;
  subscriptions: SubscriptionStore;
}): Composer<SubscriptionContext> {
  const { translate, subscriptions } = deps;
  const feature = new Composer<SubscriptionContext>();

  feature.filter(
    (ctx) => ctx.action?.kind === "briefHour" || ctx.action?.kind === "quiet",
    async (ctx) => {
      const action = ctx.action;
      if ((action?.kind !== "briefHour" && action?.kind !== "quiet") || !ctx.chat) return;
      const existing = await subscriptionForButton(ctx, subscriptions);
      if (!existing) return;
      if (action.kind === "briefHour" && action.hour !== undefined)
        await subscriptions.setDelivery(ctx.chat.id, existing.deliveryMode, action.hour);
      if (action.kind === "quiet" && action.op !== "back") {
        const preset = action.op === "preset" ? QUIET_PRESETS[action.preset ?? -1] : undefined;
        if (action.op === "off" || preset) await subscriptions.setQuietHours(ctx.chat.id, preset);
      }
      await ctx.answerCallbackQuery();
      const view = settingsView((await subscriptions.get(ctx.chat.id)) ?? existing, translate, ctx.language);
      await ctx.editMessageText(view.text, { parse_mode: "HTML", reply_markup: view.keyboard });
    },
  );

  return feature;
}
