import { errorText } from "../errorText.js";
import type { FeedFormat } from "./feedCheck.js";
import { readWithRssParser } from "./rssParserFeed.js";
import { readTolerantFeed } from "./tolerantFeed.js";

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
  /**
   * The feed's date text, exactly as written: `pubDate`, `dc:date`, Atom `published` (else
   * `updated`). Never converted here, so the process time zone cannot touch it.
   */
  published?: string;
  author?: string;
  categories: string[];
  enclosures: RawMedia[];
  /** media:content (also inside media:group), then media:thumbnail. */
  media: RawMedia[];
};

export type ParsedFeed =
  | {
      ok: true;
      title?: string;
      items: RawItem[];
      /** What was recovered on the way (a tolerant re-read, a missing `<channel>`); for logs. */
      warnings: string[];
    }
  | { ok: false; reason: string };

// `<item>` and `<entry>` start tags in the text (those quoted in CDATA too): more of them than
// rss-parser's items means it may have missed some (items after `</channel>`, RSS 0.90 items
// inside the channel, entries with a namespace prefix of their own).
const ITEM_ELEMENT = /<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s>/]/g;

/**
 * Parses sanitised feed XML (see sanitiseXml) of the format checkFeed found into raw items.
 *
 * rss-parser (strict XML, via xml2js) is the parser of record. The tolerant reader
 * (tolerantFeed.ts, our own tree) reads instead: a document rss-parser rejects or faults on
 * (broken XML, an Atom `<link/>` without attributes, `<rss>` without `<channel>`, an Atom entry
 * document or prefixed root), and one where the tree finds items rss-parser did not. Per item,
 * the tree's field is taken where rss-parser's is known to be worse: a title, summary or content
 * holding markup as elements, `type="xhtml"` or base64 (xml2js keeps only their text, out of
 * order), and a relative link under `xml:base` (rss-parser does not resolve it).
 *
 * A document cut off inside an item, or with no feed inside, becomes `{ok: false, reason}`.
 * Never throws.
 */
export async function parseFeed(xml: string, format: FeedFormat): Promise<ParsedFeed> {
  try {
    return await readFeed(xml, format);
  } catch (err) {
    // Unreachable by design: both readers read every field defensively. Kept so a reader bug
    // is a reason, not an exception that fails the poll.
    return { ok: false, reason: `the feed could not be read (${errorText(err)})` };
  }
}

async function readFeed(xml: string, format: FeedFormat): Promise<ParsedFeed> {
  const strict = await readWithRssParser(xml, format === "atom");
  if (!strict.ok) {
    const tolerant = readTolerantFeed(xml, format);
    // The tree's own warning, when it has one, already says why (where strict XML broke, the
    // missing `<channel>`); otherwise say that rss-parser could not read the document.
    if (tolerant.ok && tolerant.warnings.length === 0) {
      const why = strict.fault ? "it faults on this document's structure" : strict.reason;
      tolerant.warnings.push(`rss-parser could not read the feed (${why}); read with the tolerant reader`);
    }
    return tolerant;
  }

  let tree: ParsedFeed | undefined;
  const readTree = () => {
    tree ??= readTolerantFeed(xml, format);
    return tree;
  };
  const elements = xml.match(ITEM_ELEMENT)?.length ?? 0;
  if (elements > strict.items.length) {
    const tolerant = readTree();
    if (tolerant.ok && tolerant.items.length > strict.items.length) {
      tolerant.warnings.push(
        `rss-parser read ${strict.items.length} of the ${tolerant.items.length} items; read with the tolerant reader`,
      );
      return tolerant;
    }
  }

  const hasBase = xml.includes("xml:base");
  const items = strict.items.map(({ item, fromTree }, index) => {
    const fields = hasBase ? fromTree : fromTree.filter((field) => field !== "link");
    if (fields.length === 0) return item;
    const tolerant = readTree();
    // Both readers list the items in document order; they are paired only when they agree on
    // how many there are.
    const twin =
      tolerant.ok && tolerant.items.length === strict.items.length ? tolerant.items[index] : undefined;
    if (!twin) return item;
    const merged = { ...item };
    for (const field of fields) merged[field] = twin[field];
    return merged;
  });
  const treeTitle = strict.titleFromTree ? readTree() : undefined;
  const title = treeTitle?.ok ? treeTitle.title : strict.title;
  return { ok: true, title, items, warnings: [] };
}
