import Parser from "rss-parser";
import { errorText } from "../errorText.js";
import type { FeedFormat } from "./feedCheck.js";

/** A media reference found on an item: an enclosure, media:content or media:thumbnail. */
export type RawMedia = { url: string; type?: string; medium?: string };

/**
 * One feed item as the feed gave it, before any cleaning: strings may hold HTML and entities,
 * the date is the feed's own text. The same shape for RSS 2.0, RSS 1.0/RDF and Atom.
 */
export type RawItem = {
  title?: string;
  link?: string;
  /** RSS `<guid>`, Atom `<id>`, or RDF `rdf:about`. */
  guid?: string;
  /** The teaser: RSS `<description>`, Atom `<summary>`. HTML. */
  description?: string;
  /** The full text when the feed carries one: `content:encoded`, Atom `<content>`. HTML. */
  content?: string;
  /** The feed's date text: `pubDate`, `dc:date`, Atom `published` (else `updated`). */
  published?: string;
  author?: string;
  categories: string[];
  enclosures: RawMedia[];
  /** media:content (also inside media:group), then media:thumbnail. */
  media: RawMedia[];
};

export type ParsedFeed = { ok: true; title?: string; items: RawItem[] } | { ok: false; reason: string };

type LooseItem = Record<string, unknown>;
type AtomItemBuilder = { parseItemAtom(entry: Record<string, unknown>): LooseItem };

const CUSTOM_ITEM_FIELDS: Array<[string, string, { keepArray: true }] | [string, string]> = [
  ["category", "rawCategories", { keepArray: true }],
  ["enclosure", "rawEnclosures", { keepArray: true }],
  ["media:content", "mediaContent", { keepArray: true }],
  ["media:group", "mediaGroup", { keepArray: true }],
  ["media:thumbnail", "mediaThumbnail", { keepArray: true }],
  ["published", "atomPublished"],
  ["updated", "atomUpdated"],
];

function createParser(): Parser<LooseItem, LooseItem> {
  const parser = new Parser<LooseItem, LooseItem>({
    // `<rss>` without a version attribute is read as RSS 2.0 rather than rejected.
    defaultRSS: 2,
    customFields: { item: CUSTOM_ITEM_FIELDS as never },
  });
  // rss-parser turns an Atom entry's date into ISO with `new Date(x).toISOString()`, which throws
  // on a date it cannot read and fails the whole feed; such an entry is rebuilt without the date
  // fields, and the raw text is kept for our own date parser to judge.
  const builder = parser as unknown as AtomItemBuilder;
  const buildAtomItem = builder.parseItemAtom.bind(parser);
  builder.parseItemAtom = (entry) => {
    try {
      return buildAtomItem(entry);
    } catch {
      const { published, updated, ...rest } = entry;
      const item = buildAtomItem(rest);
      item.atomPublished = text(published);
      item.atomUpdated = text(updated);
      return item;
    }
  };
  return parser;
}

// One parser for the process: xml2js parses synchronously inside parseString, so concurrent
// calls never interleave on it.
const parser = createParser();

/**
 * Parses sanitised feed XML (see sanitiseXml) of the format checkFeed found into raw items.
 * Never throws: an XML error becomes `{ok: false, reason}` naming where the document broke,
 * e.g. a feed cut off mid-item.
 */
export async function parseFeed(xml: string, format: FeedFormat): Promise<ParsedFeed> {
  try {
    const feed = await parser.parseString(xml);
    return {
      ok: true,
      title: text(feed.title),
      items: (feed.items ?? []).map((item) => toRawItem(item as LooseItem, format === "atom")),
    };
  } catch (err) {
    return { ok: false, reason: describeParseError(err) };
  }
}

const SAX_POSITION = /^([^\n]*)\nLine: (\d+)\nColumn: (\d+)/;

function describeParseError(err: unknown): string {
  const message = errorText(err);
  const sax = SAX_POSITION.exec(message);
  if (sax) {
    const [, what = "", line = "0", column = "0"] = sax;
    // sax counts lines from 0.
    const where = `line ${Number(line) + 1}, column ${column}`;
    const truncated = /unclosed|unexpected end/i.test(what) ? "; it looks cut off" : "";
    return `the feed is not well-formed XML (${what.toLowerCase()} at ${where}${truncated})`;
  }
  if (/not recognized as RSS/i.test(message)) {
    return "the document is XML but not RSS or Atom";
  }
  return `the feed could not be parsed (${message.split("\n")[0]})`;
}

function toRawItem(item: LooseItem, isAtom: boolean): RawItem {
  const contentEncoded = text(item["content:encoded"]);
  return {
    title: text(item.title),
    link: text(item.link),
    guid: text(item.guid) ?? text(item.id) ?? text(item["rdf:about"]),
    // rss-parser puts an RSS description in `content` and an Atom summary in `summary`.
    description: isAtom ? text(item.summary) : text(item.content),
    content: isAtom ? text(item.content) : contentEncoded,
    published: text(item.pubDate) ?? text(item.date) ?? text(item.atomPublished) ?? text(item.atomUpdated),
    author: text(item.creator) ?? text(item.author),
    categories: categoriesOf(item.rawCategories),
    enclosures: mediaOf(item.rawEnclosures),
    media: [
      ...mediaOf(item.mediaContent),
      ...mediaInGroups(item.mediaGroup),
      ...mediaOf(item.mediaThumbnail),
    ],
  };
}

/** The text of an xml2js value: a string, `{_: text}` when the element had attributes, or an array. */
function text(value: unknown): string | undefined {
  if (typeof value === "string") {
    const trimmed = value.trim();
    return trimmed === "" ? undefined : trimmed;
  }
  if (Array.isArray(value)) return text(value[0]);
  if (value && typeof value === "object" && "_" in value) return text((value as { _: unknown })._);
  return undefined;
}

function attributes(value: unknown): Record<string, unknown> | undefined {
  if (value && typeof value === "object" && "$" in value) {
    const attrs = (value as { $: unknown }).$;
    if (attrs && typeof attrs === "object") return attrs as Record<string, unknown>;
  }
  return undefined;
}

function categoriesOf(values: unknown): string[] {
  if (!Array.isArray(values)) return [];
  const out: string[] = [];
  for (const value of values) {
    // RSS: text content (with an optional domain attribute); Atom: `term`, or its human `label`.
    const attrs = attributes(value);
    const name =
      text(value) ??
      (typeof attrs?.label === "string" ? attrs.label.trim() || undefined : undefined) ??
      (typeof attrs?.term === "string" ? attrs.term.trim() || undefined : undefined);
    if (name) out.push(name);
  }
  return out;
}

function mediaOf(values: unknown): RawMedia[] {
  if (!Array.isArray(values)) return [];
  const out: RawMedia[] = [];
  for (const value of values) {
    const attrs = attributes(value);
    const url = typeof attrs?.url === "string" ? attrs.url.trim() : "";
    if (!url) continue;
    const media: RawMedia = { url };
    if (typeof attrs?.type === "string" && attrs.type.trim()) media.type = attrs.type.trim().toLowerCase();
    if (typeof attrs?.medium === "string" && attrs.medium.trim())
      media.medium = attrs.medium.trim().toLowerCase();
    out.push(media);
  }
  return out;
}

function mediaInGroups(groups: unknown): RawMedia[] {
  if (!Array.isArray(groups)) return [];
  return groups.flatMap((group) =>
    group && typeof group === "object"
      ? [
          ...mediaOf((group as Record<string, unknown>)["media:content"]),
          ...mediaOf((group as Record<string, unknown>)["media:thumbnail"]),
        ]
      : [],
  );
}
