import Parser from "rss-parser";
import { demoronize } from "./decode.js";
import type { RawItem, RawMedia } from "./parseFeed.js";

/** A RawItem field rss-parser gave worse than the tolerant reader does (see parseFeed). */
export type TreeField = "title" | "description" | "content" | "link";

export type RssParserItem = {
  item: RawItem;
  /**
   * Fields to take from the tolerant reader's reading of the same item, when it has one; `item`
   * holds rss-parser's best reading of them meanwhile.
   */
  fromTree: TreeField[];
};

export type RssParserRead =
  | {
      ok: true;
      title?: string;
      /** The feed's title is one to take from the tolerant reader (see RssParserItem.fromTree). */
      titleFromTree: boolean;
      items: RssParserItem[];
    }
  | { ok: false; reason: string; fault: boolean };

type LooseItem = Record<string, unknown>;
type Keep = { keepArray: true };
const keep: Keep = { keepArray: true };

// rss-parser's own fields give title, link, guid, description, content:encoded, Atom summary and
// content and the author. These add what it drops or converts: the raw nodes of text constructs
// (for their `type` and any markup in them), every link, category, enclosure and media element,
// and the date texts as written (its `isoDate`, and its Atom `pubDate`, are `new Date(text)`,
// which the process time zone decides).
const CUSTOM_ITEM_FIELDS: Array<[string, string, Keep] | [string, string]> = [
  ["title", "rawTitle", keep],
  ["description", "rawDescription", keep],
  ["summary", "rawSummary", keep],
  ["content", "rawContent", keep],
  ["content:encoded", "rawContentEncoded", keep],
  ["dc:description", "dcDescription"],
  ["atom:content", "atomContent", keep],
  ["link", "rawLinks", keep],
  ["atom:link", "atomLinks", keep],
  ["dc:identifier", "dcIdentifier"],
  ["author", "rawAuthor"],
  ["dc:creator", "dcCreator"],
  ["dc:date", "dcDate"],
  ["category", "rawCategories", keep],
  ["dc:subject", "dcSubjects", keep],
  ["enclosure", "rawEnclosures", keep],
  ["media:content", "mediaContent", keep],
  ["media:group", "mediaGroup", keep],
  ["media:thumbnail", "mediaThumbnail", keep],
  ["dcterms:issued", "dctermsIssued"],
  ["dcterms:created", "dctermsCreated"],
  ["dcterms:modified", "dctermsModified"],
  ["atom:published", "atomPublished"],
  ["atom:updated", "atomUpdated"],
  ["published", "published"],
  ["issued", "issued"],
  ["created", "created"],
  ["updated", "updated"],
  ["modified", "modified"],
];

// A parser per document: after a document that ends inside an attribute value (sax's "Unexpected
// end"), a shared xml2js parser never calls back on a later document without a root element, and
// the poll hangs (found by the conformance test's mangled copies; 5dcbfdb's reader shared one).
// Strict XML (sax); `<rss>` without a version is read as RSS 2.0.
function createParser(): Parser<LooseItem, LooseItem> {
  return new Parser<LooseItem, LooseItem>({
    defaultRSS: 2,
    customFields: { item: CUSTOM_ITEM_FIELDS as never, feed: [["title", "rawTitle", keep]] as never },
  });
}

/**
 * Reads sanitised feed XML with rss-parser into raw items. A document it rejects (not
 * well-formed to sax, a root it does not know) or faults on (a TypeError on an Atom `<link/>`
 * without attributes or an `<rss>` without `<channel>`, a RangeError on an Atom date it cannot
 * convert) is `{ok: false}`, `fault` telling the two apart; parseFeed then asks the tolerant
 * reader. Never throws.
 */
export async function readWithRssParser(xml: string, isAtom: boolean): Promise<RssParserRead> {
  try {
    // XML 1.0 §2.11: line ends are read as "\n"; sax leaves "\r\n" in CDATA sections.
    const feed = await createParser().parseString(xml.replace(/\r\n?/g, "\n"));
    const title = textConstruct(feed.title, (feed as LooseItem).rawTitle, isAtom);
    return {
      ok: true,
      title: title === TREE ? text(feed.title) : title,
      titleFromTree: title === TREE,
      items: (feed.items ?? []).map((item) => toRawItem(item as LooseItem, isAtom)),
    };
  } catch (err) {
    const fault = err instanceof TypeError || err instanceof RangeError;
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, fault, reason: (message.split("\n")[0] ?? "").trim() };
  }
}

function toRawItem(item: LooseItem, isAtom: boolean): RssParserItem {
  const fromTree: TreeField[] = [];
  const construct = (field: "title" | "description" | "content", value: unknown, raw: unknown) => {
    const read = textConstruct(value, raw, isAtom);
    if (read === TREE) {
      fromTree.push(field);
      // Kept in case the tree cannot be paired with this reading: the elements' text at least.
      return text(first(raw)) ?? text(value);
    }
    return read;
  };
  const link = isAtom ? atomLink(item.rawLinks) : rssLink(item);
  if (link && !ABSOLUTE_URL.test(link)) fromTree.push("link");
  const content = isAtom ? first(item.rawContent) : undefined;
  const raw: RawItem = {
    title: construct("title", item.title, item.rawTitle),
    link,
    guid: isAtom ? text(item.id) : (text(item.guid) ?? text(item["rdf:about"]) ?? text(item.dcIdentifier)),
    description: isAtom
      ? construct("description", item.summary, item.rawSummary)
      : (construct("description", item.content, item.rawDescription) ?? text(item.dcDescription)),
    content: isAtom
      ? // `<content src="...">` points elsewhere; its (empty) body is not the text.
        attributes(content)?.src
        ? undefined
        : construct("content", item.content, item.rawContent)
      : (construct("content", item["content:encoded"], item.rawContentEncoded) ??
        construct("content", item.atomContent, item.atomContent)),
    // The texts as written, in the tolerant reader's order; rss-parser's RSS `pubDate` and
    // `date` (dc:date) are the element's text, its Atom `pubDate` is converted and not used.
    published: isAtom
      ? (text(item.published) ??
        text(item.issued) ??
        text(item.created) ??
        text(item.updated) ??
        text(item.modified) ??
        text(item.dcDate))
      : (text(item.pubDate) ??
        text(item.date) ??
        text(item.dctermsIssued) ??
        text(item.dctermsCreated) ??
        text(item.atomPublished) ??
        text(item.atomUpdated) ??
        text(item.dctermsModified)),
    // rss-parser's `creator` is dc:creator even when empty, hiding `<author>`.
    author: isAtom
      ? (text(item.author) ?? text(item.dcCreator))
      : (text(item.dcCreator) ?? text(item.rawAuthor)),
    categories: isAtom
      ? categoriesOf(item.rawCategories)
      : [...categoriesOf(item.rawCategories), ...categoriesOf(item.dcSubjects)],
    enclosures: isAtom ? atomEnclosures(item.rawLinks) : mediaOf(item.rawEnclosures),
    media: [
      ...mediaOf(item.mediaContent),
      ...asArray(item.mediaGroup).flatMap((group) => {
        const g = group && typeof group === "object" ? (group as LooseItem) : {};
        return [...mediaOf(g["media:content"]), ...mediaOf(g["media:thumbnail"])];
      }),
      ...mediaOf(item.mediaThumbnail),
    ],
  };
  return { item: raw, fromTree };
}

// ---------------------------------------------------------------------------------------------
// Text constructs

const TREE = Symbol("from the tolerant reader");

/**
 * A title, description or content as HTML, from the element rss-parser hands over (customFields).
 * Its text, entities decoded, is the HTML for RSS and Atom `type="html"`; Atom `type="text"` (its
 * default) is escaped so a literal `<` stays text. TREE when rss-parser's field is worse than
 * the tree's: markup in the element was parsed into child elements (xml2js then keeps only the
 * text, out of order), `type="xhtml"`, or base64 content.
 */
function textConstruct(value: unknown, rawNodes: unknown, isAtom: boolean): string | undefined | typeof TREE {
  const node = first(rawNodes);
  // No element of that name: rss-parser's field may still come from another (dc:title).
  if (node === undefined) return text(value);
  const attrs = attributes(node);
  if (node && typeof node === "object" && Object.keys(node).some((k) => k !== "_" && k !== "$")) return TREE;
  const type = (stringAttr(attrs, "type") ?? (isAtom ? "text" : "html")).trim().toLowerCase();
  if (stringAttr(attrs, "mode")?.trim().toLowerCase() === "base64" || (isAtom && isBase64MediaType(type))) {
    return TREE;
  }
  if (type === "xhtml" || type === "application/xhtml+xml") return TREE;
  // The element's own text, not rss-parser's `content`, which rebuilds an empty element with
  // attributes as `<div type="html"/>`.
  const read = text(node);
  if (read === undefined) return undefined;
  return type === "text" || type === "text/plain" ? escapeHtml(read) : read;
}

/** RFC 4287 §4.1.3.3: a media type other than text/* and XML types means base64 content. */
function isBase64MediaType(type: string): boolean {
  return type.includes("/") && !type.startsWith("text/") && !type.endsWith("/xml") && !type.endsWith("+xml");
}

function escapeHtml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

// ---------------------------------------------------------------------------------------------
// Links, media, categories

const ABSOLUTE_URL = /^[a-z][a-z0-9+.-]*:/i;
const NON_ALTERNATE = new Set(["self", "edit", "replies", "enclosure", "related", "via", "license", "hub"]);

/** RSS: the first `<link>` with text (rss-parser's `link` is only the first), else an Atom alternate. */
function rssLink(item: LooseItem): string | undefined {
  for (const node of asArray(item.rawLinks)) {
    const value = text(node);
    if (value) return value;
  }
  return alternateLink(item.atomLinks);
}

/**
 * Atom: `rel="alternate"` (or no rel) first, an HTML type preferred, then a `<link>` with its URL
 * as text (a common slip). rss-parser's own choice takes the first link of any rel, `self` too.
 */
function atomLink(links: unknown): string | undefined {
  const alternate = alternateLink(links);
  if (alternate) return alternate;
  const nodes = asArray(links);
  const alternates = nodes.filter(
    (l) => (stringAttr(attributes(l), "rel") ?? "alternate").trim().toLowerCase() === "alternate",
  );
  for (const node of [...alternates, ...nodes]) {
    const value = text(node);
    if (value) return value;
  }
  return undefined;
}

function alternateLink(links: unknown): string | undefined {
  let fallback: string | undefined;
  for (const link of asArray(links)) {
    const attrs = attributes(link);
    const href = stringAttr(attrs, "href")?.trim();
    if (!href) continue;
    const rel = (stringAttr(attrs, "rel") ?? "alternate").trim().toLowerCase();
    if (rel === "alternate") {
      const type = stringAttr(attrs, "type")?.toLowerCase();
      if (!type || type.includes("html")) return href;
      fallback ??= href;
    } else if (!NON_ALTERNATE.has(rel)) {
      fallback ??= href;
    }
  }
  return fallback;
}

function atomEnclosures(links: unknown): RawMedia[] {
  return asArray(links).flatMap((link) => {
    const attrs = attributes(link);
    const href = stringAttr(attrs, "href")?.trim();
    if (stringAttr(attrs, "rel") !== "enclosure" || !href) return [];
    const media: RawMedia = { url: href };
    const type = stringAttr(attrs, "type")?.trim().toLowerCase();
    if (type) media.type = type;
    return [media];
  });
}

function mediaOf(values: unknown): RawMedia[] {
  const out: RawMedia[] = [];
  for (const value of asArray(values)) {
    const attrs = attributes(value);
    const url = stringAttr(attrs, "url")?.trim();
    if (!url) continue;
    const media: RawMedia = { url };
    const type = stringAttr(attrs, "type")?.trim().toLowerCase();
    if (type) media.type = type;
    const medium = stringAttr(attrs, "medium")?.trim().toLowerCase();
    if (medium) media.medium = medium;
    out.push(media);
  }
  return out;
}

function categoriesOf(values: unknown): string[] {
  const out: string[] = [];
  for (const value of asArray(values)) {
    // RSS: text content (with an optional domain attribute); Atom: `term`, or its human `label`.
    const attrs = attributes(value);
    const name =
      text(value) ?? stringAttr(attrs, "label")?.trim() ?? stringAttr(attrs, "term")?.trim() ?? undefined;
    if (name) out.push(name);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// xml2js values

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The text of an xml2js value, trimmed, undefined when empty: a string, `{_: text}` when the
 * element had attributes, or the first of an array. An element with child elements and no text
 * of its own gives its children's text.
 */
function text(value: unknown): string | undefined {
  if (typeof value === "string") {
    const trimmed = demoronize(value.trim());
    return trimmed === "" ? undefined : trimmed;
  }
  if (Array.isArray(value)) return text(value[0]);
  if (value && typeof value === "object") {
    const node = value as LooseItem;
    if (typeof node._ === "string") return text(node._);
    const pieces = Object.entries(node)
      .filter(([key]) => key !== "$")
      .flatMap(([, child]) => asArray(child).map(text))
      .filter((piece): piece is string => piece !== undefined);
    return pieces.length > 0 ? pieces.join(" ") : undefined;
  }
  return undefined;
}

function attributes(value: unknown): Record<string, unknown> | undefined {
  if (value && typeof value === "object" && "$" in value) {
    const attrs = (value as { $: unknown }).$;
    if (attrs && typeof attrs === "object") return attrs as Record<string, unknown>;
  }
  return undefined;
}

function stringAttr(attrs: Record<string, unknown> | undefined, name: string): string | undefined {
  const value = attrs?.[name];
  return typeof value === "string" ? value : undefined;
}
