/**
 * The reader against the test suites of five other feed parsers (../shared/corpora/feeds, read in
 * place). Prints the per-suite table kept in docs/feeds.md. Fails, rather than skips, when the
 * corpus is missing.
 */
import { describe, expect, it } from "vitest";
import {
  type ConformanceRun,
  formatTable,
  readMangledCopies,
  runConformance,
  SLOW_FILE_MS,
} from "../../support/conformance.js";
import { corpusDir } from "../../support/feedCorpus.js";

// Run once, on first use, so that a missing corpus fails every test (with the message saying
// where it was looked for) instead of leaving them skipped.
let pending: Promise<ConformanceRun> | undefined;
let run: ConformanceRun;
async function conformance(): Promise<ConformanceRun> {
  pending ??= runConformance().then((result) => {
    console.log(
      `Feed reader against the peer corpora (${new Date().toISOString().slice(0, 10)}):\n${formatTable(result.figures)}`,
    );
    return result;
  });
  run = await pending;
  return run;
}

const ratio = (t: { matched: number; stated: number }) => (t.stated === 0 ? 1 : t.matched / t.stated);

describe("the feed reader over the peer corpora", () => {
  it("finds the corpus at ../shared/corpora/feeds (or FEED_CORPUS_DIR)", () => {
    expect(() => corpusDir()).not.toThrow();
  });

  it("never throws, never reports an internal fault as a feed error, and takes a moment per file", async () => {
    await conformance();
    const crashes = run.files.filter((f) => f.crash).map((f) => `${f.file}: ${f.crash}`);
    expect(crashes).toEqual([]);
    const slow = run.files.filter((f) => f.ms > SLOW_FILE_MS).map((f) => `${f.file}: ${Math.round(f.ms)} ms`);
    expect(slow).toEqual([]);
  });

  it("reads every file of every suite (1,700 files)", async () => {
    await conformance();
    expect(run.files.length).toBeGreaterThan(1200);
    for (const f of run.figures) expect(f.files, f.suite).toBeGreaterThan(0);
  });

  it("accounts for every item: each is passed on or dropped with a reason", async () => {
    await conformance();
    // Distinct guids or links never merge: the items out plus those dropped with a reason cover
    // the `<item>`/`<entry>` elements of every document read (elements in CDATA are counted too).
    const lost = run.files
      .filter((f) => !f.failed && !f.crash && f.items.length + f.dropped < f.elements)
      // node-feedparser's illegally-nested.xml: the peer, too, ignores the items nested in items.
      .filter((f) => f.items.length !== f.expectation.itemCount)
      .map((f) => `${f.file}: ${f.items.length} + ${f.dropped} dropped of ${f.elements}`);
    expect(lost).toEqual([]);
  });

  it("gives the peers' item counts, titles, links and dates", async () => {
    await conformance();
    for (const f of run.figures) {
      expect(f.countFilesMatched, `${f.suite} files with the peer's count`).toBeGreaterThanOrEqual(
        Math.floor(f.countFilesStated * 0.95),
      );
      expect(ratio(f.titles), `${f.suite} titles`).toBeGreaterThanOrEqual(0.9);
      expect(ratio(f.dates), `${f.suite} dates`).toBeGreaterThanOrEqual(0.9);
      expect(ratio(f.links), `${f.suite} links`).toBeGreaterThanOrEqual(0.7);
    }
  });

  it("decodes feedparser's encoding cases", async () => {
    await conformance();
    const feedparser = run.figures.find((f) => f.suite === "feedparser");
    expect(feedparser?.encodings.stated).toBeGreaterThan(80);
    expect(ratio(feedparser?.encodings ?? { matched: 0, stated: 1 })).toBeGreaterThanOrEqual(0.95);
  });

  it("keeps all 131 items of rss-parser's itunes-missing-image.rss (one link, distinct guids)", async () => {
    await conformance();
    const file = run.files.find((f) => f.file === "rss-parser/itunes-missing-image.rss");
    expect(file?.items).toHaveLength(131);
    expect(new Set(file?.items.map((i) => i.id)).size).toBe(131);
  });

  it("survives 800 truncated and mangled copies of the corpus files without an internal fault", async () => {
    const { faults, slowestMs } = await readMangledCopies(800);
    expect(faults).toEqual([]);
    expect(slowestMs).toBeLessThan(SLOW_FILE_MS);
  });
});
