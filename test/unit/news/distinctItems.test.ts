import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { MemoryFeedHealthStore } from "../../../src/news/feedHealth.js";
import { type FeedFetchResult, readFeedBody } from "../../../src/news/fetchFeed.js";
import { legacyItemId } from "../../../src/news/normalise.js";
import { BACKLOG_REASON, runPollCycle } from "../../../src/news/pollCycle.js";
import { MemoryStoryStore } from "../../../src/news/storyStore.js";
import type { FeedConfig } from "../../../src/news/types.js";

const NOW = new Date("2026-04-01T12:00:00Z");
const FEED: FeedConfig = {
  id: "sn",
  url: "https://a.test/rss",
  outlet: "SN",
  language: "en",
  defaultTopics: [],
};

// The RSS 2.0 specification's sample: every item has the same page as link, told apart only by
// the fragment of its permalink guid.
const SCRIPTING_NEWS = `<rss version="2.0"><channel><title>Scripting News</title>
${[1, 2, 3]
  .map(
    (n) => `<item><title>Item ${n}</title><link>http://scripting.com/2026/04/01.html</link>
  <guid>http://scripting.com/2026/04/01.html#When:${n}:00:00AM</guid><pubDate>Wed, 01 Apr 2026 0${n}:00:00 GMT</pubDate></item>`,
  )
  .join("\n")}
<item><title>Item 1</title><link>http://scripting.com/2026/04/01.html</link><guid>http://scripting.com/2026/04/01.html#When:1:00:00AM</guid></item>
<item><guid>urn:x:nothing-to-show</guid></item>
<item><title>Same guid A</title><link>https://a.test/a</link><guid>urn:x:repeated</guid></item>
<item><title>Same guid B</title><link>https://a.test/b</link><guid>urn:x:repeated</guid></item>
</channel></rss>`;

async function read() {
  const result = await readFeedBody(FEED, Buffer.from(SCRIPTING_NEWS), null, NOW);
  if (!result.ok) throw new Error(result.reason);
  return result;
}

describe("ids that never merge two stories", () => {
  it("keeps items told apart by the fragment of their guid, and items that share a guid", async () => {
    const result = await read();
    expect(result.items.map((i) => i.title)).toEqual([
      "Item 1",
      "Item 2",
      "Item 3",
      "Same guid A",
      "Same guid B",
    ]);
    expect(new Set(result.items.map((i) => i.id)).size).toBe(5);
    expect(result.items[1]?.id).toBe("url:https://scripting.com/2026/04/01.html#When:2:00:00AM");
    expect(result.items[1]?.link).toBe("http://scripting.com/2026/04/01.html");
    expect(result.renamed.map((r) => [r.sharedId, r.id])).toEqual([
      ["guid:sn:urn:x:repeated", "url:https://a.test/a"],
      ["guid:sn:urn:x:repeated", "url:https://a.test/b"],
    ]);
    expect(result.dropped.map((d) => d.reason)).toEqual(["no-title-or-link", "listed-twice"]);
  });

  it("carries the old id, marking the items an old version never judged (not first to carry it)", async () => {
    const result = await read();
    const page = legacyItemId(undefined, "http://scripting.com/2026/04/01.html", "sn", "", "");
    expect(result.items.map((i) => [i.legacyId, i.legacyIdShared ?? false])).toEqual([
      [page, false],
      [page, true],
      [page, true],
      ["guid:sn:urn:x:repeated", false],
      ["guid:sn:urn:x:repeated", true],
    ]);
  });
});

describe("poll cycle: drops accounted, upgrade re-sends nothing", () => {
  async function cycle(store: MemoryStoryStore, health: MemoryFeedHealthStore, explain = true) {
    const accepted: string[] = [];
    const fetchFeed = async (): Promise<FeedFetchResult> => {
      const r = await read();
      return {
        kind: "ok",
        items: r.items,
        cache: {},
        encoding: r.encoding,
        format: r.format,
        dropped: r.dropped,
        renamed: r.renamed,
      };
    };
    const report = await runPollCycle(
      {
        feeds: [FEED],
        fetchFeed,
        classify: () => ({ relevant: true, topics: [], reason: "test" }),
        store,
        health,
        sink: { accept: async (s) => void accepted.push(s.id) },
        logger: pino({ level: "silent" }),
        options: { backlogHours: undefined, explain },
      },
      NOW,
    );
    return { report, accepted };
  }

  it("lists every dropped and renamed item in the report, counted by reason", async () => {
    const { report, accepted } = await cycle(new MemoryStoryStore(), new MemoryFeedHealthStore());
    expect(accepted).toHaveLength(5);
    expect(report.droppedReasons).toEqual({ "no-title-or-link": 1, "listed-twice": 1 });
    expect(report.totals.dropped).toBe(2);
    expect(report.decisions.map((d) => d.decision).sort()).toEqual([
      "dropped",
      "dropped",
      "renamed",
      "renamed",
    ]);
  });

  it("does not deliver again what an older version delivered under the link-based id", async () => {
    const store = new MemoryStoryStore();
    // What the previous version claimed: one id per link, fragments cut.
    await store.markSeen(
      [
        legacyItemId(undefined, "http://scripting.com/2026/04/01.html", "sn", "", ""),
        "guid:sn:urn:x:repeated",
      ],
      NOW,
    );
    const { accepted, report } = await cycle(store, new MemoryFeedHealthStore());
    expect(report.rejectionReasons).toEqual({ [BACKLOG_REASON]: 1 });
    // Item 1 and Same guid A were delivered before. Items 2, 3 and Same guid B were never seen by
    // the old version: the recent ones are delivered now, the undated one is not trusted to be.
    expect(accepted).toEqual([
      "url:https://scripting.com/2026/04/01.html#When:2:00:00AM",
      "url:https://scripting.com/2026/04/01.html#When:3:00:00AM",
    ]);
    const again = await cycle(store, new MemoryFeedHealthStore());
    expect(again.accepted).toEqual([]);
  });
});
