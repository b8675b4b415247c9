import { XMLParser, XMLValidator } from "fast-xml-parser";

/**
 * An element as read: child elements by name (always arrays, in document order per name), the
 * attributes in `$`, the text in `_`. A text construct (title, summary, content, description,
 * content:encoded) is kept as its raw inner markup in `_`, CDATA sections included, so inline
 * XHTML or HTML in a title is not lost.
 */
export type XmlNode = { [name: string]: unknown; $?: Record<string, string>; _?: string };

export type XmlTreeResult =
  | {
      ok: true;
      /** The root element's name as written (`rss`, `rdf:RDF`, `feed`, `atom:feed`). */
      rootName: string;
      root: XmlNode;
      /** Set when strict XML rejected the document and the tolerant reader recovered it. */
      recovered?: string;
    }
  | { ok: false; reason: string };

/** Elements whose content is text that may carry markup: read raw, not as child elements. */
export const TEXT_CONSTRUCTS = [
  "title",
  "description",
  "summary",
  "content",
  "subtitle",
  "tagline",
  "content:encoded",
  "atom:title",
  "atom:summary",
  "atom:content",
  "dc:title",
  "dc:description",
];

const BASE_OPTIONS = {
  ignoreAttributes: false,
  attributeNamePrefix: "",
  attributesGroupName: "$",
  textNodeName: "_",
  // Entities are decoded by the caller, once: the tree keeps what the document says.
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  removeNSPrefix: false,
  allowBooleanAttributes: true,
  isArray: (_name: string, _path: unknown, _leaf: boolean, isAttribute: boolean) => !isAttribute,
} as const;

const withTextConstructs = new XMLParser({
  ...BASE_OPTIONS,
  stopNodes: TEXT_CONSTRUCTS.map((n) => `*.${n}`),
});
// The last resort for a document whose text constructs are themselves broken (an unclosed
// `<summary>`): markup in them is then read as elements and only their text survives.
const plain = new XMLParser(BASE_OPTIONS);

/**
 * Reads an XML document into a tree. A document strict XML rejects (a mismatched close tag, a
 * repeated attribute) is read again by a tolerant reader, as gofeed and feedparser do, and the
 * strict error is kept in `recovered`. A document that ends before its root element is closed is
 * refused: it was cut off on the way, and the next poll usually gets it whole. Never throws.
 */
export function readXmlTree(xml: string): XmlTreeResult {
  const strict = XMLValidator.validate(xml, { allowBooleanAttributes: true });
  let recovered: string | undefined;
  if (strict !== true) {
    const cutOff = describeCutOff(xml);
    if (cutOff && cutInsideItem(xml)) {
      return { ok: false, reason: `the feed is not well-formed XML (${cutOff}; it looks cut off)` };
    }
    const { msg, line, col } = strict.err;
    // Cut off after its last complete item: nothing is lost by reading what is there.
    recovered = cutOff ?? `${lowerFirst(msg.replace(/\.$/, ""))} at line ${line}, column ${col}`;
  }
  // The tolerant reader: tags balanced first (a stray close tag dropped, unclosed ones closed
  // where their parent ends), then the same parse.
  const input = recovered ? balanceTags(xml) : xml;
  for (const parser of [withTextConstructs, plain]) {
    try {
      const parsed = parser.parse(input) as Record<string, unknown>;
      const rootName = Object.keys(parsed).find((k) => !k.startsWith("?") && !k.startsWith("#") && k !== "_");
      const root = rootName ? firstNode(parsed[rootName]) : undefined;
      if (!rootName || !root) return { ok: false, reason: "the feed has no root element" };
      return recovered ? { ok: true, rootName, root, recovered } : { ok: true, rootName, root };
    } catch (err) {
      recovered ??= err instanceof Error ? lowerFirst(err.message) : String(err);
    }
  }
  return { ok: false, reason: `the feed is not well-formed XML (${recovered ?? "unreadable"})` };
}

function firstNode(value: unknown): XmlNode | undefined {
  const node = Array.isArray(value) ? value[0] : value;
  if (typeof node === "string") return { _: node };
  return node && typeof node === "object" ? (node as XmlNode) : undefined;
}

// CDATA, comments, PIs and declarations pass through; then end tags and start tags.
const MARKUP_TOKEN =
  /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<![^>]*>|<\/\s*([^\s>]+)\s*>|<([A-Za-z_][^\s>/]*)(?:[^>"']|"[^"]*"|'[^']*')*>/g;

/**
 * Makes the nesting of a document well-formed the way HTML parsers do: an end tag that matches
 * an open element closes it and everything opened inside it; an end tag that matches nothing
 * open is dropped; elements still open at the end are closed. Text is left as it is. Pure.
 */
export function balanceTags(xml: string): string {
  const out: string[] = [];
  const open: string[] = [];
  let last = 0;
  for (const m of xml.matchAll(MARKUP_TOKEN)) {
    const index = m.index ?? 0;
    out.push(xml.slice(last, index));
    last = index + m[0].length;
    const [token, closing, opening] = m;
    if (closing !== undefined) {
      const at = open.lastIndexOf(closing);
      if (at < 0) continue;
      while (open.length > at) out.push(`</${open.pop()}>`);
      continue;
    }
    out.push(token);
    if (opening !== undefined && !token.endsWith("/>")) open.push(opening);
  }
  out.push(xml.slice(last));
  while (open.length > 0) out.push(`</${open.pop()}>`);
  return out.join("");
}

const ITEM_START = /<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s>/]/g;
const ITEM_END = /<\/(?:[A-Za-z_][\w.-]*:)?(?:item|entry)\s*>/g;

/** True when a cut-off document stops inside an item (its last item start has no end). */
function cutInsideItem(xml: string): boolean {
  let lastStart = -1;
  for (const m of xml.matchAll(ITEM_START)) lastStart = m.index ?? lastStart;
  if (lastStart < 0) return false;
  let lastEnd = -1;
  for (const m of xml.matchAll(ITEM_END)) lastEnd = m.index ?? lastEnd;
  return lastEnd < lastStart;
}

const ROOT_OPEN = /<([A-Za-z_][\w:.-]*)[\s>/]/;
// Whatever may follow the root's end tag: whitespace, comments, processing instructions.
const TRAILER = /(?:\s|<!--[\s\S]*?-->|<\?[\s\S]*?\?>)*$/;

/** Where a document stops when its root element is never closed; undefined when it is closed. */
function describeCutOff(xml: string): string | undefined {
  const body = xml.replace(/^\uFEFF/, "");
  let at = 0;
  // Past the prolog, comments and a DOCTYPE, to the root's start tag.
  for (;;) {
    const lt = body.indexOf("<", at);
    if (lt < 0) return undefined;
    if (body.startsWith("<?", lt) || body.startsWith("<!", lt)) {
      const gt = body.indexOf(">", lt);
      if (gt < 0) return undefined;
      at = gt + 1;
      continue;
    }
    at = lt;
    break;
  }
  const name = ROOT_OPEN.exec(body.slice(at, at + 200))?.[1];
  if (!name) return undefined;
  const end = body.replace(TRAILER, "");
  const selfClosed = new RegExp(`^<${escapeRegExp(name)}\\b[^>]*/>`).test(body.slice(at));
  if (selfClosed || new RegExp(`</${escapeRegExp(name)}\\s*>$`).test(end)) return undefined;
  const lines = end.split("\n");
  const line = lines.length;
  const column = (lines[lines.length - 1] ?? "").length;
  return `the document ends at line ${line}, column ${column} before <${name}> is closed`;
}

function escapeRegExp(name: string): string {
  return name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
