import { Composer } from "grammy";
import type { Translate } from "../../i18n/translator.js";
import type { SubscriptionStore } from "../../storage/subscriptions.js";
import { QUIET_PRESETS, type QuietHours } from "../../subscriber/quietHours.js";
import { ZONE_CHOICES } from "../../subscriber/timeZones.js";
import type { CallbackAction } from "../callbackData.js";
import type { BotContext } from "../context.js";
import { settingsView } from "../keyboards/subscription.js";
import { subscriptionForButton } from "./subscription.js";

type PickerAction = Extract<CallbackAction, { kind: "briefHour" | "quiet" | "zone" }>;

const isPicker = (action: CallbackAction | undefined): action is PickerAction =>
  action?.kind === "briefHour" || action?.kind === "quiet" || action?.kind === "zone";

/**
 * The quiet hours a press leaves: a preset keeps the chosen mode, a mode keeps the span (and
 * needs one: a stale mode button of a chat without quiet hours changes nothing), Off removes them.
 */
function quietChoice(
  action: Extract<PickerAction, { kind: "quiet" }>,
  current: QuietHours | undefined,
): QuietHours | undefined | "unchanged" {
  if (action.op === "off") return undefined;
  if (action.op === "mode") return current && action.mode ? { ...current, mode: action.mode } : "unchanged";
  const preset = action.op === "preset" ? QUIET_PRESETS[action.preset ?? -1] : undefined;
  if (!preset) return "unchanged";
  return current?.mode ? { ...preset, mode: current.mode } : preset;
}

/**
 * /settings → briefing hour, quiet hours and time zone: a press on an hour, a quiet-hours preset
 * or mode, or a city saves it and shows the settings again, Back only shows them. Stateless (the profile
 * is the state), so a double tap saves the same choice twice and changes nothing more.
 */
export function settingsPickersFeature(deps: {
  translate: Translate;
  subscriptions: SubscriptionStore;
}): Composer<BotContext> {
  const { translate, subscriptions } = deps;
  const feature = new Composer<BotContext>();

  feature.filter(
    (ctx) => isPicker(ctx.action),
    async (ctx) => {
      const action = ctx.action;
      if (!isPicker(action) || !ctx.chat) return;
      const existing = await subscriptionForButton(ctx, subscriptions);
      if (!existing) return;
      const chatId = ctx.chat.id;
      if (action.kind === "briefHour" && action.hour !== undefined)
        await subscriptions.setDelivery(chatId, existing.deliveryMode, action.hour);
      if (action.kind === "quiet" && action.op !== "back") {
        const quiet = quietChoice(action, existing.quietHours);
        if (quiet !== "unchanged") await subscriptions.setQuietHours(chatId, quiet);
      }
      if (action.kind === "zone" && action.op !== "back") {
        const zone = action.op === "pick" ? ZONE_CHOICES[action.zone ?? -1] : undefined;
        if (action.op === "default" || zone) await subscriptions.setTimeZone(chatId, zone);
      }
      await ctx.answerCallbackQuery();
      const view = settingsView((await subscriptions.get(chatId)) ?? existing, translate, ctx.language);
      await ctx.editMessageText(view.text, { parse_mode: "HTML", reply_markup: view.keyboard });
    },
  );

  return feature;
}
