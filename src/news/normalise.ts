import { createHash } from "node:crypto";
import { decode } from "html-entities";
import { type FeedDateOptions, parseFeedDate } from "./feedDate.js";
import type { RawItem, RawMedia } from "./parseFeed.js";
import type { FeedConfig, NormalisedItem } from "./types.js";

export { parseFeedDate } from "./feedDate.js";

/** Summaries are cut to about this many characters, at a word boundary. */
export const SUMMARY_MAX_CHARS = 600;
const TITLE_MAX_CHARS = 300;
const MAX_CATEGORIES = 20;
/** A feed date further ahead than this is not believed (clock skew of a few minutes is). */
export const FUTURE_TOLERANCE_MS = 10 * 60_000;
/** Full-text HTML beyond this is never needed for a 600-character summary. */
const CONTENT_SCAN_CHARS = 8000;

/** Full text kept on an item for the topic tagger: plenty for keywords, bounded for Redis. */
export const CONTENT_MAX_CHARS = 4000;

/** The feed fields an item inherits. */
export type ItemSource = Pick<FeedConfig, "id" | "outlet" | "language" | "url"> & {
  /** Minutes east of UTC for feed times that name no zone (the outlet's zone); default UTC+5. */
  defaultOffsetMinutes?: number;
};

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

  const dateOptions: FeedDateOptions = {};
  if (feed.defaultOffsetMinutes !== undefined) dateOptions.defaultOffsetMinutes = feed.defaultOffsetMinutes;
  const date = raw.published ? parseFeedDate(raw.published, dateOptions) : undefined;
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
  const content = contentText(raw.content);
  if (content) item.content = content;
  const legacy = legacyItemId(raw.guid, link, feed.id, title, summary);
  if (legacy !== item.id) item.legacyId = legacy;
  return item;
}

// ---------------------------------------------------------------------------------------------
// Ids and links

const BARE_NUMBER = /^\d+$/;
const HTTP_URL = /^https?:\/\//i;

/**
 * The stable id of an item. The feed's own identity comes first: an opaque guid or Atom id (a
 * URN, a tag:) is kept, scoped to the feed; a permalink guid gives `url:` + its canonical form,
 * fragment included (Scripting News numbers its items by fragment: `29.html#When:3:59:01PM`).
 * Without a usable guid, `url:` + the canonical link, so the same article seen in two feeds has
 * the same id. A bare-number guid is trusted only when there is no link, because some CMSes
 * number items by their position in the feed; otherwise a hash of title and summary. Two items of
 * one document may still share an id (a CMS that repeats one guid): readFeedBody keeps both.
 */
export function itemId(
  guid: string | undefined,
  canonicalLink: string | undefined,
  feedId: string,
  title: string,
  summary: string,
): string {
  if (guid && !BARE_NUMBER.test(guid) && !HTTP_URL.test(guid)) return `guid:${feedId}:${guid}`;
  if (guid && HTTP_URL.test(guid)) {
    const fromGuid = normaliseLink(guid);
    if (fromGuid) return `url:${fromGuid}`;
  }
  if (canonicalLink) return `url:${canonicalLink}`;
  if (guid) return `guid:${feedId}:${guid}`;
  return hashId(feedId, title, summary);
}

/** A content-derived id: the last resort, and the tie-breaker between colliding items. */
export function hashId(feedId: string, title: string, summary: string): string {
  const hash = createHash("sha1").update(title).update("\n").update(summary).digest("hex").slice(0, 20);
  return `hash:${feedId}:${hash}`;
}

/**
 * The id the reader gave an item before ids kept guids and fragments (the link won over a
 * permalink guid, and fragments were cut). Stories delivered under it must not be delivered
 * again after the upgrade, so the poll cycle checks it in the seen set too.
 */
export function legacyItemId(
  guid: string | undefined,
  link: string | undefined,
  feedId: string,
  title: string,
  summary: string,
): string {
  const canonical = link ? withoutFragment(normaliseLink(link)) : undefined;
  if (guid && !BARE_NUMBER.test(guid) && !HTTP_URL.test(guid)) return `guid:${feedId}:${guid}`;
  if (canonical) return `url:${canonical}`;
  if (guid && HTTP_URL.test(guid)) {
    const fromGuid = withoutFragment(normaliseLink(guid));
    if (fromGuid) return `url:${fromGuid}`;
  }
  if (guid) return `guid:${feedId}:${guid}`;
  return hashId(feedId, title, summary);
}

function withoutFragment(link: string | undefined): string | undefined {
  if (link === undefined) return undefined;
  const hash = link.indexOf("#");
  return hash < 0 ? link : link.slice(0, hash);
}

const TRACKING_PARAM =
  /^(?:utm_[a-z0-9_]*|fbclid|gclid|gbraid|wbraid|dclid|yclid|ysclid|msclkid|mc_cid|mc_eid|igshid|_openstat|_ga|_gl|ref_src)$/i;

/**
 * The link to show: resolved against `base` when relative, with tracking parameters (utm_*,
 * fbclid, gclid, yclid, ...) and noise fragments (`#comments`, `#more-12`, `#xtor=RSS`) removed,
 * scheme and host as published (so it still opens). A fragment that names a part of the page is
 * kept: it may be what tells two items apart. Undefined when it is not an http(s) URL.
 */
export function cleanLink(link: string, base?: string): string | undefined {
  const url = parseHttpUrl(link, base);
  if (!url) return undefined;
  stripTracking(url);
  stripNoiseFragment(url);
  return url.toString();
}

// Fragments that point at page furniture or carry tracking, never at a different story.
const NOISE_FRAGMENT =
  /^#(?:|!|top|comments?|respond|disqus_thread|more(?:-\d+)?|main|content|rss|ixzz\w*|xtor=.*|utm_.*|at_.*|ref=.*|from=.*|\.\w+)$/i;

function stripNoiseFragment(url: URL): void {
  if (url.hash === "" || NOISE_FRAGMENT.test(url.hash)) url.hash = "";
}

/**
 * The canonical form of a link, for ids and duplicate detection only: https, no `www.`,
 * no tracking parameters, remaining parameters sorted, no trailing slash, and no fragment unless
 * it names a part of the page (see cleanLink). Undefined when it is not an http(s) URL.
 */
export function normaliseLink(link: string, base?: string): string | undefined {
  const url = parseHttpUrl(link, base);
  if (!url) return undefined;
  stripTracking(url);
  stripNoiseFragment(url);
  url.searchParams.sort();
  const host = url.hostname.startsWith("www.") ? url.hostname.slice(4) : url.hostname;
  const port = url.port && url.port !== "80" && url.port !== "443" ? `:${url.port}` : "";
  let path = url.pathname;
  while (path.endsWith("/")) path = path.slice(0, -1);
  return `https://${host}${port}${path}${url.search}${url.hash}`;
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

/** The full text (content:encoded, Atom content) as plain text, for the topic tagger. */
function contentText(html: string | undefined): string {
  if (!html) return "";
  const cut =
    html.length > CONTENT_MAX_CHARS * 4 ? html.slice(0, CONTENT_MAX_CHARS * 4).replace(CUT_TAG, "") : html;
  return truncate(htmlToText(cut), CONTENT_MAX_CHARS);
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
