/**
 * The peer feed-parser corpus (`../shared/corpora/feeds/` beside the repository): 1,700 feed
 * files from the test suites of rss-parser, node-feedparser, Python's feedparser, gofeed and
 * feed-rs, with what each suite expects of them. The files are other people's work under their own
 * licences: they are read in place, never copied into the project.
 *
 * This module finds the corpus and turns each peer's way of stating an expectation (gofeed's golden
 * `.json`, feedparser's `Header:` and `Expect:` comment lines, the golden summaries in `index.json`)
 * into one shape, `PeerExpectation`, that the conformance test compares the reader against.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Where the corpus lives: beside the repository, as on the CI machine and in /work/main. */
export const CORPUS_RELATIVE_PATH = "../shared/corpora/feeds";

/**
 * The corpus directory: `FEED_CORPUS_DIR` when set (a git worktree sits elsewhere than the main
 * checkout), else `../shared/corpora/feeds` relative to the repository root. Throws, with what to
 * do, when it is not there: a conformance test without its corpus must fail, not pass quietly.
 */
export function corpusDir(): string {
  const dir =
    process.env.FEED_CORPUS_DIR ?? sharedBesideAnAncestor() ?? resolve(REPO_ROOT, CORPUS_RELATIVE_PATH);
  if (!existsSync(join(dir, "index.json"))) {
    throw new Error(
      `The peer feed corpus is missing: no index.json in ${dir}. It is expected at ${CORPUS_RELATIVE_PATH} relative to the repository root (set FEED_CORPUS_DIR to its path when the checkout is elsewhere, e.g. a git worktree).`,
    );
  }
  return dir;
}

/**
 * `shared/corpora/feeds` beside the repository or beside one of its parent folders: a clone made
 * one level deeper (a CI checkout in a scratch folder next to the main one) still finds it.
 */
function sharedBesideAnAncestor(): string | undefined {
  for (let dir = REPO_ROOT; ; dir = dirname(dir)) {
    const candidate = resolve(dir, CORPUS_RELATIVE_PATH);
    if (existsSync(join(candidate, "index.json"))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

const entrySchema = z.object({
  file: z.string(),
  repo: z.string(),
  path: z.string(),
  fmt: z.string(),
  enc: z.string(),
  expect: z.string(),
  note: z.string(),
  size: z.number(),
});
export type CorpusEntry = z.infer<typeof entrySchema>;

export const SUITES = ["rss-parser", "node-feedparser", "feedparser", "gofeed", "feed-rs"] as const;
export type Suite = (typeof SUITES)[number];

const indexSchema = z.record(z.enum(SUITES), z.array(entrySchema));

export function loadCorpusIndex(dir: string): Record<Suite, CorpusEntry[]> {
  const parsed = indexSchema.parse(JSON.parse(readFileSync(join(dir, "index.json"), "utf8")));
  const out = {} as Record<Suite, CorpusEntry[]>;
  for (const suite of SUITES) out[suite] = parsed[suite] ?? [];
  return out;
}

/** What the peer expects of one item; absent fields are not stated. */
export type PeerItem = {
  title?: string;
  link?: string;
  /** An instant, in ms since the epoch. */
  date?: number;
};

/** What a peer states about one feed file, in one shape for every suite. */
export type PeerExpectation = {
  /** The HTTP Content-Type the peer's test server sends with the file (feedparser `Header:`). */
  contentType?: string;
  /** How many items the peer reads. */
  itemCount?: number;
  /** How many of them have a title, a link or a summary (the items we keep by design). */
  keepableCount?: number;
  /** Stated items, by position in the document. */
  items: Map<number, PeerItem>;
  /** feedparser's `encoding == '...'`: the charset the bytes are in (Python codec name). */
  encoding?: string;
  /** Text the decoded document must contain (non-ASCII values feedparser checks). */
  mustContain: string[];
  /** True for feedparser's encoding cases (tests/encoding, tests/illformed/chardet). */
  encodingCase: boolean;
};

/** Is this file a feed to read? Golden `.json` files, licences and the index are not. */
export function isFeedFile(entry: CorpusEntry): boolean {
  return !/\.(json|upstream|md)$/.test(entry.file) && !entry.fmt.startsWith("golden JSON");
}

export function peerExpectation(
  suite: Suite,
  entry: CorpusEntry,
  dir: string,
  bytes: Buffer,
): PeerExpectation {
  const expectation: PeerExpectation = { items: new Map(), mustContain: [], encodingCase: false };
  switch (suite) {
    case "gofeed":
      readGofeedGolden(expectation, join(dir, entry.file.replace(/\.xml$/, ".json")));
      break;
    case "feedparser":
      readFeedparserHeader(expectation, entry, bytes);
      break;
    case "rss-parser":
    case "feed-rs":
      readGoldenSummary(expectation, entry.expect);
      break;
    case "node-feedparser":
      readNodeFeedparserAsserts(expectation, entry);
      break;
  }
  return expectation;
}

// ------------------------------------------------------------------ gofeed

// gofeed's golden files mix shapes (a content may be an object); only strings are compared.
const gofeedItemSchema = z.record(z.string(), z.unknown());
const gofeedSchema = z
  .object({ items: z.array(gofeedItemSchema).optional(), entries: z.array(gofeedItemSchema).optional() })
  .passthrough();
type GofeedItem = z.infer<typeof gofeedItemSchema>;

function str(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return str(value[0]);
  return undefined;
}

function readGofeedGolden(expectation: PeerExpectation, jsonPath: string): void {
  if (!existsSync(jsonPath)) return;
  const golden = gofeedSchema.parse(JSON.parse(readFileSync(jsonPath, "utf8")));
  const items = golden.items ?? golden.entries ?? [];
  expectation.itemCount = items.length;
  expectation.keepableCount = items.filter(
    (i) => nonEmpty(str(i.title)) || nonEmpty(linkOf(i)) || hasSummary(i),
  ).length;
  items.forEach((item, index) => {
    const peer: PeerItem = {};
    const title = str(item.title);
    if (nonEmpty(title)) peer.title = title;
    const link = linkOf(item);
    if (nonEmpty(link)) peer.link = link;
    const date = str(item.pubDateParsed) ?? str(item.publishedParsed) ?? str(item.updatedParsed);
    if (date && Number.isFinite(Date.parse(date))) peer.date = Date.parse(date);
    if (Object.keys(peer).length > 0) expectation.items.set(index, peer);
  });
}

function linkOf(item: GofeedItem): string | undefined {
  const link = str(item.link);
  if (link) return link;
  const links = item.links;
  if (!Array.isArray(links)) return undefined;
  for (const l of links) {
    if (typeof l === "string") return l;
    if (l && typeof l === "object") {
      const { href, rel } = l as { href?: unknown; rel?: unknown };
      if (typeof href === "string" && (rel === undefined || rel === "alternate")) return href;
    }
  }
  return undefined;
}

function hasSummary(item: GofeedItem): boolean {
  const content = item.content;
  const contentValue =
    str(content) ??
    (content && typeof content === "object" ? str((content as { value?: unknown }).value) : undefined);
  const id = str(item.guid) ?? str(item.id);
  return (
    nonEmpty(str(item.description)) ||
    nonEmpty(contentValue) ||
    nonEmpty(str(item.summary)) ||
    // A URL id is also the item's link.
    (id !== undefined && /^https?:\/\//i.test(id))
  );
}

function nonEmpty(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== "";
}

// ------------------------------------------------------------------ feedparser

// The header comment of a feedparser test file: `Header:`, `Description:`, `Expect:` lines.
const HEADER_LINE = /^\s*(Header|Expect):\s*(.*)$/gm;
const CONTENT_TYPE_HEADER = /^Content-type:\s*(.*)$/i;
// Comparisons in an Expect expression that we can check: `<path> == <python string>`.
const PY_STRING = String.raw`('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")`;
const ENTRY_FIELD = new RegExp(
  String.raw`entries\[(\d+)\](?:\[|\.)'?(title|link|id|guid)'?\]?(?:\['value'\])?\s*==\s*u?${PY_STRING}`,
  "g",
);
const ENTRY_TITLE_DETAIL = new RegExp(
  String.raw`entries\[(\d+)\]\['title_detail'\]\['value'\]\s*==\s*u?${PY_STRING}`,
  "g",
);
const ENCODING_IS = new RegExp(String.raw`\bencoding\s*==\s*${PY_STRING}`);
const ANY_STRING_VALUE = new RegExp(String.raw`==\s*u?${PY_STRING}`, "g");
const PARSED_DATE = /entries\[(\d+)\]\['(?:published|updated|created)_parsed'\]\s*==\s*\(([\d,\s]+)\)/g;

function readFeedparserHeader(expectation: PeerExpectation, entry: CorpusEntry, bytes: Buffer): void {
  expectation.encodingCase = /^feedparser\/(encoding|illformed\/chardet)\//.test(entry.file);
  // The header comment is ASCII in every file, whatever the document's encoding (UTF-16/32
  // files are the exception: their Expect lines are read from the index instead).
  const head = bytes.subarray(0, 2048).toString("latin1");
  let expect = "";
  for (const match of head.matchAll(HEADER_LINE)) {
    if (match[1] === "Header") {
      const type = CONTENT_TYPE_HEADER.exec(match[2] ?? "")?.[1];
      if (type) expectation.contentType = type.trim();
    } else if (!expect) {
      expect = match[2] ?? "";
    }
  }
  if (!expect) expect = /Expect: (.*)$/.exec(entry.expect)?.[1] ?? "";

  const item = (index: number): PeerItem => {
    let peer = expectation.items.get(index);
    if (!peer) {
      peer = {};
      expectation.items.set(index, peer);
    }
    return peer;
  };
  for (const m of expect.matchAll(ENTRY_FIELD)) {
    const value = pythonString(m[3] ?? "");
    if (m[2] === "title") item(Number(m[1])).title = value;
    else if (m[2] === "link") item(Number(m[1])).link = value;
  }
  for (const m of expect.matchAll(ENTRY_TITLE_DETAIL)) item(Number(m[1])).title = pythonString(m[2] ?? "");
  for (const m of expect.matchAll(PARSED_DATE)) {
    const [y, mo, d, h, mi, s] = (m[2] ?? "").split(",").map((v) => Number(v.trim()));
    if (y !== undefined && mo !== undefined && d !== undefined) {
      item(Number(m[1])).date = Date.UTC(y, mo - 1, d, h ?? 0, mi ?? 0, s ?? 0);
    }
  }
  const encoding = ENCODING_IS.exec(expect)?.[1];
  if (encoding) expectation.encoding = pythonString(encoding);
  if (expectation.encodingCase) {
    for (const m of expect.matchAll(ANY_STRING_VALUE)) {
      const value = pythonString(m[1] ?? "");
      // Only the non-ASCII runs say anything about the charset.
      for (const run of value.match(/[\u0080-\u{10FFFF}]+/gu) ?? []) expectation.mustContain.push(run);
    }
  }
}

/** A Python string literal's value: `'\xa3\u201ctest'` → `£“test`. */
export function pythonString(literal: string): string {
  const body = literal.slice(1, -1);
  return body.replace(
    /\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|n|t|r|\\|'|")/g,
    (_m, esc: string) => {
      switch (esc[0]) {
        case "x":
        case "u":
        case "U":
          return String.fromCodePoint(Number.parseInt(esc.slice(1), 16));
        case "n":
          return "\n";
        case "t":
          return "\t";
        case "r":
          return "\r";
        default:
          return esc;
      }
    },
  );
}

// ------------------------------------------------------------------ rss-parser and feed-rs

const GOLDEN_COUNT = /, (\d+) (?:items|entries)\b/;
const GOLDEN_FIELD = new RegExp(
  String.raw`(?:items|entries)\[0\]\.(title|pubDate|published)=${PY_STRING}`,
  "g",
);

function readGoldenSummary(expectation: PeerExpectation, summary: string): void {
  const count = GOLDEN_COUNT.exec(summary)?.[1];
  if (count === undefined) return;
  expectation.itemCount = Number(count);
  const peer: PeerItem = {};
  for (const m of summary.matchAll(GOLDEN_FIELD)) {
    const value = pythonString(m[2] ?? "");
    if (m[1] === "title") {
      if (value !== "None") peer.title = value;
    } else {
      // rss-parser keeps an RSS date as its text and turns an Atom date into ISO; the peer reads
      // the text with `new Date`, so that is the instant it stands for.
      const instant = Date.parse(value.trim());
      if (Number.isFinite(instant)) peer.date = instant;
    }
  }
  if (Object.keys(peer).length > 0) expectation.items.set(0, peer);
}

// ------------------------------------------------------------------ node-feedparser

const ITEM_COUNT_ASSERT = /\bitemCount, (\d+)/;

function readNodeFeedparserAsserts(expectation: PeerExpectation, entry: CorpusEntry): void {
  // Its asserts are listed per test file, not per feed; only an item count named for one feed is
  // unambiguous.
  const count = ITEM_COUNT_ASSERT.exec(entry.expect)?.[1];
  if (count !== undefined) expectation.itemCount = Number(count);
}
