import { describe, expect, it } from "vitest";
import type { CycleReport } from "../../../src/news/pollCycle.js";
import { createMetrics, recordPollCycle } from "../../../src/server/metrics.js";

function report(droppedReasons: CycleReport["droppedReasons"]): CycleReport {
  return {
    startedAt: "2026-04-01T12:00:00.000Z",
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
    droppedReasons,
    acceptedStoryIds: [],
    decisions: [],
  };
}

describe("kzuz_feed_items_dropped_total", () => {
  it("counts the reader's drops by reason, every reason present from the start", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const before = await metrics.registry.getSingleMetricAsString("kzuz_feed_items_dropped_total");
    expect(before).toMatch(/kzuz_feed_items_dropped_total\{reason="no-title-or-link"\} 0/);
    recordPollCycle(metrics, report({ "no-title-or-link": 3, "listed-twice": 1 }));
    recordPollCycle(metrics, report({ "listed-twice": 2 }));
    recordPollCycle(metrics, report(undefined));
    const text = await metrics.registry.getSingleMetricAsString("kzuz_feed_items_dropped_total");
    expect(text).toMatch(/kzuz_feed_items_dropped_total\{reason="no-title-or-link"\} 3/);
    expect(text).toMatch(/kzuz_feed_items_dropped_total\{reason="listed-twice"\} 3/);
  });
});
