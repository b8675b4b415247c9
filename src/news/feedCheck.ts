import { decode } from "html-entities";

/** The feed dialects the parser understands. */
export type FeedFormat = "rss2" | "rdf" | "atom";

export type FeedCheck = { ok: true; format: FeedFormat } | { ok: false; reason: string };

/** Sanitised XML and what had to be repaired, for logs and feed health. */
export type SanitisedXml = { text: string; repairs: string[] };

// A feed's root element is found within its first bytes; the window only bounds the work on a
// huge non-feed body.
const SNIFF_WINDOW = 64 * 1024;
const ROOT_NAME = /^<([A-Za-z_][\w:.-]*)/;
const HTML_TITLE = /<title[^>]*>([^<]{0,300})/i;
const HTML_DOCTYPE = /^<!doctype\s+html/i;
const HTML_ROOTS = new Set(["html", "head", "body"]);
const FEED_ROOTS = /^(?:[\w.-]+:)?(?:rss|rdf|feed|entry)$/;

/**
 * Says what a decoded body is before anyone tries to parse it: RSS 2.0 (also 0.9x, and `<rss>`
 * without a version), RSS 1.0/RDF, Atom, or not a feed at all, with a reason a person can act on
 * (an HTML page usually means the site blocks bots or the URL is a web page). Pure.
 */
export function checkFeed(text: string): FeedCheck {
  const head = text.length > SNIFF_WINDOW ? text.slice(0, SNIFF_WINDOW) : text;
  const start = skipProlog(head);
  const rest = head.slice(start);
  if (rest.trim() === "") {
    return { ok: false, reason: "the server sent an empty body, not a feed" };
  }
  const first = rest[0];
  if (first === "{" || first === "[") {
    return {
      ok: false,
      reason: "the server sent JSON, not a feed: the URL may be an API endpoint rather than RSS or Atom",
    };
  }
  let body = rest;
  if (HTML_DOCTYPE.test(body)) {
    // An HTML DOCTYPE pasted above a feed (a CMS template slip) does not make it a page.
    const afterDoctype = body.slice(body.indexOf(">") + 1);
    const root = ROOT_NAME.exec(afterDoctype.slice(skipProlog(afterDoctype)))?.[1]?.toLowerCase() ?? "";
    if (!FEED_ROOTS.test(root)) return htmlPage(head);
    body = afterDoctype.slice(skipProlog(afterDoctype));
  }
  const name = ROOT_NAME.exec(body)?.[1];
  if (name === undefined) {
    const sample = rest.slice(0, 40).replace(/\s+/g, " ");
    return { ok: false, reason: `the server sent something that is not XML (it starts with "${sample}")` };
  }
  const local = (name.includes(":") ? name.slice(name.indexOf(":") + 1) : name).toLowerCase();
  if (local === "rss") return { ok: true, format: "rss2" };
  if (local === "rdf") return { ok: true, format: "rdf" };
  // An Atom entry document (RFC 4287 §4.1.2) is a feed of one item.
  if (local === "feed" || local === "entry") return { ok: true, format: "atom" };
  if (HTML_ROOTS.has(local)) return htmlPage(head);
  return {
    ok: false,
    reason: `the server sent XML that is not a feed (root element <${name}>, expected <rss>, <rdf:RDF> or <feed>)`,
  };
}

function htmlPage(head: string): FeedCheck {
  const title = HTML_TITLE.exec(head)?.[1]?.replace(/\s+/g, " ").trim();
  const titled = title ? ` titled "${decode(title)}"` : "";
  return {
    ok: false,
    reason: `the server sent an HTML page${titled}, not a feed: it may block bots or the URL is a web page`,
  };
}

/** Index of the root element: past whitespace, the XML declaration, comments, PIs and a DOCTYPE. */
function skipProlog(text: string): number {
  let i = 0;
  for (;;) {
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    if (text.startsWith("<?", i)) {
      const end = text.indexOf("?>", i + 2);
      if (end < 0) return text.length;
      i = end + 2;
    } else if (text.startsWith("<!--", i)) {
      const end = text.indexOf("-->", i + 4);
      if (end < 0) return text.length;
      i = end + 3;
    } else if (text.startsWith("<!", i) && !HTML_DOCTYPE.test(text.slice(i, i + 20))) {
      const subset = text.indexOf("[", i);
      const close = text.indexOf(">", i);
      if (close < 0) return text.length;
      if (subset >= 0 && subset < close) {
        const end = text.indexOf("]", subset);
        const after = end < 0 ? -1 : text.indexOf(">", end);
        if (after < 0) return text.length;
        i = after + 1;
      } else {
        i = close + 1;
      }
    } else {
      return i;
    }
  }
}

/** Where the root element starts: past the XML declaration, comments, PIs and any DOCTYPE. */
function prologEnd(text: string): number {
  let at = 0;
  for (;;) {
    const lt = text.indexOf("<", at);
    if (lt < 0) return text.length;
    if (text.startsWith("<!--", lt)) {
      const end = text.indexOf("-->", lt + 4);
      if (end < 0) return text.length;
      at = end + 3;
    } else if (text.startsWith("<?", lt)) {
      const end = text.indexOf("?>", lt + 2);
      if (end < 0) return text.length;
      at = end + 2;
    } else if (text.startsWith("<!", lt)) {
      // A DOCTYPE, with an internal subset in brackets where entity declarations live.
      const subset = text.indexOf("[", lt);
      const close = text.indexOf(">", lt);
      if (close < 0) return text.length;
      if (subset >= 0 && subset < close) {
        const end = text.indexOf("]", subset);
        const after = end < 0 ? -1 : text.indexOf(">", end);
        at = after < 0 ? text.length : after + 1;
      } else {
        at = close + 1;
      }
    } else {
      return lt;
    }
  }
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d || code === 0xfeff;
}

// Characters XML 1.0 forbids anywhere, even as references; some CMSes leak them from pasted text.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point.
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
// A DOCTYPE has no use in a feed and its internal subset is where entity bombs live.
const DOCTYPE = /<!DOCTYPE\b[^[>]*(?:\[[\s\S]*?\]\s*)?>/gi;
const ENTITY_DECLARATION = /<!ENTITY\b[^>]*>/gi;
const DECLARATION = /<!(?:DOCTYPE|ENTITY)\b/i;
const PROLOG_DECLARATION = new RegExp(
  `<!--[\\s\\S]*?-->|${DOCTYPE.source}|${ENTITY_DECLARATION.source}`,
  "gi",
);
// One pass over the document: CDATA sections and comments are matched whole so their content is
// left alone; otherwise any `&` (with what follows if it forms a reference) and any `<` that
// cannot start markup.
const REPAIRABLE =
  /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|&(?:(#\d{1,8}|#[xX][0-9A-Fa-f]{1,7}|[A-Za-z][A-Za-z0-9]{0,31});)?|<(?![A-Za-z_:/!?])/g;
const XML_ENTITIES = new Set(["amp", "lt", "gt", "quot", "apos"]);
// HTML entity name → numeric reference, or "" when the name is not an HTML entity. Capped, since
// a hostile feed could send any number of made-up names.
const htmlEntityCache = new Map<string, string>();
const HTML_ENTITY_CACHE_LIMIT = 4096;

/**
 * Repairs the breakages that make real feeds fail a strict XML parser, without changing what a
 * well-formed feed means: removes control characters, removes any DOCTYPE and entity
 * declarations (so an entity-expansion bomb is never expanded), turns HTML named entities such
 * as `&nbsp;` or `&laquo;` into numeric references, escapes a stray `&` or `<`. CDATA sections
 * and comments are left untouched. Pure.
 */
export function sanitiseXml(input: string): SanitisedXml {
  const repairs: string[] = [];
  let text = input;

  const controls = text.replace(CONTROL_CHARS, "");
  if (controls.length !== text.length) {
    repairs.push(`removed ${text.length - controls.length} control character(s)`);
    text = controls;
  }

  if (DECLARATION.test(text)) {
    // Only in the prolog: inside the document `<!DOCTYPE` can be text in a CDATA section.
    const rootAt = prologEnd(text);
    const prolog = text.slice(0, rootAt);
    // Comments are matched whole so a `<!DOCTYPE` quoted in one is left alone.
    const cleaned = prolog.replace(PROLOG_DECLARATION, (m) => (m.startsWith("<!--") ? m : ""));
    if (cleaned.length !== prolog.length) {
      repairs.push("removed the DOCTYPE and its entity declarations (never expanded)");
      text = cleaned + text.slice(rootAt);
    }
  }

  let ampersands = 0;
  let htmlEntities = 0;
  let unknownEntities = 0;
  let brackets = 0;
  let badReferences = 0;
  text = text.replace(REPAIRABLE, (match: string, reference: string | undefined) => {
    const c = match.charCodeAt(1);
    if (match[0] === "<") {
      if (c === 0x21 /* ! */) return match;
      brackets++;
      return "&lt;";
    }
    if (reference === undefined) {
      ampersands++;
      return "&amp;";
    }
    if (reference[0] === "#") {
      const code =
        reference[1] === "x" || reference[1] === "X"
          ? Number.parseInt(reference.slice(2), 16)
          : Number.parseInt(reference.slice(1), 10);
      if (isXmlChar(code)) return match;
      badReferences++;
      return "";
    }
    if (XML_ENTITIES.has(reference)) return match;
    const numeric = htmlEntityToNumeric(reference);
    if (numeric) {
      htmlEntities++;
      return numeric;
    }
    // An undeclared name (including what is left of a removed entity declaration) becomes text,
    // never an expansion.
    unknownEntities++;
    return `&amp;${reference};`;
  });
  if (ampersands) repairs.push(`escaped ${ampersands} stray '&'`);
  if (brackets) repairs.push(`escaped ${brackets} stray '<'`);
  if (htmlEntities) repairs.push(`replaced ${htmlEntities} HTML entity reference(s) undefined in XML`);
  if (unknownEntities) repairs.push(`kept ${unknownEntities} undeclared entity reference(s) as text`);
  if (badReferences) repairs.push(`removed ${badReferences} reference(s) to characters XML forbids`);
  return { text, repairs };
}

function htmlEntityToNumeric(name: string): string {
  let numeric = htmlEntityCache.get(name);
  if (numeric === undefined) {
    const decoded = decode(`&${name};`, { level: "html5" });
    numeric = decoded === `&${name};` ? "" : [...decoded].map((ch) => `&#${ch.codePointAt(0)};`).join("");
    if (htmlEntityCache.size < HTML_ENTITY_CACHE_LIMIT) htmlEntityCache.set(name, numeric);
  }
  return numeric;
}

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}
