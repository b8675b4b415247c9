import { describe, expect, it } from "vitest";
import type { CycleReport } from "../../../src/news/pollCycle.js";
import { createMetrics, recordPollCycle } from "../../../src/server/metrics.js";

function report(articlePages: CycleReport["articlePages"]): CycleReport {
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
    ...(articlePages ? { articlePages } : {}),
    acceptedStoryIds: [],
    decisions: [],
  };
}

describe("kzuz_article_pages_total", () => {
  it("counts article pages by outcome, every outcome present from the start", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const name = "kzuz_article_pages_total";
    const before = await metrics.registry.getSingleMetricAsString(name);
    for (const outcome of ["read", "timeout", "no-article", "over-budget", "feed-has-text"]) {
      expect(before).toContain(`${name}{outcome="${outcome}"} 0`);
    }
    recordPollCycle(metrics, report({ read: 2, timeout: 1 }));
    recordPollCycle(metrics, report({ read: 1, "not-html": 1, "over-budget": 4 }));
    // ARTICLE_FETCH off: the report has no article pages and nothing is counted.
    recordPollCycle(metrics, report(undefined));
    const text = await metrics.registry.getSingleMetricAsString(name);
    expect(text).toContain(`${name}{outcome="read"} 3`);
    expect(text).toContain(`${name}{outcome="timeout"} 1`);
    expect(text).toContain(`${name}{outcome="not-html"} 1`);
    expect(text).toContain(`${name}{outcome="over-budget"} 4`);
    expect(text).toContain(`${name}{outcome="http-status"} 0`);
  });
});
