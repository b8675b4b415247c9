/**
 * Reads one article page: its main text (Mozilla's Readability, the reader view of Firefox, over
 * a linkedom document) and its og:image. The pipeline uses the text for topics and dedupe only;
 * relevance is judged on the headline and lead, as RELEVANCE.md says.
 *
 * `extractArticle` is pure (HTML string → text and image); `fetchArticlePage` is the I/O around
 * it: one bounded GET through the project's HTTP client, the page's charset, never a throw.
 */
import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";
import { errorText } from "../errorText.js";
import { FetchFailure, fetchBytes } from "../http/fetchBytes.js";
import { decodeBody } from "./decode.js";
import { cleanLink } from "./normalise.js";

/** What a page gave: its main text (plain, paragraphs on their own lines) and its lead image. */
export type ArticleExtract = {
  /** Undefined when no article was found (a home page, a login wall, a video page, not HTML). */
  text: string | undefined;
  /** The og:image (or twitter:image) as an absolute http(s) URL. */
  image: string | undefined;
};

/** Why a page gave nothing. A closed list: the metrics label pages by it. */
export const ARTICLE_PAGE_FAILURES = [
  "timeout",
  "too-large",
  "network",
  "redirects",
  "http-status",
  "not-html",
  "no-article",
  "bad-url",
] as const;
export type ArticlePageFailure = (typeof ARTICLE_PAGE_FAILURES)[number];

export type ArticlePageResult =
  | { ok: true; text: string; image: string | undefined; url: string }
  | { ok: false; reason: ArticlePageFailure; detail: string };

export type ArticlePageOptions = {
  timeoutMs: number;
  /** Body cap; a bigger page is cut while streaming and fails as `too-large`. */
  maxBytes?: number;
  signal?: AbortSignal;
};

/** News pages are 100–800 KB; a few megabytes is a page of something else. */
export const DEFAULT_ARTICLE_MAX_BYTES = 2 * 1024 * 1024;
/** Below this a "main text" is a caption, a cookie notice or a teaser, not the article. */
export const MIN_ARTICLE_CHARS = 200;
/** The tagger reads 8,000 characters; a little more keeps whole sentences at the cut. */
export const MAX_ARTICLE_CHARS = 10_000;
/** Past this share of link text the "main text" is a list of teasers (a home or section page). */
const MAX_LINK_SHARE = 0.5;
/** The same for the whole page once the furniture is gone: looser, as related-story blocks stay. */
const MAX_PAGE_LINK_SHARE = 0.7;
/** linkedom builds the whole tree; more HTML than the byte cap allows is never parsed. */
const MAX_HTML_CHARS = DEFAULT_ARTICLE_MAX_BYTES;
const MAX_IMAGE_URL_CHARS = 2_048;

const PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5";
const HTML_TYPE = /^\s*(text\/html|application\/xhtml\+xml)\b/i;
const HTML_START = /^\s*</;
// HTML declares its charset in a meta tag, which decodeBody (written for XML) does not read.
const META_CHARSET =
  /<meta[^>]+?(?:charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)|http-equiv\s*=\s*["']?content-type["']?[^>]*?content\s*=\s*["'][^"']*charset\s*=\s*([A-Za-z0-9._:-]+))/i;
const META_WINDOW = 2_048;
const CONTENT_TYPE_CHARSET = /;\s*charset\s*=/i;

// Elements whose end is a line break in the text: paragraphs must not run into each other, or
// "...Ташкенте</p><p>Стороны..." becomes one word for the tagger.
const BLOCK_ELEMENTS = new Set([
  "ADDRESS",
  "ARTICLE",
  "ASIDE",
  "BLOCKQUOTE",
  "BR",
  "DD",
  "DIV",
  "DL",
  "DT",
  "FIGCAPTION",
  "FIGURE",
  "FOOTER",
  "H1",
  "H2",
  "H3",
  "H4",
  "H5",
  "H6",
  "HEADER",
  "HR",
  "LI",
  "OL",
  "P",
  "PRE",
  "SECTION",
  "TABLE",
  "TD",
  "TH",
  "TR",
  "UL",
]);

/** The few DOM members read here; linkedom's nodes have them. */
type DomNode = {
  nodeType: number;
  nodeName: string;
  nodeValue: string | null;
  childNodes: ArrayLike<DomNode>;
};
type DomDocument = {
  querySelector(selector: string): { getAttribute(name: string): string | null } | null;
  querySelectorAll(selector: string): ArrayLike<{ remove(): void; textContent: string | null }>;
  body: { textContent: string | null } | null;
};

// Ad slots Readability's scoring keeps when they sit inside the article body (an "inline-ad"
// between paragraphs); adfox and yandex_rtb are the ad networks of most Russian-language sites.
const AD_SLOTS =
  '.ad, .ads, .advert, .advertisement, .adsbygoogle, .banner, [data-ad], [id^="adfox"], [class*="adfox"], [id^="yandex_rtb"]';

// Page furniture that is never the article. Removed before Readability, which would drop it
// anyway, because Readability's time grows faster than linearly with the elements it scores.
const FURNITURE = "script, style, noscript, template, svg, iframe, form, nav, header, footer, aside";
/**
 * Readability over linkedom takes seconds on a few thousand link-heavy elements, and it runs on
 * the event loop: past this many elements left after the furniture, the page is not read.
 */
export const MAX_ARTICLE_ELEMENTS = 2_500;

const TEXT_NODE = 3;
const ELEMENT_NODE = 1;

/**
 * The main text and og:image of an HTML page at `pageUrl` (relative image URLs resolve against
 * it, or against the page's `<base href>`). Navigation, footers, share bars and ads are left out
 * by Readability's scoring; a page with no article (under MIN_ARTICLE_CHARS of main text) gives
 * `text: undefined`, and so does anything that is not HTML. Text is at most MAX_ARTICLE_CHARS.
 * Pure: never throws.
 */
export function extractArticle(html: string, pageUrl: string): ArticleExtract {
  if (!HTML_START.test(html.slice(0, 1_024).replace(/^\uFEFF/, ""))) {
    return { text: undefined, image: undefined };
  }
  try {
    const { document } = parseHTML(html.slice(0, MAX_HTML_CHARS));
    const doc = document as unknown as DomDocument;
    // Read before Readability, which rewrites the document it is given.
    const image = ogImage(doc, pageUrl);
    removeAll(doc, FURNITURE);
    removeAll(doc, AD_SLOTS);
    if (doc.querySelectorAll("*").length > MAX_ARTICLE_ELEMENTS || isLinkList(doc)) {
      return { text: undefined, image };
    }
    const article = new Readability(document as never, {
      serializer: (node) => node as unknown as DomNode,
    }).parse();
    const root = article?.content;
    const { text, linkChars } = root ? plainText(root) : { text: "", linkChars: 0 };
    const isArticle = text.length >= MIN_ARTICLE_CHARS && linkChars <= text.length * MAX_LINK_SHARE;
    return { text: isArticle ? cut(text) : undefined, image };
  } catch {
    // A parser fault on one odd page must not cost the story anything.
    return { text: undefined, image: undefined };
  }
}

/**
 * True when what is left of the page is mostly link text (a home page, a section page) or too
 * little text: no article to find. Checked first because Readability, finding none, tries the
 * page four times with looser rules, which is the slowest thing it does.
 */
function isLinkList(doc: DomDocument): boolean {
  const squeeze = (text: string | null | undefined) => (text ?? "").replace(/\s+/g, " ").trim().length;
  const total = squeeze(doc.body?.textContent);
  if (total < MIN_ARTICLE_CHARS) return true;
  let links = 0;
  const anchors = doc.querySelectorAll("a");
  for (let i = 0; i < anchors.length; i++) links += squeeze(anchors[i]?.textContent);
  return links > total * MAX_PAGE_LINK_SHARE;
}

function removeAll(doc: DomDocument, selector: string): void {
  const found = doc.querySelectorAll(selector);
  for (let i = 0; i < found.length; i++) found[i]?.remove();
}

function ogImage(doc: DomDocument, pageUrl: string): string | undefined {
  const base = resolveBase(doc.querySelector("base[href]")?.getAttribute("href"), pageUrl);
  const candidates = [
    'meta[property="og:image:secure_url"]',
    'meta[property="og:image"]',
    // Some CMSes write Open Graph with name= instead of property=.
    'meta[name="og:image"]',
    'meta[name="twitter:image"]',
    'meta[property="twitter:image"]',
    'link[rel="image_src"]',
  ];
  for (const selector of candidates) {
    const element = doc.querySelector(selector);
    const raw = element?.getAttribute(selector.startsWith("link") ? "href" : "content")?.trim();
    if (!raw) continue;
    const url = cleanLink(raw, base);
    if (url && url.length <= MAX_IMAGE_URL_CHARS) return url;
  }
  return undefined;
}

function resolveBase(href: string | null | undefined, pageUrl: string): string {
  if (!href) return pageUrl;
  try {
    return new URL(href, pageUrl).toString();
  } catch {
    return pageUrl;
  }
}

/** The text of the article element, a line per block, and how much of it is link text. */
function plainText(root: DomNode): { text: string; linkChars: number } {
  const parts: string[] = [];
  let linkChars = 0;
  const walk = (node: DomNode, inLink: boolean) => {
    if (node.nodeType === TEXT_NODE) {
      const value = node.nodeValue ?? "";
      parts.push(value);
      if (inLink) linkChars += value.trim().length;
      return;
    }
    if (node.nodeType !== ELEMENT_NODE) return;
    const name = node.nodeName.toUpperCase();
    const block = BLOCK_ELEMENTS.has(name);
    if (block) parts.push("\n");
    for (let i = 0; i < node.childNodes.length; i++) {
      const child = node.childNodes[i];
      if (child) walk(child, inLink || name === "A");
    }
    if (block) parts.push("\n");
  };
  walk(root, false);
  const text = parts
    .join("")
    .split("\n")
    .map((line) => line.replace(/[\s\u00a0]+/g, " ").trim())
    .filter((line) => line.length > 0)
    .join("\n");
  return { text, linkChars };
}

function cut(text: string): string {
  if (text.length <= MAX_ARTICLE_CHARS) return text;
  const head = text.slice(0, MAX_ARTICLE_CHARS);
  const lastSpace = head.lastIndexOf(" ");
  return lastSpace > MAX_ARTICLE_CHARS - 200 ? head.slice(0, lastSpace) : head;
}

/**
 * Fetches an article page and extracts it. Bounded: `timeoutMs` for the whole request, a body
 * cap, at most 5 redirects, the bot's User-Agent (src/http/fetchBytes.ts). The charset comes
 * from a BOM, the Content-Type, or the page's own `<meta charset>`. Every failure is a value
 * with a reason from ARTICLE_PAGE_FAILURES and a detail for logs. Never throws.
 */
export async function fetchArticlePage(url: string, options: ArticlePageOptions): Promise<ArticlePageResult> {
  const link = cleanLink(url);
  if (!link) return { ok: false, reason: "bad-url", detail: `not an http(s) link: ${url.slice(0, 200)}` };
  const maxBytes = options.maxBytes ?? DEFAULT_ARTICLE_MAX_BYTES;
  let response: Awaited<ReturnType<typeof fetchBytes>>;
  try {
    response = await fetchBytes(link, {
      timeoutMs: options.timeoutMs,
      maxBytes,
      headers: { accept: PAGE_ACCEPT },
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (err) {
    if (err instanceof FetchFailure) return { ok: false, reason: err.kind, detail: err.message };
    return { ok: false, reason: "network", detail: errorText(err) };
  }
  if (response.status < 200 || response.status >= 300) {
    return { ok: false, reason: "http-status", detail: `HTTP ${response.status}` };
  }
  const contentType = response.headers.get("content-type");
  if (contentType && !HTML_TYPE.test(contentType)) {
    return { ok: false, reason: "not-html", detail: `Content-Type ${contentType.slice(0, 100)}` };
  }
  const html = decodeBody(response.body, pageCharsetType(response.body, contentType)).text;
  const extract = extractArticle(html, response.url);
  if (!extract.text) {
    return {
      ok: false,
      reason: HTML_START.test(html.slice(0, 1_024).replace(/^\uFEFF/, "")) ? "no-article" : "not-html",
      detail: "no main text found on the page",
    };
  }
  return { ok: true, text: extract.text, image: extract.image, url: response.url };
}

/**
 * The Content-Type to decode with: the header when it names a charset, else the page's meta
 * charset as if the header had said it (decodeBody's order: BOM, XML prolog, header, UTF-8).
 */
function pageCharsetType(body: Buffer, contentType: string | null): string | null {
  if (contentType && CONTENT_TYPE_CHARSET.test(contentType)) return contentType;
  const match = META_CHARSET.exec(body.subarray(0, META_WINDOW).toString("latin1"));
  const charset = match?.[1] ?? match?.[2];
  return charset ? `text/html; charset=${charset}` : contentType;
}
