/**
 * The texts of a subscriber's choices as the bot shows them back (settings, the /subscribe
 * summary, the keywords dialogue): plain functions of the choice, the reader's language and the
 * translator, escaped for HTML where they go into an HTML message.
 */
import { escapeHtml } from "../../html.js";
import type { Language } from "../../i18n/languages.js";
import type { Translate } from "../../i18n/translator.js";
import { TOPIC_EMOJI, TOPIC_IDS, type TopicId } from "../../news/topicIds.js";
import type { FeedLanguage } from "../../news/types.js";
import type { Subscription } from "../../storage/subscriptions.js";
import {
  type KeywordParse,
  keywordAsUnderstood,
  MAX_KEYWORD_LENGTH,
  MAX_KEYWORD_WORDS,
  MAX_KEYWORDS,
  MIN_KEYWORD_LENGTH,
} from "../../subscriber/keywords.js";
import { quietModeOf, quietText } from "../../subscriber/quietHours.js";
import { STORY_LANGUAGES } from "../../subscriber/storyLanguages.js";
import { zoneCity } from "../../subscriber/timeZones.js";

/** "Moscow", or "the bot's time" for TIMEZONE. */
export function zoneText(
  subscription: Pick<Subscription, "timeZone">,
  translate: Translate,
  language: Language,
): string {
  return subscription.timeZone ? zoneCity(subscription.timeZone) : translate(language, "zone-default");
}

/** "22:00–07:00", or "off". */
export function quietHoursText(
  subscription: Pick<Subscription, "quietHours">,
  translate: Translate,
  language: Language,
): string {
  return subscription.quietHours ? quietText(subscription.quietHours) : translate(language, "quiet-off");
}

/** "22:00–07:00, held until they end" or "…, sent silently", or "off": the summaries' line. */
export function quietSummaryText(
  subscription: Pick<Subscription, "quietHours">,
  translate: Translate,
  language: Language,
): string {
  const quiet = subscription.quietHours;
  if (!quiet) return translate(language, "quiet-off");
  return translate(language, "quiet-with-mode", {
    quiet: quietText(quiet),
    mode: translate(language, `quiet-mode-${quietModeOf(quiet)}`),
  });
}

/** "08:00". */
export function hourText(hour: number): string {
  return `${String(hour).padStart(2, "0")}:00`;
}

/** "a briefing every day at 08:00" and the like, in the reader's language. */
export function deliveryText(
  subscription: Pick<Subscription, "deliveryMode" | "briefingHour">,
  translate: Translate,
  language: Language,
): string {
  return translate(language, `delivery-line-${subscription.deliveryMode}`, {
    time: hourText(subscription.briefingHour),
  });
}

/** "Russian, English" in the reader's language, or "all languages"; escaped for HTML. */
export function storyLanguageListText(
  languages: readonly FeedLanguage[],
  translate: Translate,
  language: Language,
): string {
  if (languages.length === STORY_LANGUAGES.length)
    return escapeHtml(translate(language, "story-languages-all"));
  return escapeHtml(languages.map((l) => translate(language, `story-language-${l}`)).join(", "));
}

/** "🤝 Diplomacy, 📦 Trade" in the reader's language, escaped for an HTML message. */
export function topicListText(topics: readonly TopicId[], translate: Translate, language: Language): string {
  if (topics.length === TOPIC_IDS.length) return escapeHtml(translate(language, "button-all-topics"));
  return escapeHtml(topics.map((t) => `${TOPIC_EMOJI[t]} ${translate(language, `topic-${t}`)}`).join(", "));
}

/** Own keywords as understood on one line ("ташкент…, гэс"), or "none"; escaped for HTML. */
export function keywordInlineText(
  keywords: readonly string[],
  translate: Translate,
  language: Language,
): string {
  if (keywords.length === 0) return escapeHtml(translate(language, "keywords-none"));
  return escapeHtml(keywords.map(keywordAsUnderstood).join(", "));
}

/** Own keywords as understood, one per line ("• железн… дорог…"), or "none"; escaped for HTML. */
export function keywordListText(
  keywords: readonly string[],
  translate: Translate,
  language: Language,
): string {
  if (keywords.length === 0) return escapeHtml(translate(language, "keywords-none"));
  return keywords.map((k) => `• ${escapeHtml(keywordAsUnderstood(k))}`).join("\n");
}

/**
 * The answer to a typed keyword list: what was saved (as understood) and each refused entry with
 * its reason, or, when nothing was usable, the reasons and a request to try again.
 */
export function keywordsSavedText(
  parsed: KeywordParse,
  translate: Translate,
  language: Language,
  saved: boolean,
): string {
  const t = (key: string, vars?: Record<string, string | number>) => translate(language, key, vars);
  const refused = parsed.refused.map((r) =>
    t("keyword-refused", {
      entry: escapeHtml(r.entry),
      reason: t(`keyword-error-${r.problem}`, {
        min: MIN_KEYWORD_LENGTH,
        max: MAX_KEYWORD_LENGTH,
        words: MAX_KEYWORD_WORDS,
        count: MAX_KEYWORDS,
      }),
    }),
  );
  const head = saved
    ? t("keywords-saved", { keywords: keywordListText(parsed.keywords, translate, language) })
    : t("keywords-none-usable");
  return [head, ...refused].join("\n");
}
