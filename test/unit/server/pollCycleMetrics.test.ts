import { describe, expect, it } from "vitest";
import type { CycleReport } from "../../../src/news/pollCycle.js";
import { createMetrics, recordPollCycle } from "../../../src/server/metrics.js";

/** An empty cycle's report with the given parts: the counters below read only those. */
function report(parts: Pick<CycleReport, "articlePages" | "droppedReasons">): CycleReport {
  return {
    startedAt: "2026-12-03T10:00:00.000Z",
    durationMs: 1,
    feeds: [],
    totals: {
      feeds: 0,
      fetched: 0,
      notModified: 0,
      failed: 0,
      backingOff: 0,
      items: 0,
      newItems: 0,
      accepted: 0,
      rejected: 0,
      merged: 0,
      sinkFailures: 0,
    },
    rejectionReasons: {},
    ...parts,
    acceptedStoryIds: [],
    decisions: [],
  };
}

describe("kzuz_feed_items_dropped_total", () => {
  it("counts the reader's drops by reason, every reason present from the start", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const before = await metrics.registry.getSingleMetricAsString("kzuz_feed_items_dropped_total");
    expect(before).toMatch(/kzuz_feed_items_dropped_total\{reason="no-title-or-link"\} 0/);
    recordPollCycle(metrics, report({ droppedReasons: { "no-title-or-link": 3, "listed-twice": 1 } }));
    recordPollCycle(metrics, report({ droppedReasons: { "listed-twice": 2 } }));
    recordPollCycle(metrics, report({}));
    const text = await metrics.registry.getSingleMetricAsString("kzuz_feed_items_dropped_total");
    expect(text).toMatch(/kzuz_feed_items_dropped_total\{reason="no-title-or-link"\} 3/);
    expect(text).toMatch(/kzuz_feed_items_dropped_total\{reason="listed-twice"\} 3/);
  });
});

describe("kzuz_article_pages_total", () => {
  it("counts article pages by outcome, every outcome present from the start", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const name = "kzuz_article_pages_total";
    const before = await metrics.registry.getSingleMetricAsString(name);
    for (const outcome of ["read", "timeout", "no-article", "over-budget", "feed-has-text"]) {
      expect(before).toContain(`${name}{outcome="${outcome}"} 0`);
    }
    recordPollCycle(metrics, report({ articlePages: { read: 2, timeout: 1 } }));
    recordPollCycle(metrics, report({ articlePages: { read: 1, "not-html": 1, "over-budget": 4 } }));
    // ARTICLE_FETCH off: the report has no article pages and nothing is counted.
    recordPollCycle(metrics, report({}));
    const text = await metrics.registry.getSingleMetricAsString(name);
    expect(text).toContain(`${name}{outcome="read"} 3`);
    expect(text).toContain(`${name}{outcome="timeout"} 1`);
    expect(text).toContain(`${name}{outcome="not-html"} 1`);
    expect(text).toContain(`${name}{outcome="over-budget"} 4`);
    expect(text).toContain(`${name}{outcome="http-status"} 0`);
  });
});
