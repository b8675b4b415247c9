import { InlineKeyboard } from "grammy";
import type { Audience } from "../../admin/audience.js";
import type { BroadcastEstimate } from "../../admin/paidBroadcast.js";
import { formatDuration } from "../../admin/progress.js";
import { LANGUAGES, type Language } from "../../i18n/languages.js";
import type { Translate } from "../../i18n/translator.js";
import { TOPIC_EMOJI, TOPIC_IDS, type TopicId } from "../../news/topicIds.js";
import { encodeCallback } from "../callbackData.js";
import { chunk } from "./rows.js";
import { topicListText } from "./subscription.js";

/** /broadcast: who gets it. */
export function audienceKeyboard(translate: Translate, language: Language): InlineKeyboard {
  const t = (key: string) => translate(language, key);
  return new InlineKeyboard()
    .text(t("button-audience-all"), encodeCallback({ kind: "bcAudience", op: "all" }))
    .row()
    .text(t("button-audience-topics"), encodeCallback({ kind: "bcAudience", op: "topics" }))
    .text(t("button-audience-languages"), encodeCallback({ kind: "bcAudience", op: "languages" }))
    .row()
    .text(t("button-audience-channels"), encodeCallback({ kind: "bcPlaces", op: "channels" }))
    .text(t("button-audience-threads"), encodeCallback({ kind: "bcPlaces", op: "threads" }))
    .row()
    .text(t("button-audience-chats"), encodeCallback({ kind: "bcPlaces", op: "chats" }))
    .row()
    .text(t("button-cancel"), encodeCallback({ kind: "bcConfirm", op: "cancel" }));
}

/** /broadcast by topic: toggles, two per row, ✓ on the chosen ones. */
export function audienceTopicsKeyboard(
  selected: ReadonlySet<TopicId>,
  translate: Translate,
  language: Language,
): InlineKeyboard {
  const toggles = TOPIC_IDS.map((topic) =>
    InlineKeyboard.text(
      `${selected.has(topic) ? "✓ " : ""}${TOPIC_EMOJI[topic]} ${translate(language, `topic-${topic}`)}`,
      encodeCallback({ kind: "bcTopic", op: "toggle", topic }),
    ),
  );
  return InlineKeyboard.from([
    ...chunk(toggles, 2),
    [
      InlineKeyboard.text(
        `✅ ${translate(language, "button-done")}`,
        encodeCallback({ kind: "bcTopic", op: "done" }),
      ),
    ],
  ]);
}

/** /broadcast by language: toggles, ✓ on the chosen ones. */
export function audienceLanguagesKeyboard(
  selected: ReadonlySet<Language>,
  translate: Translate,
  language: Language,
): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const l of LANGUAGES) {
    keyboard.text(
      `${selected.has(l) ? "✓ " : ""}${translate(l, "language-name")}`,
      encodeCallback({ kind: "bcLang", op: "toggle", language: l }),
    );
  }
  return keyboard
    .row()
    .text(`✅ ${translate(language, "button-done")}`, encodeCallback({ kind: "bcLang", op: "done" }));
}

/**
 * /broadcast: the last step. No Send button when nobody would get it; with `paid` (PAID_BROADCAST
 * and a paid send would be faster) the admin chooses paid or free, paid first.
 */
export function broadcastConfirmKeyboard(
  translate: Translate,
  language: Language,
  canSend: boolean,
  paid = false,
): InlineKeyboard {
  const t = (key: string) => translate(language, key);
  const keyboard = new InlineKeyboard();
  if (canSend && paid) {
    keyboard
      .text(t("button-broadcast-send-paid"), encodeCallback({ kind: "bcConfirm", op: "paid" }))
      .text(t("button-broadcast-send-free"), encodeCallback({ kind: "bcConfirm", op: "send" }))
      .row();
  } else if (canSend)
    keyboard.text(t("button-broadcast-send"), encodeCallback({ kind: "bcConfirm", op: "send" })).row();
  return keyboard
    .text(t("button-audience-change"), encodeCallback({ kind: "bcConfirm", op: "back" }))
    .text(t("button-cancel"), encodeCallback({ kind: "bcConfirm", op: "cancel" }));
}

/** "all active subscribers", "subscribers of: 📦 Trade", …, escaped for HTML. */
export function audienceText(audience: Audience, translate: Translate, language: Language): string {
  switch (audience.kind) {
    case "all":
      return translate(language, "audience-all");
    case "topics":
      return translate(language, "audience-topics", {
        topics: topicListText(audience.topics, translate, language),
      });
    case "languages":
      return translate(language, "audience-languages", {
        languages: audience.languages.map((l) => translate(l, "language-name")).join(", "),
      });
    case "places":
      return translate(language, `audience-places-${audience.places}`);
  }
}

/** The free and paid options of a broadcast, its time and Stars, for the confirmation (paid mode). */
export function paidChoiceText(
  estimate: BroadcastEstimate,
  rates: { freePerSecond: number; paidPerSecond: number },
  translate: Translate,
  language: Language,
): string | undefined {
  if (!estimate.paid) return undefined;
  return translate(language, "broadcast-confirm-paid", {
    freeTime: formatDuration(Math.max(1, Math.ceil(estimate.free.seconds))),
    freeRate: rates.freePerSecond,
    paidTime: formatDuration(Math.max(1, Math.ceil(estimate.paid.seconds))),
    paidRate: rates.paidPerSecond,
    stars: estimate.paid.stars,
  });
}
