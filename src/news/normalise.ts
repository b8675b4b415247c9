import { createHash } from "node:crypto";
import { decode } from "html-entities";
import type { RawItem, RawMedia } from "./parseFeed.js";
import type { FeedConfig, NormalisedItem } from "./types.js";

/** Summaries are cut to about this many characters, at a word boundary. */
export const SUMMARY_MAX_CHARS = 600;
const TITLE_MAX_CHARS = 300;
const MAX_CATEGORIES = 20;
/** A feed date further ahead than this is not believed (clock skew of a few minutes is). */
export const FUTURE_TOLERANCE_MS = 10 * 60_000;
/** Kazakhstan and Uzbekistan are both UTC+5: the zone assumed for a feed date that names none. */
const REGION_OFFSET_MINUTES = 5 * 60;
/** Full-text HTML beyond this is never needed for a 600-character summary. */
const CONTENT_SCAN_CHARS = 8000;

/** The feed fields an item inherits. */
export type ItemSource = Pick<FeedConfig, "id" | "outlet" | "language" | "url">;

/**
 * Turns one raw feed item into a NormalisedItem: plain-text title and summary, a cleaned link,
 * a stable id, a trusted publication time (or `now`, flagged as estimated), categories and an
 * image. Returns undefined for an item with neither title, summary nor link. Pure: the only
 * clock is `now`.
 */
export function normaliseItem(raw: RawItem, feed: ItemSource, now: Date): NormalisedItem | undefined {
  const link = pickLink(raw, feed.url);
  const canonical = link ? normaliseLink(link) : undefined;

  let summary = summaryText(raw);
  let title = htmlToText(raw.title);
  if (!title && summary) title = truncate(summary, 120);
  if (summary === title) summary = "";
  if (!title && !link) return undefined;
  title = truncate(title || link || "", TITLE_MAX_CHARS);

  const date = raw.published ? parseFeedDate(raw.published) : undefined;
  const trusted = date !== undefined && date.getTime() <= now.getTime() + FUTURE_TOLERANCE_MS;

  const item: NormalisedItem = {
    id: itemId(raw.guid, canonical, feed.id, title, summary),
    feedId: feed.id,
    outlet: feed.outlet,
    language: feed.language,
    title,
    summary,
    link: link ?? "",
    published: (trusted ? date : now).toISOString(),
    publishedEstimated: !trusted,
    categories: cleanCategories(raw.categories),
  };
  const image = pickImage(raw, link ?? feed.url);
  if (image) item.imageUrl = image;
  return item;
}

// ---------------------------------------------------------------------------------------------
// Ids and links

const BARE_NUMBER = /^\d+$/;
const HTTP_URL = /^https?:\/\//i;

/**
 * The stable id of an item. An opaque guid (a URN, a tag:) is kept, scoped to the feed; a
 * permalink guid or a link gives `url:` + the canonical link, so the same article seen in two
 * feeds has the same id; a bare-number guid is trusted only when there is no link, because some
 * CMSes number items by their position in the feed; otherwise a hash of title and summary.
 */
export function itemId(
  guid: string | undefined,
  canonicalLink: string | undefined,
  feedId: string,
  title: string,
  summary: string,
): string {
  if (guid && !BARE_NUMBER.test(guid) && !HTTP_URL.test(guid)) return `guid:${feedId}:${guid}`;
  if (canonicalLink) return `url:${canonicalLink}`;
  if (guid && HTTP_URL.test(guid)) {
    const fromGuid = normaliseLink(guid);
    if (fromGuid) return `url:${fromGuid}`;
  }
  if (guid) return `guid:${feedId}:${guid}`;
  const hash = createHash("sha1").update(title).update("\n").update(summary).digest("hex").slice(0, 20);
  return `hash:${feedId}:${hash}`;
}

const TRACKING_PARAM =
  /^(?:utm_[a-z0-9_]*|fbclid|gclid|gbraid|wbraid|dclid|yclid|ysclid|msclkid|mc_cid|mc_eid|igshid|_openstat|_ga|_gl|ref_src)$/i;

/**
 * The link to show: resolved against `base` when relative, with tracking parameters (utm_*,
 * fbclid, gclid, yclid, ...) and the fragment removed, scheme and host as published (so it still
 * opens). Undefined when it is not an http(s) URL.
 */
export function cleanLink(link: string, base?: string): string | undefined {
  const url = parseHttpUrl(link, base);
  if (!url) return undefined;
  stripTracking(url);
  url.hash = "";
  return url.toString();
}

/**
 * The canonical form of a link, for ids and duplicate detection only: https, no `www.`,
 * no tracking parameters, remaining parameters sorted, no fragment, no trailing slash.
 * Undefined when it is not an http(s) URL.
 */
export function normaliseLink(link: string, base?: string): string | undefined {
  const url = parseHttpUrl(link, base);
  if (!url) return undefined;
  stripTracking(url);
  url.searchParams.sort();
  const host = url.hostname.startsWith("www.") ? url.hostname.slice(4) : url.hostname;
  const port = url.port && url.port !== "80" && url.port !== "443" ? `:${url.port}` : "";
  let path = url.pathname;
  while (path.endsWith("/")) path = path.slice(0, -1);
  return `https://${host}${port}${path}${url.search}`;
}

function parseHttpUrl(link: string, base?: string): URL | undefined {
  const trimmed = link.trim();
  if (!trimmed) return undefined;
  try {
    const url = base ? new URL(trimmed, base) : new URL(trimmed);
    return url.protocol === "http:" || url.protocol === "https:" ? url : undefined;
  } catch {
    return undefined;
  }
}

function stripTracking(url: URL): void {
  if (!url.search) return;
  const drop: string[] = [];
  for (const key of url.searchParams.keys()) if (TRACKING_PARAM.test(key)) drop.push(key);
  for (const key of drop) url.searchParams.delete(key);
}

/**
 * Undoes entity-encoding that survived XML parsing in a URL. Attribute rules, so a parameter such
 * as `&copy=2` is not read as the entity `&copy`.
 */
function decodeUrl(url: string): string {
  return url.includes("&") ? decode(url, { level: "html5", scope: "attribute" }) : url;
}

function pickLink(raw: RawItem, feedUrl: string): string | undefined {
  if (raw.link) {
    const link = cleanLink(decodeUrl(raw.link), feedUrl);
    if (link) return link;
  }
  // Some feeds give the article URL only as a permalink guid.
  if (raw.guid && HTTP_URL.test(raw.guid)) return cleanLink(raw.guid);
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Text

// Elements whose content is never text, then comments, then any tag.
const MARKUP =
  /<(script|style|noscript|iframe|svg|template|object)\b[^>]*>[\s\S]*?<\/\1\s*>|<!--[\s\S]*?-->|<\/?[A-Za-z][^>]*>/g;
const HAS_MARKUP = /<[A-Za-z!/]/;
const HAS_ENTITY = /&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/i;
const CUT_TAG = /<[^>]*$/;
const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;
const WHITESPACE = /\s+/g;
// WordPress appends this to every excerpt.
const WORDPRESS_TAIL = /\s*The post .{1,300}? appeared first on .{1,200}?\.?$/;
const WORDPRESS_MORE = /\s*\[(?:…|\.\.\.)\]$/;
const SENTENCE_END = /[.!?…]$/;

/**
 * HTML (or text with entities) to one line of plain text: script and style content dropped,
 * tags removed, entities decoded, including the double-encoded `&amp;quot;` some teasers carry,
 * whitespace folded. Pure.
 */
export function htmlToText(html: string | undefined): string {
  if (!html) return "";
  let text = html;
  if (HAS_MARKUP.test(text)) text = text.replace(MARKUP, " ");
  if (text.includes("&")) {
    text = decode(text, { level: "html5" });
    // Entities encoded twice (`&amp;quot;`) survive one decoding as `&quot;`.
    if (HAS_ENTITY.test(text)) text = decode(text, { level: "html5" });
    // Markup that was itself entity-encoded (`&lt;p&gt;`) appears only now.
    if (HAS_MARKUP.test(text)) text = text.replace(MARKUP, " ");
  }
  return text.replace(INVISIBLE, "").replace(WHITESPACE, " ").trim();
}

function summaryText(raw: RawItem): string {
  let text = htmlToText(raw.description);
  if (!text && raw.content) {
    const html =
      raw.content.length > CONTENT_SCAN_CHARS ? raw.content.slice(0, CONTENT_SCAN_CHARS) : raw.content;
    text = htmlToText(html.replace(CUT_TAG, ""));
  }
  if (text.endsWith(".") || text.endsWith("]")) {
    text = text.replace(WORDPRESS_TAIL, "");
    if (WORDPRESS_MORE.test(text)) {
      text = text.replace(WORDPRESS_MORE, "");
      if (!SENTENCE_END.test(text)) text += "…";
    }
  }
  return truncate(text, SUMMARY_MAX_CHARS);
}

const TRAILING_PUNCTUATION = /[\s,;:–—-]+$/;

/** Cuts text to at most `max` characters (plus an ellipsis) at a word boundary when there is one. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max);
  const space = cut.lastIndexOf(" ");
  if (space > max * 0.6) cut = cut.slice(0, space);
  // Never leave half of a surrogate pair (an emoji) at the end.
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut.replace(TRAILING_PUNCTUATION, "")}…`;
}

function cleanCategories(categories: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const category of categories) {
    const name = htmlToText(category);
    const key = name.toLowerCase();
    if (!name || seen.has(key)) continue;
    seen.add(key);
    out.push(name);
    if (out.length >= MAX_CATEGORIES) break;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Dates

const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;
// RFC 822 and its relatives: optional weekday, day, month name (any of our languages), year,
// optional time, then whatever zone is left.
const NAMED_MONTH_DATE =
  /^(?:[^\d\s,]+\.?,?\s+)?(\d{1,2})[\s-]+([^\s\d.,-]+)\.?[\s-]+(\d{2,4})(?:[\s,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*(.*)$/;
// 01.04.2026 10:00, common on Russian-language sites.
const DOTTED_DATE = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[\s,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*(.*)$/;
const NUMERIC_ZONE = /^(?:GMT|UTC|UT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/i;
const ZONE_WORD = /^[A-Za-z]{2,5}$/;
const ZONE_NAMES: Record<string, number> = {
  Z: 0,
  GMT: 0,
  UT: 0,
  UTC: 0,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
  MSK: 180,
  UZT: 300,
  ALMT: 300,
  QYZT: 300,
  AQTT: 300,
  ORAT: 300,
};

const MONTHS = buildMonthTable();

function buildMonthTable(): Map<string, number> {
  const names: string[][] = [
    ["jan", "january", "янв", "январь", "января", "yanvar", "қаң", "қаңтар"],
    ["feb", "february", "фев", "февраль", "февраля", "fevral", "ақп", "ақпан"],
    ["mar", "march", "мар", "март", "марта", "mart", "нау", "наурыз"],
    ["apr", "april", "апр", "апрель", "апреля", "aprel", "сәу", "сәуір"],
    ["may", "май", "мая", "mamyr", "мам", "мамыр"],
    ["jun", "june", "июн", "июнь", "июня", "iyun", "мау", "маусым"],
    ["jul", "july", "июл", "июль", "июля", "iyul", "шіл", "шілде"],
    ["aug", "august", "авг", "август", "августа", "avgust", "avg", "там", "тамыз"],
    ["sep", "sept", "september", "сен", "сент", "сентябрь", "сентября", "sentabr", "қыр", "қыркүйек"],
    ["oct", "october", "окт", "октябрь", "октября", "oktabr", "қаз", "қазан"],
    ["nov", "november", "ноя", "нояб", "ноябрь", "ноября", "noyabr", "қар", "қараша"],
    ["dec", "december", "дек", "декабрь", "декабря", "dekabr", "жел", "желтоқсан"],
  ];
  const table = new Map<string, number>();
  names.forEach((forms, index) => {
    for (const form of forms) table.set(form, index + 1);
  });
  return table;
}

/**
 * Reads a feed's date text: ISO 8601 / RFC 3339, RFC 822 (`+0500`, `GMT`, zone names such as
 * MSK), month names in Russian, Uzbek or Kazakh, and `DD.MM.YYYY HH:MM`. A time without a zone is
 * taken as UTC+5, the zone of both countries. Undefined when unreadable or before 2000 (a CMS's
 * zero date). Pure: it never depends on the machine's time zone.
 */
export function parseFeedDate(text: string): Date | undefined {
  const fields = dateFields(text.trim());
  if (!fields) return undefined;
  const { year, month, day, hour, minute, second } = fields;
  const offset = zoneOffsetMinutes(fields.zone);
  if (
    month === undefined ||
    offset === undefined ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > 31 ||
    hour > 23 ||
    minute > 59 ||
    second > 60 ||
    year < 2000
  ) {
    return undefined;
  }
  const local = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59));
  // 31 April rolls over to 1 May in Date.UTC; such a date is not real.
  if (new Date(local).getUTCDate() !== day) return undefined;
  return new Date(local - offset * 60_000);
}

type DateFields = {
  year: number;
  month: number | undefined;
  day: number;
  hour: number;
  minute: number;
  second: number;
  zone: string | undefined;
};

function dateFields(value: string): DateFields | undefined {
  const iso = ISO_DATE.exec(value);
  if (iso) {
    return {
      year: Number(iso[1]),
      month: Number(iso[2]),
      day: Number(iso[3]),
      hour: Number(iso[4] ?? 0),
      minute: Number(iso[5] ?? 0),
      second: Number(iso[6] ?? 0),
      zone: iso[7],
    };
  }
  const named = NAMED_MONTH_DATE.exec(value);
  if (named) {
    const name = (named[2] ?? "").toLowerCase();
    const year = Number(named[3]);
    return {
      year: year < 100 ? year + (year < 70 ? 2000 : 1900) : year,
      month: MONTHS.get(name) ?? MONTHS.get(name.slice(0, 3)),
      day: Number(named[1]),
      hour: Number(named[4] ?? 0),
      minute: Number(named[5] ?? 0),
      second: Number(named[6] ?? 0),
      zone: named[7],
    };
  }
  const dotted = DOTTED_DATE.exec(value);
  if (dotted) {
    return {
      year: Number(dotted[3]),
      month: Number(dotted[2]),
      day: Number(dotted[1]),
      hour: Number(dotted[4] ?? 0),
      minute: Number(dotted[5] ?? 0),
      second: Number(dotted[6] ?? 0),
      zone: dotted[7],
    };
  }
  return undefined;
}

function zoneOffsetMinutes(zone: string | undefined): number | undefined {
  const value = zone?.trim() ?? "";
  if (value === "") return REGION_OFFSET_MINUTES;
  const named = ZONE_NAMES[value.toUpperCase()];
  if (named !== undefined) return named;
  const numeric = NUMERIC_ZONE.exec(value);
  if (numeric) {
    const hours = Number(numeric[2]);
    const minutes = Number(numeric[3] ?? 0);
    if (hours > 14 || minutes > 59) return undefined;
    return (numeric[1] === "-" ? -1 : 1) * (hours * 60 + minutes);
  }
  // An unfamiliar zone word: the feeds here are overwhelmingly in UTC+5.
  return ZONE_WORD.test(value) ? REGION_OFFSET_MINUTES : undefined;
}

// ---------------------------------------------------------------------------------------------
// Images

const IMAGE_EXTENSION = /\.(?:jpe?g|png|gif|webp|avif)$/i;
const NOT_IMAGE_EXTENSION = /\.(?:mp4|m4v|mov|webm|mp3|m4a|ogg|oga|wav|pdf)$/i;
const FIRST_IMG = /<img\b[^>]*?\ssrc\s*=\s*["']?([^"'\s>]+)/i;

function pickImage(raw: RawItem, base: string): string | undefined {
  for (const enclosure of raw.enclosures) {
    // Gazeta.uz sends image enclosures without a type; the file name has to tell.
    if (enclosure.type ? enclosure.type.startsWith("image/") : IMAGE_EXTENSION.test(pathOf(enclosure.url))) {
      const url = cleanLink(decodeUrl(enclosure.url), base);
      if (url) return url;
    }
  }
  for (const media of raw.media) {
    if (isImageMedia(media)) {
      const url = cleanLink(decodeUrl(media.url), base);
      if (url) return url;
    }
  }
  for (const html of [raw.content, raw.description]) {
    const src = html ? FIRST_IMG.exec(html)?.[1] : undefined;
    if (src) {
      const url = cleanLink(decodeUrl(src), base);
      if (url) return url;
    }
  }
  return undefined;
}

function isImageMedia(media: RawMedia): boolean {
  if (media.type) return media.type.startsWith("image/");
  if (media.medium) return media.medium === "image";
  // media:content with neither type nor medium is almost always a picture in news feeds.
  return !NOT_IMAGE_EXTENSION.test(pathOf(media.url));
}

const QUERY_OR_FRAGMENT = /[?#]/;

function pathOf(url: string): string {
  const end = url.search(QUERY_OR_FRAGMENT);
  return end < 0 ? url : url.slice(0, end);
}
