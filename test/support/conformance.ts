/**
 * Runs the project's feed reader (readFeedBody, the pipeline after the network, and decodeBody)
 * over the peer corpus and scores it against each peer's stated expectations. Used by
 * test/unit/news/conformance.test.ts; the figures it prints are the ones in docs/feeds.md.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import iconv from "iconv-lite";
import { decodeBody } from "../../src/news/decode.js";
import { readFeedBody } from "../../src/news/fetchFeed.js";
import { htmlToText } from "../../src/news/normalise.js";
import type { NormalisedItem } from "../../src/news/types.js";
import {
  type CorpusEntry,
  corpusDir,
  isFeedFile,
  loadCorpusIndex,
  type PeerExpectation,
  peerExpectation,
  SUITES,
  type Suite,
} from "./feedCorpus.js";

/** Far enough ahead that no corpus date counts as "in the future". */
const NOW = new Date("2030-01-01T00:00:00Z");
/** The base the corpus files are read at; relative links resolve against it on both sides. */
const BASE = "https://corpus.invalid/";
/**
 * "Never more than a moment" per file: a hang detector, with room for a loaded 2-core CI
 * machine (the slowest file, 1.6 MB with 730 items, takes about 0.5 s on an idle one).
 */
export const SLOW_FILE_MS = 5000;

export type Tally = { matched: number; stated: number };

export type SuiteFigures = {
  suite: Suite;
  files: number;
  read: number;
  failed: number;
  crashes: number;
  slow: number;
  /** Items out on files whose peer states a count, against that count. */
  itemsOut: number;
  peerItems: number;
  /** Of the peer's items, those with a title, link or summary (an item with none is dropped by design). */
  peerKeepable: number;
  countFilesMatched: number;
  countFilesStated: number;
  titles: Tally;
  links: Tally;
  dates: Tally;
  encodings: Tally;
  /** `<item>`/`<entry>` elements in the text, items out, items dropped with a reason. */
  elements: number;
  itemsAll: number;
  droppedWithReason: number;
  slowestMs: number;
  /** Peer statements about items dropped by design (no title, no link), not compared. */
  onDroppedItems: number;
};

export type FileResult = {
  suite: Suite;
  file: string;
  ms: number;
  crash?: string;
  failed?: string;
  items: NormalisedItem[];
  dropped: number;
  elements: number;
  expectation: PeerExpectation;
  mismatches: string[];
  encodingOk?: boolean;
};

export type ConformanceRun = { figures: SuiteFigures[]; files: FileResult[] };

/** Reads every feed file of the corpus through the reader and compares. Throws if the corpus is missing. */
export async function runConformance(): Promise<ConformanceRun> {
  const dir = corpusDir();
  const index = loadCorpusIndex(dir);
  const figures: SuiteFigures[] = [];
  const files: FileResult[] = [];
  for (const suite of SUITES) {
    const f = emptyFigures(suite);
    for (const entry of index[suite]) {
      if (!isFeedFile(entry)) continue;
      const result = await readOne(suite, entry, dir);
      files.push(result);
      tallyFile(f, result);
    }
    figures.push(f);
  }
  return { figures, files };
}

function emptyFigures(suite: Suite): SuiteFigures {
  const tally = () => ({ matched: 0, stated: 0 });
  return {
    suite,
    files: 0,
    read: 0,
    failed: 0,
    crashes: 0,
    slow: 0,
    itemsOut: 0,
    peerItems: 0,
    peerKeepable: 0,
    countFilesMatched: 0,
    countFilesStated: 0,
    titles: tally(),
    links: tally(),
    dates: tally(),
    encodings: tally(),
    elements: 0,
    itemsAll: 0,
    droppedWithReason: 0,
    slowestMs: 0,
    onDroppedItems: 0,
  };
}

const ITEM_ELEMENT = /<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s>/]/g;

async function readOne(suite: Suite, entry: CorpusEntry, dir: string): Promise<FileResult> {
  const bytes = readFileSync(join(dir, entry.file));
  const expectation = peerExpectation(suite, entry, dir, bytes);
  const contentType = expectation.contentType ?? null;
  const source = { id: "corpus", outlet: "corpus", language: "en" as const, url: `${BASE}${entry.file}` };
  const result: FileResult = {
    suite,
    file: entry.file,
    ms: 0,
    items: [],
    dropped: 0,
    elements: 0,
    expectation,
    mismatches: [],
  };
  const started = performance.now();
  try {
    const decoded = decodeBody(bytes, contentType);
    result.elements = decoded.text.match(ITEM_ELEMENT)?.length ?? 0;
    const read = await readFeedBody(source, bytes, contentType, NOW);
    result.ms = performance.now() - started;
    if (read.ok) {
      result.items = read.items;
      const dropped = (read as { dropped?: unknown[] }).dropped;
      result.dropped = Array.isArray(dropped) ? dropped.length : 0;
    } else {
      result.failed = read.reason;
      // An internal fault reported as a feed error is a crash, not a verdict on the feed.
      if (/TypeError|Cannot read|undefined|unexpected error/i.test(read.reason)) result.crash = read.reason;
    }
    if (expectation.encodingCase)
      result.encodingOk = encodingMatches(bytes, contentType, decoded.text, expectation, read.ok);
  } catch (err) {
    result.ms = performance.now() - started;
    result.crash = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  }
  return result;
}

function tallyFile(f: SuiteFigures, r: FileResult): void {
  f.files++;
  f.slowestMs = Math.max(f.slowestMs, r.ms);
  if (r.ms > SLOW_FILE_MS) f.slow++;
  if (r.crash) f.crashes++;
  else if (r.failed) f.failed++;
  else f.read++;
  f.elements += r.elements;
  f.itemsAll += r.items.length;
  f.droppedWithReason += r.dropped;
  const e = r.expectation;
  if (e.itemCount !== undefined) {
    f.countFilesStated++;
    f.peerItems += e.itemCount;
    f.peerKeepable += e.keepableCount ?? e.itemCount;
    f.itemsOut += r.items.length;
    if (r.items.length === (e.keepableCount ?? e.itemCount)) f.countFilesMatched++;
  }
  for (const [index, peer] of e.items) {
    const ours = r.items[index];
    // A field the peer states on an item we drop by design (no title, no link) is not compared.
    if (!ours && r.dropped > 0 && r.items.length < index + 1) {
      f.onDroppedItems++;
      continue;
    }
    if (peer.title !== undefined) {
      f.titles.stated++;
      if (ours && sameText(ours.title, peer.title)) f.titles.matched++;
      else
        r.mismatches.push(`title[${index}]: ${JSON.stringify(ours?.title)} vs ${JSON.stringify(peer.title)}`);
    }
    if (peer.link !== undefined) {
      f.links.stated++;
      if (ours && sameLink(ours.link, peer.link, `${BASE}${r.file}`)) f.links.matched++;
      else r.mismatches.push(`link[${index}]: ${JSON.stringify(ours?.link)} vs ${JSON.stringify(peer.link)}`);
    }
    if (peer.date !== undefined) {
      f.dates.stated++;
      const instant = ours && !ours.publishedEstimated ? Date.parse(ours.published) : undefined;
      if (instant !== undefined && Math.abs(instant - peer.date) < 1000) f.dates.matched++;
      else
        r.mismatches.push(
          `date[${index}]: ${ours ? (ours.publishedEstimated ? "untrusted" : ours.published) : "no item"} vs ${new Date(peer.date).toISOString()}`,
        );
    }
  }
  if (r.encodingOk !== undefined) {
    f.encodings.stated++;
    if (r.encodingOk) f.encodings.matched++;
    else r.mismatches.push("encoding");
  }
}

function sameText(ours: string, peer: string): boolean {
  const a = htmlToText(ours);
  const b = htmlToText(peer);
  if (a === b) return true;
  // A golden summary cut with "…" (feed-rs index), or our 300-character cap.
  if (b.endsWith("…") && a.startsWith(b.slice(0, -1).trimEnd())) return true;
  if (a.endsWith("…") && b.startsWith(a.slice(0, -1).trimEnd())) return true;
  return false;
}

function sameLink(ours: string, peer: string, base: string): boolean {
  const canon = (link: string) => {
    try {
      const url = new URL(link.trim(), base);
      return url.href.replace(/\/$/, "");
    } catch {
      return link.trim();
    }
  };
  return ours !== "" && canon(ours) === canon(peer);
}

/** Python codec names used by feedparser's expectations → iconv-lite names. */
function iconvName(python: string): string {
  const name = python.toLowerCase().replace(/_/g, "-");
  if (name === "us-ascii" || name === "iso-8859-1") return "windows-1252";
  if (name === "gb2312") return "gb18030";
  if (name === "tis-620") return "windows-874";
  return name;
}

function encodingMatches(
  bytes: Buffer,
  contentType: string | null,
  text: string,
  expectation: PeerExpectation,
  parsed: boolean,
): boolean {
  if (expectation.mustContain.length > 0) {
    return expectation.mustContain.every((run) => text.includes(run) || htmlToText(text).includes(run));
  }
  if (expectation.encoding !== undefined) {
    const name = iconvName(expectation.encoding);
    if (!iconv.encodingExists(name)) return parsed;
    let reference = iconv.decode(bytes, name);
    if (reference.charCodeAt(0) === 0xfeff) reference = reference.slice(1);
    return reference === text;
  }
  // No stated charset (the UTF-16/32 family): the document must come out as a feed.
  void contentType;
  return parsed && text.trimStart().startsWith("<");
}

// ------------------------------------------------------------------ printing

function pct(t: Tally): string {
  return t.stated === 0 ? "–" : `${t.matched}/${t.stated}`;
}

/** The per-suite table, as Markdown (the same lines go into docs/feeds.md). */
export function formatTable(figures: readonly SuiteFigures[]): string {
  const lines = [
    "| suite | files | read | declared broken | crashes | slow (>5 s) | items out / peer count (keepable) | files with the peer's count | titles | links | dates | encoding cases | items out + dropped with a reason / `<item>`,`<entry>` elements |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const f of figures) {
    lines.push(
      `| ${f.suite} | ${f.files} | ${f.read} | ${f.failed} | ${f.crashes} | ${f.slow} | ${f.itemsOut} / ${f.peerItems} (${f.peerKeepable}) | ${f.countFilesMatched}/${f.countFilesStated} | ${pct(f.titles)} | ${pct(f.links)} | ${pct(f.dates)} | ${pct(f.encodings)} | ${f.itemsAll} + ${f.droppedWithReason} / ${f.elements} |`,
    );
  }
  return lines.join("\n");
}

// ------------------------------------------------------------------ mangled copies

const BREAKAGES = [
  "<",
  ">",
  "</item>",
  "<entry>",
  "<![CDATA[",
  "]]>",
  "&",
  "<link/>",
  '<title type="xhtml">',
  "</channel>",
  "<rss>",
];

/**
 * Reads `count` mangled copies of corpus files (cut short, bytes overwritten, a span removed,
 * stray markup inserted), chosen by a fixed seed so a failure can be replayed. Returns each
 * copy that made the reader throw or report an internal fault, and the slowest time.
 */
export async function readMangledCopies(
  count: number,
  seed = 42,
): Promise<{ faults: string[]; slowestMs: number }> {
  const dir = corpusDir();
  const index = loadCorpusIndex(dir);
  const files = SUITES.flatMap((suite) => index[suite].filter(isFeedFile).map((e) => e.file));
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
  const faults: string[] = [];
  let slowestMs = 0;
  const source = { id: "corpus", outlet: "corpus", language: "en" as const, url: BASE };
  for (let k = 0; k < count; k++) {
    const file = files[Math.floor(random() * files.length)] ?? "";
    let bytes = Buffer.from(readFileSync(join(dir, file)));
    const mode = k % 4;
    if (mode === 0) bytes = bytes.subarray(0, Math.floor(random() * bytes.length));
    else if (mode === 1)
      for (let i = 0; i < 5; i++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
    else {
      let text = bytes.toString(mode === 2 ? "latin1" : "utf8");
      if (mode === 2) {
        const [a, b] = [Math.floor(random() * text.length), Math.floor(random() * text.length)];
        text = text.slice(0, Math.min(a, b)) + text.slice(Math.max(a, b));
      } else {
        for (let i = 0; i < 4; i++) {
          const at = Math.floor(random() * text.length);
          text = text.slice(0, at) + BREAKAGES[Math.floor(random() * BREAKAGES.length)] + text.slice(at);
        }
      }
      bytes = Buffer.from(text, mode === 2 ? "latin1" : "utf8");
    }
    const started = performance.now();
    try {
      const read = await readFeedBody(source, bytes, null, NOW);
      if (!read.ok && /TypeError|Cannot read|is not a function|could not be read/i.test(read.reason)) {
        faults.push(`${file} (copy ${k}, mode ${mode}): ${read.reason}`);
      }
    } catch (err) {
      faults.push(`${file} (copy ${k}, mode ${mode}): threw ${String(err)}`);
    }
    slowestMs = Math.max(slowestMs, performance.now() - started);
  }
  return { faults, slowestMs };
}
