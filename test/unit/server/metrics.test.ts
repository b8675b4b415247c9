import type { Transformer } from "grammy";
import { describe, expect, it } from "vitest";
import { BACKLOG_REASON, type CycleReport, type FeedOutcome } from "../../../src/news/pollCycle.js";
import {
  countTelegram429,
  createMetrics,
  MAX_FEED_LABELS,
  type Metrics,
  recordDeliveryEvent,
  recordPollCycle,
  recordRatesResult,
  type StoryRejectReason,
  timeUpdates,
} from "../../../src/server/metrics.js";

/** The value of one series, read from the registry as Prometheus would. */
async function seriesValue(
  metrics: Metrics,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const metric = metrics.registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  const found = values.find(
    (v) =>
      Object.keys(labels).length === Object.keys(v.labels).filter((k) => k !== "le").length &&
      Object.entries(labels).every(([k, want]) => v.labels[k] === want),
  );
  if (!found) throw new Error(`no series ${name} ${JSON.stringify(labels)}`);
  return found.value;
}

async function histogramCount(metrics: Metrics, name: string, labels: Record<string, string> = {}) {
  const metric = metrics.registry.getSingleMetric(name);
  const { values } = (await metric?.get()) ?? { values: [] };
  return (
    values.find(
      (v) =>
        (v as { metricName?: string }).metricName === `${name}_count` &&
        Object.entries(labels).every(([k, want]) => v.labels[k] === want),
    )?.value ?? 0
  );
}

function feed(overrides: Partial<FeedOutcome>): FeedOutcome {
  return {
    feedId: "gazeta-ru",
    outlet: "Gazeta.uz",
    status: "ok",
    items: 0,
    newItems: 0,
    accepted: 0,
    rejected: 0,
    merged: 0,
    durationMs: 0,
    ...overrides,
  };
}

describe("createMetrics", () => {
  it("gives each call its own registry, so several can live in one process", async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.messagesSent.inc("story");
    expect(await seriesValue(a, "kzuz_messages_sent_total", { kind: "story" })).toBe(1);
    expect(await seriesValue(b, "kzuz_messages_sent_total", { kind: "story" })).toBe(0);
  });

  it("registers every metric of the bot and the process metrics", async () => {
    const metrics = createMetrics({ queueDepth: async () => 0 });
    const names = (await metrics.registry.getMetricsAsJSON()).map((m) => m.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "kzuz_messages_sent_total",
        "kzuz_messages_failed_total",
        "kzuz_telegram_429_total",
        "kzuz_delivery_queue_depth",
        "kzuz_feeds_polled_total",
        "kzuz_feed_poll_seconds",
        "kzuz_stories_accepted_total",
        "kzuz_stories_rejected_total",
        "kzuz_rates_fetches_total",
        "kzuz_update_seconds",
        "process_cpu_user_seconds_total",
        "nodejs_eventloop_lag_seconds",
      ]),
    );
    const bare = createMetrics({ defaultMetrics: false });
    expect(bare.registry.getSingleMetric("process_cpu_user_seconds_total")).toBeUndefined();
  });

  it("starts every known label value at zero, so the first increment shows in rate()", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    for (const reason of ["blocked", "gone", "migrated", "retry", "dropped", "dead_letter"]) {
      expect(await seriesValue(metrics, "kzuz_messages_failed_total", { reason })).toBe(0);
    }
    for (const outcome of ["ok", "fallback", "failed"]) {
      expect(await seriesValue(metrics, "kzuz_rates_fetches_total", { outcome })).toBe(0);
    }
  });

  it("folds a label value outside its list into 'other' instead of a new series", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.storiesRejected.inc("Not relevant: no mention of Uzbekistan" as StoryRejectReason);
    metrics.storiesRejected.inc("backlog", 2);
    expect(await seriesValue(metrics, "kzuz_stories_rejected_total", { reason: "other" })).toBe(1);
    expect(await seriesValue(metrics, "kzuz_stories_rejected_total", { reason: "backlog" })).toBe(2);
    const { values } = (await metrics.registry.getSingleMetric("kzuz_stories_rejected_total")?.get()) ?? {
      values: [],
    };
    expect(values.map((v) => v.labels.reason).sort()).toEqual([
      "backlog",
      "duplicate",
      "invalid",
      "irrelevant",
      "other",
    ]);
  });

  it("caps the feed label at MAX_FEED_LABELS distinct feeds", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    for (let i = 0; i < MAX_FEED_LABELS + 5; i++) metrics.feedPollSeconds.observe(`feed-${i}`, 0.2);
    metrics.feedPollSeconds.observe("feed-0", 0.3);
    const { values } = (await metrics.registry.getSingleMetric("kzuz_feed_poll_seconds")?.get()) ?? {
      values: [],
    };
    const feeds = new Set(values.map((v) => v.labels.feed));
    expect(feeds.size).toBe(MAX_FEED_LABELS + 1);
    expect(await histogramCount(metrics, "kzuz_feed_poll_seconds", { feed: "other" })).toBe(5);
    expect(await histogramCount(metrics, "kzuz_feed_poll_seconds", { feed: "feed-0" })).toBe(2);
  });
});

describe("the queue depth gauge", () => {
  it("reads the depth at scrape time", async () => {
    let depth = 3;
    const metrics = createMetrics({ defaultMetrics: false, queueDepth: async () => depth });
    expect(await seriesValue(metrics, "kzuz_delivery_queue_depth")).toBe(3);
    depth = 12;
    expect(await seriesValue(metrics, "kzuz_delivery_queue_depth")).toBe(12);
  });

  it("reports NaN rather than failing the scrape when the source fails or hangs", async () => {
    const failing = createMetrics({
      defaultMetrics: false,
      queueDepth: async () => {
        throw new Error("Connection is closed.");
      },
    });
    expect(await seriesValue(failing, "kzuz_delivery_queue_depth")).toBeNaN();
    // prom-client spells it "Nan"; Prometheus parses floats case-insensitively.
    await expect(failing.registry.metrics()).resolves.toMatch(/^kzuz_delivery_queue_depth nan$/im);

    const hanging = createMetrics({ defaultMetrics: false, queueDepth: () => new Promise<number>(() => {}) });
    const started = performance.now();
    expect(await seriesValue(hanging, "kzuz_delivery_queue_depth")).toBeNaN();
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it("is left out without a source, rather than claiming an empty queue", () => {
    const metrics = createMetrics({ defaultMetrics: false });
    expect(metrics.registry.getSingleMetric("kzuz_delivery_queue_depth")).toBeUndefined();
  });
});

describe("recordPollCycle", () => {
  it("counts feed outcomes, durations, accepted stories and rejections by class", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const report: CycleReport = {
      startedAt: "2026-03-02T05:00:00.000Z",
      durationMs: 4000,
      feeds: [
        feed({ feedId: "gazeta-ru", status: "ok", durationMs: 1500, accepted: 2, rejected: 5, merged: 1 }),
        feed({ feedId: "kun-uz", status: "not-modified", durationMs: 200 }),
        feed({ feedId: "daryo-uz", status: "failed", durationMs: 10_000, reason: "HTTP 503" }),
        feed({ feedId: "uza-ru", status: "backing-off", durationMs: 0 }),
      ],
      totals: {
        feeds: 4,
        fetched: 1,
        notModified: 1,
        failed: 1,
        backingOff: 1,
        items: 8,
        newItems: 8,
        accepted: 2,
        rejected: 5,
        merged: 1,
        sinkFailures: 0,
      },
      rejectionReasons: {
        [BACKLOG_REASON]: 2,
        "not bilateral: mentions only Kazakhstan (Қазақстан)": 2,
        "no country mentioned": 1,
      },
      acceptedStoryIds: ["s1", "s2"],
      decisions: [],
    };
    recordPollCycle(metrics, report);

    expect(await seriesValue(metrics, "kzuz_feeds_polled_total", { outcome: "ok" })).toBe(1);
    expect(await seriesValue(metrics, "kzuz_feeds_polled_total", { outcome: "not-modified" })).toBe(1);
    expect(await seriesValue(metrics, "kzuz_feeds_polled_total", { outcome: "failed" })).toBe(1);
    expect(await seriesValue(metrics, "kzuz_feeds_polled_total", { outcome: "backing-off" })).toBe(1);
    expect(await histogramCount(metrics, "kzuz_feed_poll_seconds", { feed: "gazeta-ru" })).toBe(1);
    expect(await histogramCount(metrics, "kzuz_feed_poll_seconds", { feed: "uza-ru" })).toBe(0);
    expect(await seriesValue(metrics, "kzuz_stories_accepted_total")).toBe(2);
    expect(await seriesValue(metrics, "kzuz_stories_rejected_total", { reason: "backlog" })).toBe(2);
    expect(await seriesValue(metrics, "kzuz_stories_rejected_total", { reason: "irrelevant" })).toBe(3);
    expect(await seriesValue(metrics, "kzuz_stories_rejected_total", { reason: "duplicate" })).toBe(1);
  });
});

describe("recordDeliveryEvent", () => {
  it("maps each worker event to its counter and ignores pacing and duplicates", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    recordDeliveryEvent(metrics, { type: "sent", kind: "story", chatId: 1 });
    recordDeliveryEvent(metrics, { type: "sent", kind: "photo", chatId: 1 });
    recordDeliveryEvent(metrics, { type: "rate-limited", retryAfterMs: 3000 });
    recordDeliveryEvent(metrics, { type: "deactivated", chatId: 2, status: "blocked", reason: "403" });
    recordDeliveryEvent(metrics, { type: "deactivated", chatId: 3, status: "gone", reason: "400" });
    recordDeliveryEvent(metrics, { type: "migrated", fromChatId: -4, toChatId: -1004 });
    recordDeliveryEvent(metrics, { type: "retrying", chatId: 5, reason: "502 Bad Gateway", attempt: 1 });
    recordDeliveryEvent(metrics, { type: "dead-letter", chatId: 5, reason: "502 Bad Gateway" });
    recordDeliveryEvent(metrics, { type: "paced", chatId: 6, delayMs: 900 });
    recordDeliveryEvent(metrics, { type: "duplicate-skipped", chatId: 7 });

    expect(await seriesValue(metrics, "kzuz_messages_sent_total", { kind: "story" })).toBe(1);
    expect(await seriesValue(metrics, "kzuz_messages_sent_total", { kind: "photo" })).toBe(1);
    expect(await seriesValue(metrics, "kzuz_messages_sent_total", { kind: "text" })).toBe(0);
    expect(await seriesValue(metrics, "kzuz_telegram_429_total")).toBe(1);
    for (const reason of ["blocked", "gone", "migrated", "retry", "dead_letter"]) {
      expect(await seriesValue(metrics, "kzuz_messages_failed_total", { reason }), reason).toBe(1);
    }
    expect(await seriesValue(metrics, "kzuz_messages_failed_total", { reason: "dropped" })).toBe(0);
  });
});

describe("recordRatesResult", () => {
  it("counts NBK answers, CBU fallbacks and failures, but not answers from stored history", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    recordRatesResult(metrics, { kind: "official", fetched: true });
    recordRatesResult(metrics, { kind: "official", fetched: false });
    recordRatesResult(metrics, { kind: "fallback" });
    recordRatesResult(metrics, { kind: "failed" });
    recordRatesResult(metrics, { kind: "failed" });
    expect(await seriesValue(metrics, "kzuz_rates_fetches_total", { outcome: "ok" })).toBe(1);
    expect(await seriesValue(metrics, "kzuz_rates_fetches_total", { outcome: "fallback" })).toBe(1);
    expect(await seriesValue(metrics, "kzuz_rates_fetches_total", { outcome: "failed" })).toBe(2);
  });
});

describe("grammY adapters", () => {
  it("times every update, including one whose handler throws", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const middleware = timeUpdates(metrics);
    await middleware({}, async () => {});
    await expect(
      middleware({}, async () => {
        throw new Error("handler failed");
      }),
    ).rejects.toThrow("handler failed");
    expect(await histogramCount(metrics, "kzuz_update_seconds")).toBe(2);
  });

  it("counts 429 answers passing through the API transformer", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const answers = [
      { ok: false as const, error_code: 429, description: "Too Many Requests: retry after 1" },
      { ok: true as const, result: true },
      { ok: false as const, error_code: 403, description: "Forbidden: bot was blocked by the user" },
    ];
    const prev = (async () => answers.shift()) as unknown as Parameters<Transformer>[0];
    const transformer = countTelegram429(metrics);
    for (let i = 0; i < 3; i++) await transformer(prev, "sendMessage", { chat_id: 1, text: "x" });
    expect(await seriesValue(metrics, "kzuz_telegram_429_total")).toBe(1);
  });
});

describe("destinations paused", () => {
  it("counts paused channels and forum topics apart, with both series present from the start", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    expect(await seriesValue(metrics, "kzuz_destinations_paused_total", { kind: "channel" })).toBe(0);
    metrics.destinationsPaused.inc("channel");
    metrics.destinationsPaused.inc("topic");
    metrics.destinationsPaused.inc("topic");
    expect(await seriesValue(metrics, "kzuz_destinations_paused_total", { kind: "channel" })).toBe(1);
    expect(await seriesValue(metrics, "kzuz_destinations_paused_total", { kind: "topic" })).toBe(2);
  });
});
