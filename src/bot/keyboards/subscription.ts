import { InlineKeyboard } from "grammy";
import type { Language } from "../../i18n/languages.js";
import type { Translate } from "../../i18n/translator.js";
import { TOPIC_EMOJI, TOPIC_IDS, type TopicId } from "../../news/topicIds.js";
import type { FeedLanguage } from "../../news/types.js";
import type { Subscription } from "../../storage/subscriptions.js";
import {
  QUIET_MODES,
  QUIET_PRESETS,
  type QuietHours,
  quietModeOf,
  quietText,
} from "../../subscriber/quietHours.js";
import { STORY_LANGUAGES } from "../../subscriber/storyLanguages.js";
import { ZONE_CHOICES, type ZoneChoice, zoneCity } from "../../subscriber/timeZones.js";
import { type CallbackAction, encodeCallback } from "../callbackData.js";
import {
  deliveryText,
  hourText,
  keywordInlineText,
  quietHoursText,
  quietSummaryText,
  storyLanguageListText,
  topicListText,
  zoneText,
} from "../views/choices.js";
import { chunk } from "./rows.js";

// Shown in admin keyboards too, which import it from here.
export { topicListText } from "../views/choices.js";

type SettingsOp = Extract<CallbackAction, { kind: "settings" }>["op"];

/** Topics a user can choose: every canonical topic; "other" catches what fits none. */
export const CHOOSABLE_TOPICS: readonly TopicId[] = TOPIC_IDS;

/** The topic picker: two per row, each with its emoji and a ✓ when chosen; All and Done last. */
export function topicsKeyboard(
  selected: ReadonlySet<TopicId>,
  translate: Translate,
  language: Language,
): InlineKeyboard {
  const buttons = CHOOSABLE_TOPICS.map((topic) =>
    InlineKeyboard.text(
      `${selected.has(topic) ? "✓ " : ""}${TOPIC_EMOJI[topic]} ${translate(language, `topic-${topic}`)}`,
      encodeCallback({ kind: "topic", op: "toggle", topic }),
    ),
  );
  return InlineKeyboard.from([
    ...chunk(buttons, 2),
    [
      InlineKeyboard.text(
        translate(language, "button-all-topics"),
        encodeCallback({ kind: "topic", op: "all" }),
      ),
      InlineKeyboard.text(
        `✅ ${translate(language, "button-done")}`,
        encodeCallback({ kind: "topic", op: "done" }),
      ),
    ],
  ]);
}

export function ratesChoiceKeyboard(translate: Translate, language: Language): InlineKeyboard {
  return new InlineKeyboard()
    .text(translate(language, "button-yes"), encodeCallback({ kind: "subRates", rates: true }))
    .text(translate(language, "button-no"), encodeCallback({ kind: "subRates", rates: false }));
}

export function confirmKeyboard(translate: Translate, language: Language): InlineKeyboard {
  return new InlineKeyboard()
    .text(`✅ ${translate(language, "button-confirm")}`, encodeCallback({ kind: "subConfirm", op: "ok" }))
    .text(translate(language, "button-change-topics"), encodeCallback({ kind: "subConfirm", op: "edit" }));
}

export function unsubscribeKeyboard(translate: Translate, language: Language): InlineKeyboard {
  return new InlineKeyboard()
    .text(translate(language, "button-unsubscribe-yes"), encodeCallback({ kind: "unsub", confirm: true }))
    .text(translate(language, "button-unsubscribe-no"), encodeCallback({ kind: "unsub", confirm: false }));
}

export function settingsKeyboard(
  subscription: Subscription,
  translate: Translate,
  language: Language,
): InlineKeyboard {
  const t = (key: string, vars?: Record<string, string>) => translate(language, key, vars);
  const button = (label: string, op: SettingsOp) =>
    InlineKeyboard.text(label, encodeCallback({ kind: "settings", op }));
  return InlineKeyboard.from([
    [
      button(t("button-settings-topics"), "topics"),
      button(t(subscription.rates ? "button-settings-rates-on" : "button-settings-rates-off"), "rates"),
    ],
    [
      button(t("button-settings-time", { time: subscription.ratesTime }), "time"),
      button(t("button-settings-language"), "language"),
    ],
    [
      button(t("button-settings-story-languages"), "storyLanguages"),
      button(t("button-settings-keywords"), "keywords"),
    ],
    [
      button(t("button-settings-mode", { mode: t(`delivery-mode-${subscription.deliveryMode}`) }), "mode"),
      button(t("button-settings-briefing-hour", { time: hourText(subscription.briefingHour) }), "hour"),
    ],
    [
      button(
        t("button-settings-quiet", { quiet: quietHoursText(subscription, translate, language) }),
        "quiet",
      ),
      button(t("button-settings-zone", { zone: zoneText(subscription, translate, language) }), "zone"),
    ],
  ]);
}

/** /settings as one message: the settings text and its keyboard. */
export function settingsView(
  subscription: Subscription,
  translate: Translate,
  language: Language,
): { text: string; keyboard: InlineKeyboard } {
  const t = (key: string, vars?: Record<string, string>) => translate(language, key, vars);
  const text = t("settings", {
    status: t(subscription.status === "active" ? "status-active" : "status-paused"),
    topics: topicListText(subscription.topics, translate, language),
    rates: subscription.rates
      ? t("rates-choice-yes", { time: subscription.ratesTime })
      : t("rates-choice-no"),
    language: t("language-name"),
    storyLanguages: storyLanguageListText(subscription.storyLanguages, translate, language),
    keywords: keywordInlineText(subscription.keywords, translate, language),
    delivery: deliveryText(subscription, translate, language),
    quiet: quietSummaryText(subscription, translate, language),
    zone: zoneText(subscription, translate, language),
  });
  return { text, keyboard: settingsKeyboard(subscription, translate, language) };
}

/** The time-zone picker: the cities, two per row (the current one marked), the bot's time, Back. */
export function zoneKeyboard(
  current: ZoneChoice | undefined,
  translate: Translate,
  language: Language,
): InlineKeyboard {
  const cities = ZONE_CHOICES.map((zone, index) =>
    InlineKeyboard.text(
      zone === current ? `• ${zoneCity(zone)} •` : zoneCity(zone),
      encodeCallback({ kind: "zone", op: "pick", zone: index }),
    ),
  );
  return InlineKeyboard.from([
    ...chunk(cities, 2),
    [
      InlineKeyboard.text(
        translate(language, "zone-default"),
        encodeCallback({ kind: "zone", op: "default" }),
      ),
      InlineKeyboard.text(translate(language, "button-back"), encodeCallback({ kind: "zone", op: "back" })),
    ],
  ]);
}

/**
 * The quiet-hours picker: the presets (the current one marked); with quiet hours set, hold or
 * send silently (the current one marked); Off, Back.
 */
export function quietHoursKeyboard(
  current: QuietHours | undefined,
  translate: Translate,
  language: Language,
): InlineKeyboard {
  const presets = QUIET_PRESETS.map((q, preset) => {
    const label = quietText(q);
    const chosen = current?.start === q.start && current.end === q.end;
    return InlineKeyboard.text(
      chosen ? `• ${label} •` : label,
      encodeCallback({ kind: "quiet", op: "preset", preset }),
    );
  });
  // Without quiet hours a mode means nothing (it is stored with the span), so no row for it.
  const modes = current
    ? [
        QUIET_MODES.map((mode) => {
          const label = translate(language, `button-quiet-mode-${mode}`);
          return InlineKeyboard.text(
            quietModeOf(current) === mode ? `• ${label} •` : label,
            encodeCallback({ kind: "quiet", op: "mode", mode }),
          );
        }),
      ]
    : [];
  return InlineKeyboard.from([
    ...chunk(presets, 2),
    ...modes,
    [
      InlineKeyboard.text(
        translate(language, "button-quiet-off"),
        encodeCallback({ kind: "quiet", op: "off" }),
      ),
      InlineKeyboard.text(translate(language, "button-back"), encodeCallback({ kind: "quiet", op: "back" })),
    ],
  ]);
}

/** The briefing-hour picker: the 24 hours, four per row, the current one marked; then Back. */
export function briefingHourKeyboard(
  current: number,
  translate: Translate,
  language: Language,
): InlineKeyboard {
  const hours = Array.from({ length: 24 }, (_, hour) =>
    InlineKeyboard.text(
      hour === current ? `• ${hourText(hour)} •` : hourText(hour),
      encodeCallback({ kind: "briefHour", hour }),
    ),
  );
  return InlineKeyboard.from([
    ...chunk(hours, 4),
    [InlineKeyboard.text(translate(language, "button-back"), encodeCallback({ kind: "briefHour" }))],
  ]);
}

/** The outlet-language picker: one toggle per language, ✓ on those read, then Done. */
export function storyLanguagesKeyboard(
  selected: readonly FeedLanguage[],
  translate: Translate,
  language: Language,
): InlineKeyboard {
  const toggles = STORY_LANGUAGES.map((l) =>
    InlineKeyboard.text(
      `${selected.includes(l) ? "✓ " : ""}${translate(language, `story-language-${l}`)}`,
      encodeCallback({ kind: "storyLang", op: "toggle", language: l }),
    ),
  );
  return InlineKeyboard.from([
    ...chunk(toggles, 2),
    [
      InlineKeyboard.text(
        `✅ ${translate(language, "button-done")}`,
        encodeCallback({ kind: "storyLang", op: "done" }),
      ),
    ],
  ]);
}
