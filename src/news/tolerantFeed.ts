/**
 * The tolerant feed reader, for what rss-parser cannot read. One file of about 400 lines on
 * purpose: RSS 2.0, RSS 1.0/RDF and Atom are read by one set of field readers over one tree.
 */
import { isUtf8 } from "node:buffer";
import { decode } from "html-entities";
import type { FeedFormat } from "./feedCheck.js";
import type { ParsedFeed, RawItem, RawMedia } from "./parseFeed.js";
import { readXmlTree, type XmlNode } from "./xmlTree.js";

const ATOM_NS = "http://www.w3.org/2005/Atom";
const ATOM03_NS = "http://purl.org/atom/ns#";
const RSS1_NS = "http://purl.org/rss/1.0/";

/**
 * The tolerant reader: our own fast-xml-parser tree (xmlTree.ts), for the documents rss-parser
 * cannot read (see parseFeed). A document strict XML rejects is read after its tags are balanced
 * and says so in `warnings`; a document cut off inside an item, or with no feed inside, becomes
 * `{ok: false, reason}`. Every field is read defensively; may throw only on a reader bug, which
 * parseFeed turns into a reason.
 */
export function readTolerantFeed(xml: string, format: FeedFormat): ParsedFeed {
  const tree = readXmlTree(xml);
  if (!tree.ok) return tree;
  const warnings: string[] = [];
  if (tree.recovered) {
    warnings.push(`strict XML rejected the feed (${tree.recovered}); read with the tolerant reader`);
  }
  const { rootName } = tree;
  const root = asNode(tree.root);
  const local = localName(rootName).toLowerCase();

  if (format === "atom" || local === "feed" || local === "entry") {
    const atom = nsPrefix(rootName, root, [ATOM_NS, ATOM03_NS]);
    const entries: Array<[XmlNode, string]> =
      local === "entry" ? [[root, atom]] : children(root, atom, "entry").map((e) => [e, atom]);
    // Entries may bind the Atom namespace to a prefix of their own (`<p0:entry xmlns:p0=...>`).
    for (const key of Object.keys(root)) {
      const prefix = key.endsWith(":entry") ? key.slice(0, -":entry".length) : undefined;
      if (prefix === undefined || prefix === atom) continue;
      for (const entry of children(root, prefix, "entry")) {
        if (entry.$?.[`xmlns:${prefix}`] === ATOM_NS || entry.$?.[`xmlns:${prefix}`] === ATOM03_NS) {
          entries.push([entry, prefix]);
        }
      }
    }
    return {
      ok: true,
      title: textConstruct(first(root, atom, "title"), true),
      items: entries.map(([entry, ns]) => withBase(atomItem(entry, ns), xmlBase(root), entry)),
      warnings,
    };
  }

  if (local === "rdf") {
    const rss = nsPrefix(rootName, root, [RSS1_NS], "rss");
    const channel = first(root, rss, "channel");
    // RSS 0.90 and some RSS 1.0 generators put the items inside the channel.
    const items = [...children(root, rss, "item"), ...(channel ? children(channel, rss, "item") : [])];
    return {
      ok: true,
      title: channel ? textConstruct(first(channel, rss, "title")) : undefined,
      items: items.map((item) => withBase(rssItem(item, rss), xmlBase(root, channel), item)),
      warnings,
    };
  }

  if (local !== "rss") return { ok: false, reason: "the document is XML but not RSS or Atom" };
  const channels = children(root, "", "channel");
  if (channels.length === 0) warnings.push("the feed has no <channel>: items read from under <rss>");
  // Items after `</channel>` (a templating slip) are still the feed's items.
  const items = [...channels.flatMap((c) => children(c, "", "item")), ...children(root, "", "item")];
  const channel = channels[0];
  return {
    ok: true,
    title: textConstruct(first(channel ?? root, "", "title")),
    items: items.map((item) => withBase(rssItem(item, ""), xmlBase(root, channel), item)),
    warnings,
  };
}

// ---------------------------------------------------------------------------------------------
// RSS 2.0, 0.9x and 1.0

function rssItem(item: XmlNode, ns: string): RawItem {
  const atomLink = alternateLink(extension(item, "atom:link"));
  const about = item.$?.["rdf:about"];
  return {
    title: textConstruct(first(item, ns, "title")) ?? textConstruct(firstExt(item, "dc:title")),
    link: firstText(children(item, ns, "link")) ?? atomLink,
    guid:
      text(first(item, ns, "guid")) ??
      (about ? clean(decodeXml(about)) : undefined) ??
      text(firstExt(item, "dc:identifier")),
    description:
      textConstruct(first(item, ns, "description")) ?? textConstruct(firstExt(item, "dc:description")),
    content:
      textConstruct(firstExt(item, "content:encoded")) ?? textConstruct(firstExt(item, "atom:content")),
    published:
      text(first(item, ns, "pubDate")) ??
      text(firstExt(item, "dc:date")) ??
      text(firstExt(item, "dcterms:issued")) ??
      text(firstExt(item, "dcterms:created")) ??
      text(firstExt(item, "atom:published")) ??
      text(firstExt(item, "atom:updated")) ??
      text(firstExt(item, "dcterms:modified")),
    author: text(firstExt(item, "dc:creator")) ?? text(first(item, ns, "author")),
    categories: [
      ...categoriesOf(children(item, ns, "category")),
      ...categoriesOf(extension(item, "dc:subject")),
    ],
    enclosures: mediaOf(children(item, ns, "enclosure")),
    media: mediaOfItem(item),
  };
}

// ---------------------------------------------------------------------------------------------
// Atom 1.0 and 0.3

function atomItem(entry: XmlNode, ns: string): RawItem {
  const links = children(entry, ns, "link");
  const content = first(entry, ns, "content");
  return {
    title: textConstruct(first(entry, ns, "title"), true),
    // A `<link>` with its URL as text instead of `href` (a common slip): the alternate one first.
    link:
      alternateLink(links) ??
      firstText(links.filter((l) => (l.$?.rel ?? "alternate").trim().toLowerCase() === "alternate")) ??
      firstText(links),
    guid: text(first(entry, ns, "id")),
    description: textConstruct(first(entry, ns, "summary"), true),
    // `<content src="...">` points elsewhere; its (empty) body is not the text.
    content: content?.$?.src ? undefined : textConstruct(content, true),
    published:
      text(first(entry, ns, "published")) ??
      text(first(entry, ns, "issued")) ??
      text(first(entry, ns, "created")) ??
      text(first(entry, ns, "updated")) ??
      text(first(entry, ns, "modified")) ??
      text(firstExt(entry, "dc:date")),
    author: text(first(first(entry, ns, "author"), ns, "name")) ?? text(firstExt(entry, "dc:creator")),
    categories: categoriesOf(children(entry, ns, "category")),
    enclosures: links.flatMap((link) => {
      const attrs = link.$;
      if (attrs?.rel !== "enclosure" || !attrs.href) return [];
      const media: RawMedia = { url: decodeXml(attrs.href).trim() };
      if (attrs.type) media.type = attrs.type.trim().toLowerCase();
      return [media];
    }),
    media: mediaOfItem(entry),
  };
}

const NON_ALTERNATE = new Set(["self", "edit", "replies", "enclosure", "related", "via", "license", "hub"]);

/**
 * The article link among Atom `<link>` elements: `rel="alternate"` (or no rel) first, an HTML
 * type preferred. A `<link/>` without attributes is skipped, not a fault.
 */
function alternateLink(links: XmlNode[]): string | undefined {
  let fallback: string | undefined;
  for (const link of links) {
    const attrs = link.$;
    const href = attrs?.href ? clean(decodeXml(attrs.href)) : undefined;
    if (!href) continue;
    const rel = (attrs?.rel ?? "alternate").trim().toLowerCase();
    if (rel === "alternate") {
      const type = attrs?.type?.toLowerCase();
      if (!type || type.includes("html")) return href;
      fallback ??= href;
    } else if (!NON_ALTERNATE.has(rel)) {
      fallback ??= href;
    }
  }
  return fallback;
}

// ---------------------------------------------------------------------------------------------
// Media and categories

function mediaOfItem(item: XmlNode): RawMedia[] {
  return [
    ...mediaOf(extension(item, "media:content")),
    ...extension(item, "media:group").flatMap((group) => [
      ...mediaOf(extension(group, "media:content")),
      ...mediaOf(extension(group, "media:thumbnail")),
    ]),
    ...mediaOf(extension(item, "media:thumbnail")),
  ];
}

function mediaOf(nodes: XmlNode[]): RawMedia[] {
  const out: RawMedia[] = [];
  for (const node of nodes) {
    const attrs = node.$;
    const url = attrs?.url ? decodeXml(attrs.url).trim() : "";
    if (!url) continue;
    const media: RawMedia = { url };
    if (attrs?.type?.trim()) media.type = attrs.type.trim().toLowerCase();
    if (attrs?.medium?.trim()) media.medium = attrs.medium.trim().toLowerCase();
    out.push(media);
  }
  return out;
}

function categoriesOf(nodes: XmlNode[]): string[] {
  const out: string[] = [];
  for (const node of nodes) {
    // RSS: text content (with an optional domain attribute); Atom: `term`, or its human `label`.
    const name =
      text(node) ??
      (node.$?.label ? clean(decodeXml(node.$.label)) : undefined) ??
      (node.$?.term ? clean(decodeXml(node.$.term)) : undefined);
    if (name) out.push(name);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// xml:base

/** The absolute base URL the document's `xml:base` attributes set for `nodes`' content. */
function xmlBase(...nodes: Array<XmlNode | undefined>): string | undefined {
  let base: string | undefined;
  for (const node of nodes) {
    const value = node?.$?.["xml:base"]?.trim();
    if (!value) continue;
    try {
      base = new URL(decodeXml(value), base).href;
    } catch {
      // A base that is not a URL (or relative with nothing to resolve against) is ignored.
    }
  }
  return base;
}

/** Resolves a relative item link against the item's `xml:base` (feed-level, then its own). */
function withBase(item: RawItem, inherited: string | undefined, node: XmlNode): RawItem {
  const base = xmlBase({ $: inherited ? { "xml:base": inherited } : {} }, node);
  if (!base || !item.link || /^[a-z][a-z0-9+.-]*:/i.test(item.link)) return item;
  try {
    return { ...item, link: new URL(item.link, base).href };
  } catch {
    return item;
  }
}

// ---------------------------------------------------------------------------------------------
// Tree access

/**
 * The prefix the document binds to one of `namespaces` (`atom` for `<atom:feed>`), "" when it
 * is the default namespace or the root has no prefix; `fallback` when the root is in another.
 */
function nsPrefix(rootName: string, root: XmlNode, namespaces: string[], fallback = ""): string {
  const colon = rootName.indexOf(":");
  const rootPrefix = colon >= 0 ? rootName.slice(0, colon) : "";
  for (const [attr, value] of Object.entries(root.$ ?? {})) {
    if (!namespaces.includes(value.trim())) continue;
    if (attr === "xmlns") return "";
    if (attr.startsWith("xmlns:")) return attr.slice(6);
  }
  return rootName.endsWith(":RDF") || rootName === "RDF" ? fallback : rootPrefix;
}

function localName(name: string): string {
  const colon = name.indexOf(":");
  return colon >= 0 ? name.slice(colon + 1) : name;
}

/** Child elements `prefix:name`, or plain `name` (an element in the default namespace). */
function children(node: XmlNode | undefined, prefix: string, name: string): XmlNode[] {
  if (!node) return [];
  const values = (prefix ? node[`${prefix}:${name}`] : undefined) ?? node[name];
  if (!Array.isArray(values)) return [];
  return values.map(asNode);
}

/**
 * One child value as a node: text becomes `{_: text}`; attributes keep only string values (a
 * boolean attribute, `<link href>` in a broken feed, is read as `true` by the parser).
 */
function asNode(value: unknown): XmlNode {
  if (typeof value === "string") return { _: value };
  if (!value || typeof value !== "object") return {};
  const node = value as XmlNode;
  const attrs = node.$ as Record<string, unknown> | undefined;
  if (attrs === undefined || Object.values(attrs).every((v) => typeof v === "string")) return node;
  const strings: Record<string, string> = {};
  for (const [key, v] of Object.entries(attrs)) if (typeof v === "string") strings[key] = v;
  return { ...node, $: strings };
}

function first(node: XmlNode | undefined, prefix: string, name: string): XmlNode | undefined {
  return children(node, prefix, name)[0];
}

/** Child elements of an extension namespace by their usual qualified name (`dc:date`, `media:content`). */
function extension(node: XmlNode | undefined, qualifiedName: string): XmlNode[] {
  const values = node?.[qualifiedName];
  if (!Array.isArray(values)) return [];
  return values.map(asNode);
}

function firstExt(node: XmlNode | undefined, qualifiedName: string): XmlNode | undefined {
  return extension(node, qualifiedName)[0];
}

function firstText(nodes: XmlNode[]): string | undefined {
  for (const node of nodes) {
    const value = text(node);
    if (value) return value;
  }
  return undefined;
}

const CDATA = /<!\[CDATA\[([\s\S]*?)(?:\]\]>|$)/g;
const XML_ENTITY_OR_CDATA = /<!\[CDATA\[|&/;

/**
 * The plain text of a simple element (a link, a guid, a date): CDATA unwrapped, entities
 * decoded, trimmed; undefined when empty. Nested markup (a broken feed) gives its text.
 */
function text(node: XmlNode | undefined): string | undefined {
  if (!node) return undefined;
  const raw = rawText(node);
  if (raw === undefined) return undefined;
  let value = raw;
  if (XML_ENTITY_OR_CDATA.test(value)) {
    const parts: string[] = [];
    let last = 0;
    for (const m of value.matchAll(CDATA)) {
      parts.push(decodeXml(value.slice(last, m.index)), m[1] ?? "");
      last = (m.index ?? 0) + m[0].length;
    }
    parts.push(decodeXml(value.slice(last)));
    value = parts.join("");
  }
  return clean(value);
}

function rawText(node: XmlNode): string | undefined {
  if (typeof node._ === "string") return node._;
  // Mixed content read as elements: gather the text of the children, in name order.
  const pieces: string[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === "$" || !Array.isArray(value)) continue;
    for (const child of value) {
      if (typeof child === "string") pieces.push(child);
      else if (child && typeof child === "object") {
        const inner = rawText(child as XmlNode);
        if (inner) pieces.push(inner);
      }
    }
  }
  return pieces.length > 0 ? pieces.join(" ") : undefined;
}

/**
 * A text construct (title, summary, content, description) as HTML, for htmlToText: CDATA
 * unwrapped, entities decoded once (the element's text is the HTML, as in RSS descriptions and
 * Atom `type="html"`), inline XHTML kept as markup. Atom `type="text"` (the default for Atom) is
 * escaped, so a literal `<` in it stays text.
 */
function textConstruct(node: XmlNode | undefined, atom = false): string | undefined {
  if (!node) return undefined;
  const raw = rawText(node);
  if (raw === undefined) return undefined;
  const type = (node.$?.type ?? (atom ? "text" : "html")).trim().toLowerCase();
  // Atom 0.3 `mode="base64"`; Atom 1.0 content of any media type that is not text or XML.
  if (node.$?.mode?.trim().toLowerCase() === "base64" || (atom && isBase64MediaType(type))) {
    const encoded = raw.replace(CDATA, "$1");
    const bytes = Buffer.from(encoded, "base64");
    // Text of an unknown media type that is not base64 after all stays text.
    if (BASE64.test(encoded) && isUtf8(bytes)) {
      const decoded = bytes.toString("utf8");
      return clean(type === "text" || type === "text/plain" ? escapeHtml(decoded) : decoded);
    }
  }
  if (type === "xhtml" || type === "application/xhtml+xml") {
    return clean(raw.replace(/^\s*<(?:[\w-]+:)?div\b[^>]*>([\s\S]*)<\/(?:[\w-]+:)?div>\s*$/, "$1"));
  }
  const parts: string[] = [];
  let last = 0;
  for (const m of raw.matchAll(CDATA)) {
    parts.push(decodeXml(raw.slice(last, m.index)), m[1] ?? "");
    last = (m.index ?? 0) + m[0].length;
  }
  parts.push(decodeXml(raw.slice(last)));
  const value = parts.join("");
  return clean(type === "text" || type === "text/plain" ? escapeHtml(value) : value);
}

const BASE64 = /^[A-Za-z0-9+/=\s]+$/;

/** RFC 4287 §4.1.3.3: a media type other than text/* and XML types means base64 content. */
function isBase64MediaType(type: string): boolean {
  return type.includes("/") && !type.startsWith("text/") && !type.endsWith("/xml") && !type.endsWith("+xml");
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function decodeXml(value: string): string {
  return value.includes("&") ? decode(value, { level: "xml" }) : value;
}

function clean(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}
