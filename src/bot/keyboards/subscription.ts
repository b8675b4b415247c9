import { InlineKeyboard } from "grammy";
import { escapeHtml } from "../../html.js";
import type { Language } from "../../i18n/languages.js";
import type { Translate } from "../../i18n/translator.js";
import { TOPIC_EMOJI, TOPIC_IDS, type TopicId } from "../../news/topicIds.js";
import type { Subscription } from "../../storage/subscriptions.js";
import { encodeCallback } from "../callbackData.js";
import { chunk } from "./rows.js";

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
  return new InlineKeyboard()
    .text(translate(language, "button-settings-topics"), encodeCallback({ kind: "settings", op: "topics" }))
    .text(
      translate(language, subscription.rates ? "button-settings-rates-on" : "button-settings-rates-off"),
      encodeCallback({ kind: "settings", op: "rates" }),
    )
    .row()
    .text(
      translate(language, "button-settings-time", { time: subscription.ratesTime }),
      encodeCallback({ kind: "settings", op: "time" }),
    )
    .text(
      translate(language, "button-settings-language"),
      encodeCallback({ kind: "settings", op: "language" }),
    );
}

/** "🤝 Diplomacy, 📦 Trade" in the reader's language, escaped for an HTML message. */
export function topicListText(topics: readonly TopicId[], translate: Translate, language: Language): string {
  if (topics.length === CHOOSABLE_TOPICS.length) return escapeHtml(translate(language, "button-all-topics"));
  return escapeHtml(topics.map((t) => `${TOPIC_EMOJI[t]} ${translate(language, `topic-${t}`)}`).join(", "));
}
