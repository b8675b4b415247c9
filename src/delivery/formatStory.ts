/**
 * Stories as Telegram HTML messages. Pure: a story, a language and a translate function in, a
 * string out. Every piece of feed text is cut as plain text first and escaped after, so a cut
 * never lands inside an entity or a tag, and the result never exceeds Telegram's length limits.
 */
import { escapeHtml } from "../html.js";
import type { Language } from "../i18n/languages.js";
import type { Translate } from "../i18n/translator.js";
import type { Story } from "../news/types.js";

/** Telegram's limit on a message text, in UTF-16 code units. */
export const MESSAGE_LIMIT = 4096;
/** Telegram's limit on a photo caption. */
export const CAPTION_LIMIT = 1024;

/** A story as delivered: with the reader's own keyword that brought it, when one did. */
export type MarkedStory = Story & { matchedKeyword?: string };

export type FormatOptions = {
  language: Language;
  translate: Translate;
  /** IANA zone of the times shown (config TIMEZONE). */
  timeZone: string;
  /** Length limit of the whole message; MESSAGE_LIMIT by default, CAPTION_LIMIT for captions. */
  maxLength?: number;
  /** The summary is cut at a word boundary near this many characters. */
  summaryLength?: number;
};

const DEFAULT_SUMMARY_LENGTH = 300;
const MAX_TITLE_LENGTH = 250;
const MAX_OUTLET_LENGTH = 60;
const MAX_ALSO_REPORTED = 5;
const MAX_KEYWORD_SHOWN = 40;
// Longer links are almost always tracking junk; a link that long would eat a caption whole.
const MAX_LINK_LENGTH = 1000;

export const LOCALES: Record<Language, string> = { ru: "ru-RU", kk: "kk-KZ", uz: "uz-Latn-UZ", en: "en-GB" };

/**
 * Cuts plain text to at most `max` UTF-16 units, at a word boundary when one is near, adding "…"
 * when something was cut. Never splits a surrogate pair (an emoji), so the result is valid UTF-16.
 */
export function truncateText(text: string, max: number): string {
  const clean = text.replace(/\s+/g, " ").trim();
  if (clean.length <= max) return clean;
  if (max <= 1) return max === 1 ? "…" : "";
  let cut = max - 1; // room for the ellipsis
  const space = clean.lastIndexOf(" ", cut);
  // Only back off to a space that keeps most of the text; a 300-char word is cut mid-word.
  if (space >= Math.floor(cut * 0.6)) cut = space;
  else if (isHighSurrogate(clean.charCodeAt(cut - 1))) cut -= 1;
  return `${clean.slice(0, cut).replace(/[\s,;:.\-–—]+$/u, "")}…`;
}

/**
 * Cuts plain text so that, once escaped for HTML, it fits in `maxEscaped` units and its plain
 * form in `maxPlain`. Escaping lengthens text ("&" → "&amp;"), so the cut is found before escaping
 * and shrunk until the escaped form fits. Returns the escaped text ("" when nothing fits).
 */
export function escapeWithin(text: string, maxPlain: number, maxEscaped: number): string {
  let limit = Math.min(maxPlain, maxEscaped);
  while (limit > 0) {
    const escaped = escapeHtml(truncateText(text, limit));
    if (escaped.length <= maxEscaped) return escaped;
    limit = Math.min(limit - 1, Math.floor((limit * maxEscaped) / escaped.length));
  }
  return "";
}

/** An http(s) link safe to put in an href, or undefined (javascript:, data:, garbage, too long). */
export function safeHref(link: string): string | undefined {
  const trimmed = link.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_LINK_LENGTH) return undefined;
  try {
    const url = new URL(trimmed);
    if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  } catch {
    return undefined;
  }
  return escapeHtml(trimmed);
}

export function linked(escapedText: string, link: string): string {
  const href = safeHref(link);
  return href ? `<a href="${href}">${escapedText}</a>` : escapedText;
}

/** The story's time in the reader's zone and language, or "" when the feed's date is unusable. */
export function formatStoryTime(iso: string, language: Language, timeZone: string): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return "";
  try {
    return new Intl.DateTimeFormat(LOCALES[language], {
      timeZone,
      day: "numeric",
      month: "short",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).format(new Date(t));
  } catch {
    return "";
  }
}

/** `#trade #energy`: hashtags from stable topic ids, so they search the same in every language. */
export function topicHashtags(topics: readonly string[]): string {
  return [...new Set(topics)].map((t) => `#${t.replace(/[^A-Za-z0-9_]/g, "_")}`).join(" ");
}

type Parts = {
  keyword: string;
  title: string;
  meta: string;
  summary: string;
  tags: string;
  also: string;
};

function titleLine(story: Story, maxEscaped: number): string {
  // The anchor's markup counts toward the limit too: reserve it before fitting the text.
  const href = safeHref(story.link);
  const markup = href ? `<b><a href="${href}"></a></b>`.length : "<b></b>".length;
  const room = maxEscaped - markup;
  const title = escapeWithin(story.title || story.outlet, MAX_TITLE_LENGTH, Math.max(room, 0));
  if (title.length === 0) return "";
  return `<b>${linked(title, story.link)}</b>`;
}

function metaLine(story: Story, options: FormatOptions): string {
  const outlet = escapeWithin(story.outlet, MAX_OUTLET_LENGTH, MAX_OUTLET_LENGTH * 6);
  const time = formatStoryTime(story.published, options.language, options.timeZone);
  return [outlet && `<i>${outlet}</i>`, escapeHtml(time)].filter(Boolean).join(" · ");
}

function alsoReportedLine(story: Story, options: FormatOptions, budget: number): string {
  const seen = new Set([story.link]);
  const outlets: string[] = [];
  let length = 0;
  for (const report of story.alsoReportedBy) {
    if (seen.has(report.link) || outlets.length >= MAX_ALSO_REPORTED) continue;
    seen.add(report.link);
    const name = escapeWithin(report.outlet, MAX_OUTLET_LENGTH, MAX_OUTLET_LENGTH * 6);
    if (!name) continue;
    const item = linked(name, report.link);
    if (length + item.length + 2 > budget) break;
    outlets.push(item);
    length += item.length + 2;
  }
  if (outlets.length === 0) return "";
  return options.translate(options.language, "story-also-reported", { outlets: outlets.join(", ") });
}

function join(parts: Parts): string {
  return [
    parts.keyword,
    parts.title,
    parts.meta,
    parts.summary,
    [parts.tags, parts.also].filter(Boolean).join("\n"),
  ]
    .filter(Boolean)
    .join("\n\n")
    .replace(/^\n+/, "");
}

/**
 * One story as a Telegram HTML message (parse_mode HTML) in the reader's language: bold linked
 * title, outlet and local time, the summary cut at a word boundary, topic hashtags and the other
 * outlets that reported it. Guarantees: all feed text escaped, only http(s) links, well-formed
 * HTML, and at most `maxLength` characters (parts are shortened, then dropped, to fit).
 *
 * Uses the locale key `story-also-reported` (variable `outlets`, already HTML), and
 * `story-keyword` (variable `keyword`, already HTML) when the reader's own keyword brought it.
 */
export function formatStory(story: MarkedStory, options: FormatOptions): string {
  const max = options.maxLength ?? MESSAGE_LIMIT;
  const parts: Parts = {
    keyword: story.matchedKeyword
      ? options.translate(options.language, "story-keyword", {
          keyword: escapeWithin(story.matchedKeyword, MAX_KEYWORD_SHOWN, MAX_KEYWORD_SHOWN * 6),
        })
      : "",
    title: titleLine(story, Math.min(max, MAX_TITLE_LENGTH * 6 + 2 * MAX_LINK_LENGTH)),
    meta: metaLine(story, options),
    summary: "",
    tags: topicHashtags(story.topics),
    also: alsoReportedLine(story, options, Math.floor(max / 3)),
  };
  // The least useful parts go first when the limit is tight (a caption with long links).
  for (const drop of ["also", "tags", "meta"] as const) {
    if (join(parts).length <= max - 10) break;
    parts[drop] = "";
  }
  if (join(parts).length > max) parts.title = titleLine({ ...story, link: "" }, max);

  const used = join(parts).length;
  const summaryRoom = max - used - 2; // the blank line before it
  if (summaryRoom > 20) {
    const summaryLength = options.summaryLength ?? DEFAULT_SUMMARY_LENGTH;
    parts.summary = escapeWithin(story.summary, summaryLength, summaryRoom);
  }
  const text = join(parts);
  // The budget above already keeps this true; the check is a last line of defence for Telegram's
  // hard limit, since a message over it is rejected and would be dropped.
  return text.length <= max ? text : escapeWithin(story.title, max, max);
}

/** A photo caption: the same message, within Telegram's 1024-character caption limit. */
export function formatStoryCaption(story: Story, options: Omit<FormatOptions, "maxLength">): string {
  return formatStory(story, { ...options, maxLength: CAPTION_LIMIT });
}

export type Digest = {
  /** One HTML message, at most MESSAGE_LIMIT characters. */
  text: string;
  /** Ids of the stories in it, in order; the rest did not fit and need another message. */
  storyIds: string[];
};

/**
 * Several waiting stories for one chat as a single message, newest last, each a short block
 * (linked title, outlet and time, a brief summary, hashtags). Stories that would push it over
 * the limit are left out and named by their absence in `storyIds`; the first always fits.
 */
export function formatDigest(stories: readonly Story[], options: FormatOptions): Digest {
  const max = options.maxLength ?? MESSAGE_LIMIT;
  const blocks: string[] = [];
  const storyIds: string[] = [];
  const separator = "\n\n";
  let length = 0;
  for (const story of stories) {
    const block = formatStory(
      { ...story, alsoReportedBy: [] },
      { ...options, maxLength: Math.min(max, 1200), summaryLength: 160 },
    );
    const added = (blocks.length > 0 ? separator.length : 0) + block.length;
    if (length + added > max) {
      if (blocks.length === 0) {
        blocks.push(formatStory(story, { ...options, maxLength: max }));
        storyIds.push(story.id);
      }
      break;
    }
    blocks.push(block);
    storyIds.push(story.id);
    length += added;
  }
  return { text: blocks.join(separator), storyIds };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
