/**
 * Measures the relevance filter and the topic tagger against labelled headlines
 * (test/fixtures/headlines.json, labelled by shared RELEVANCE.md). Pure: the caller passes the items.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { judgeRelevance } from "./relevance.js";
import { TOPIC_IDS } from "./topicIds.js";
import { tagTopics } from "./topics.js";
import { FEED_LANGUAGES } from "./types.js";

/** One labelled headline of the fixture (test/fixtures/headlines.json). */
export const labelledHeadlineSchema = z.object({
  id: z.string(),
  language: z.enum(FEED_LANGUAGES),
  title: z.string(),
  summary: z.string(),
  /** The story's full text, for items taken from feeds that carry one; topics read it. */
  content: z.string().optional(),
  categories: z.array(z.string()),
  relevant: z.boolean(),
  topics: z.array(z.enum(TOPIC_IDS)).optional(),
  /** A hard case kept to pin a past mistake. */
  tricky: z.boolean().optional(),
  /**
   * A batch written after the rules and vocabularies were tuned ("after tuning, round 2") and measured
   * before anyone looked at how the tagger does on it: the closest this set has to unseen headlines.
   * Always in the test part; `npm run eval` prints each batch on its own.
   */
  batch: z.string().optional(),
  /** The part of the set the item belongs to; unmarked items are assigned by {@link splitOf}. */
  split: z.enum(["tune", "test"]).optional(),
});
export type LabelledHeadline = z.infer<typeof labelledHeadlineSchema>;

/** Reads the labelled fixture, failing with zod's path to the first bad item. */
export function parseLabelledHeadlines(json: string): LabelledHeadline[] {
  return z.array(labelledHeadlineSchema).parse(JSON.parse(json));
}

/** Precision and recall with the counts behind them. */
export type PrecisionRecall = { tp: number; fp: number; fn: number; precision: number; recall: number };

export type Evaluation = {
  items: number;
  relevance: Record<string, PrecisionRecall>;
  topics: Record<string, PrecisionRecall>;
};

/**
 * The part an item belongs to: its `split` field, or else a hash of its headline (~60% tune,
 * 40% test), decided before any tuning so the test part is never tuned on.
 */
export function splitOf(item: LabelledHeadline): "tune" | "test" {
  if (item.split !== undefined) return item.split;
  const byte = createHash("sha256").update(item.title).digest()[0] ?? 0;
  return byte < 154 ? "tune" : "test";
}

function pr(tp: number, fp: number, fn: number): PrecisionRecall {
  return {
    tp,
    fp,
    fn,
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: tp + fn === 0 ? 1 : tp / (tp + fn),
  };
}

/** Relevance precision/recall per language and overall; topic precision/recall per topic and over all pairs. */
export function evaluate(items: readonly LabelledHeadline[]): Evaluation {
  const rel = new Map<string, [number, number, number]>();
  const top = new Map<string, [number, number, number]>();
  const bump = (m: Map<string, [number, number, number]>, key: string, k: 0 | 1 | 2) => {
    for (const name of [key, "overall"]) {
      const c = m.get(name) ?? [0, 0, 0];
      c[k]++;
      m.set(name, c);
    }
  };
  for (const item of items) {
    const kept = judgeRelevance(
      { title: item.title, summary: item.summary },
      { language: item.language },
    ).relevant;
    if (kept && item.relevant) bump(rel, item.language, 0);
    else if (kept) bump(rel, item.language, 1);
    else if (item.relevant) bump(rel, item.language, 2);
    // Topics are judged on the stories that should be kept, as a subscriber would receive them.
    if (!item.relevant) continue;
    const expected = new Set(item.topics ?? []);
    const got = new Set(tagTopics({ ...item, defaultTopics: [] }));
    for (const t of got) bump(top, t, expected.has(t) ? 0 : 1);
    for (const t of expected) if (!got.has(t)) bump(top, t, 2);
  }
  const out = (m: Map<string, [number, number, number]>) =>
    Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)).map(([k, c]) => [k, pr(...c)]));
  return { items: items.length, relevance: out(rel), topics: out(top) };
}

/** A Markdown table of one evaluation, for docs/relevance.md and `npm run eval`. */
export function formatEvaluation(name: string, e: Evaluation): string {
  const row = (k: string, v: PrecisionRecall) =>
    `| ${k} | ${v.precision.toFixed(2)} | ${v.recall.toFixed(2)} | ${v.tp} | ${v.fp} | ${v.fn} |`;
  const head = "| | precision | recall | tp | fp | fn |\n|---|---|---|---|---|---|";
  return [
    `### ${name} (${e.items} items)`,
    "",
    "Relevance by language:",
    "",
    head,
    ...Object.entries(e.relevance).map(([k, v]) => row(k, v)),
    "",
    "Topics over (story, topic) pairs:",
    "",
    head,
    ...Object.entries(e.topics).map(([k, v]) => row(k, v)),
    "",
  ].join("\n");
}
