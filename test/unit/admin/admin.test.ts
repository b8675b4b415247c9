import { describe, expect, it } from "vitest";
import { audienceSchema, inAudience } from "../../../src/admin/audience.js";
import {
  formatDuration,
  parseCounts,
  processedOf,
  progressFigures,
  RATE_WINDOW_MS,
  trimSamples,
} from "../../../src/admin/progress.js";
import {
  countProfile,
  emptySubscriberStats,
  startOfLocalDay,
  summariseDeliveryStats,
} from "../../../src/admin/stats.js";
import { decodeCallback, encodeCallback } from "../../../src/bot/callbackData.js";
import { chunkLines } from "../../../src/bot/features/admin.js";
import { applyFeedOverrides, effectiveFeeds, type FeedOverride } from "../../../src/news/feedOverrides.js";
import type { FeedConfig } from "../../../src/news/types.js";
import { topicsToMask } from "../../../src/storage/subscriptions.js";

describe("broadcast audience", () => {
  const ru = { language: "ru" as const, topicMask: topicsToMask(["trade", "energy"]) };
  const en = { language: "en" as const, topicMask: topicsToMask(["water"]) };

  it("everyone, by topic (any of), by language (any of)", () => {
    expect(inAudience(ru, { kind: "all" })).toBe(true);
    expect(inAudience(ru, { kind: "topics", topics: ["energy", "tourism"] })).toBe(true);
    expect(inAudience(en, { kind: "topics", topics: ["energy", "tourism"] })).toBe(false);
    expect(inAudience(en, { kind: "languages", languages: ["en", "kk"] })).toBe(true);
    expect(inAudience(ru, { kind: "languages", languages: ["en", "kk"] })).toBe(false);
  });

  it("rejects an empty or unknown choice when read back", () => {
    expect(audienceSchema.safeParse({ kind: "topics", topics: [] }).success).toBe(false);
    expect(audienceSchema.safeParse({ kind: "languages", languages: ["de"] }).success).toBe(false);
    expect(audienceSchema.safeParse({ kind: "all" }).success).toBe(true);
  });
});

describe("broadcast progress", () => {
  const counts = parseCounts({
    sent: "600",
    blocked: "30",
    gone: "5",
    failed: "2",
    duplicate: "3",
    cancelled: "x",
  });

  it("reads counters, treating junk as 0", () => {
    expect(counts).toEqual({
      sent: 600,
      blocked: 30,
      gone: 5,
      failed: 2,
      duplicate: 3,
      cancelled: 0,
      paid: 0,
      unpaid: 0,
      "rate-limited": 0,
    });
    expect(processedOf(counts)).toBe(640);
  });

  it("remaining, rate over the recent window and the time left", () => {
    const f = progressFigures(1000, counts, [
      { at: 0, processed: 240 },
      { at: 2000, processed: 440 },
      { at: 4000, processed: 640 },
    ]);
    expect(f).toMatchObject({ total: 1000, sent: 600, failed: 2, blocked: 35, remaining: 360 });
    expect(f.ratePerSecond).toBeCloseTo(100);
    expect(f.etaSeconds).toBe(4);
  });

  it("no rate from one sample or a stall; zero left means zero time left", () => {
    expect(progressFigures(1000, counts, [{ at: 0, processed: 640 }]).etaSeconds).toBeUndefined();
    const stalled = progressFigures(1000, counts, [
      { at: 0, processed: 640 },
      { at: 3000, processed: 640 },
    ]);
    expect(stalled.ratePerSecond).toBe(0);
    expect(stalled.etaSeconds).toBeUndefined();
    expect(progressFigures(640, counts, []).etaSeconds).toBe(0);
    expect(progressFigures(10, counts, []).remaining).toBe(0);
  });

  it("the rate follows a pause instead of averaging it away", () => {
    const samples = [
      { at: 0, processed: 0 },
      { at: 20_000, processed: 2000 },
      { at: 25_000, processed: 2000 },
      { at: 30_000, processed: 2000 },
    ];
    expect(progressFigures(5000, parseCounts({ sent: "2000" }), samples).ratePerSecond).toBe(0);
    // Samples inside the window, plus the last one before it, so the window is always spanned.
    expect(trimSamples(samples, 30_000)).toEqual(samples);
    expect(trimSamples(samples, 20_000 + RATE_WINDOW_MS + 5000)).toEqual(samples.slice(1));
  });

  it("durations without unit words", () => {
    expect(formatDuration(7)).toBe("0:07");
    expect(formatDuration(725)).toBe("12:05");
    expect(formatDuration(3723)).toBe("1:02:03");
    expect(formatDuration(-3)).toBe("0:00");
  });
});

describe("admin stats", () => {
  it("counts subscribers by status, and active ones by language, topic and rates", () => {
    const stats = emptySubscriberStats();
    countProfile(stats, { s: "active", lang: "kk", t: String(topicsToMask(["trade", "water"])), r: "1" });
    countProfile(stats, { s: "active", lang: "en", t: String(topicsToMask(["trade"])), r: "0" });
    countProfile(stats, { s: "blocked", lang: "ru", t: String(topicsToMask(["trade"])), r: "1" });
    countProfile(stats, { s: null, lang: "ru", t: null, r: null }); // only chose a language
    expect(stats).toMatchObject({ total: 3, active: 2, blocked: 1, paused: 0, gone: 0, rates: 1 });
    expect(stats.byLanguage).toMatchObject({ kk: 1, en: 1, ru: 0 });
    expect(stats.byTopic).toMatchObject({ trade: 2, water: 1, energy: 0 });
  });

  it("sums today's delivery counters", () => {
    expect(
      summariseDeliveryStats({
        sent: 10,
        "dead:502": 2,
        "dead:network": 1,
        "deactivated:blocked": 4,
        "deactivated:gone": 1,
        "rate-limited": 3,
        "duplicate-skipped": 9,
      }),
    ).toEqual({ sent: 10, failed: 3, blocked: 5, rateLimited: 3 });
  });

  it("finds the local midnight (Almaty is UTC+5)", () => {
    const now = new Date("2026-03-10T20:30:00Z"); // 01:30 on the 11th in Almaty
    expect(new Date(startOfLocalDay(now, "Asia/Almaty")).toISOString()).toBe("2026-03-10T19:00:00.000Z");
    expect(new Date(startOfLocalDay(now, "UTC")).toISOString()).toBe("2026-03-10T00:00:00.000Z");
  });
});

describe("feed overrides", () => {
  const feed = (id: string): FeedConfig => ({
    id,
    url: `https://x.test/${id}`,
    outlet: id,
    language: "ru",
    defaultTopics: [],
  });
  const file = [feed("a"), feed("b"), feed("c")];

  it("pauses, removes and adds on top of the file; the poll list leaves out paused ones", () => {
    const overrides = new Map<string, FeedOverride>([
      ["a", { state: "paused" }],
      ["b", { state: "removed" }],
      ["d", { state: "added", feed: { ...feed("d"), enabled: true }, paused: false }],
      ["e", { state: "added", feed: { ...feed("e"), enabled: true }, paused: true }],
    ]);
    const rows = applyFeedOverrides(file, overrides);
    expect(rows.map((r) => [r.feed.id, r.source, r.paused])).toEqual([
      ["a", "file", true],
      ["c", "file", false],
      ["d", "added", false],
      ["e", "added", true],
    ]);
    expect(effectiveFeeds(rows).map((f) => f.id)).toEqual(["c", "d"]);
  });

  it("the file wins over an added feed with the same id", () => {
    const overrides = new Map<string, FeedOverride>([
      ["a", { state: "added", feed: { ...feed("a"), outlet: "other", enabled: true }, paused: false }],
    ]);
    expect(applyFeedOverrides(file, overrides).filter((r) => r.feed.id === "a")).toEqual([
      { feed: feed("a"), source: "file", paused: false },
    ]);
  });
});

describe("admin callback data", () => {
  it("round-trips every admin button and rejects forged ones", () => {
    for (const action of [
      { kind: "bcAudience", op: "languages" },
      { kind: "bcTopic", op: "toggle", topic: "energy" },
      { kind: "bcTopic", op: "done" },
      { kind: "bcLang", op: "toggle", language: "uz" },
      { kind: "bcLang", op: "done" },
      { kind: "bcConfirm", op: "send" },
    ] as const) {
      expect(decodeCallback(encodeCallback(action))).toEqual(action);
    }
    for (const forged of ["ba:everyone", "bt:99", "bt:", "bl:de", "bx:now", "bx:send:1"]) {
      expect(decodeCallback(forged)).toBeUndefined();
    }
  });
});

describe("chunkLines", () => {
  it("splits at line ends under the limit", () => {
    expect(chunkLines(["aaaa", "bbbb", "cc"], 9)).toEqual(["aaaa\nbbbb", "cc"]);
    expect(chunkLines(["x".repeat(12)], 5)).toEqual(["xxxxx"]);
    expect(chunkLines([], 5)).toEqual([]);
  });
});
