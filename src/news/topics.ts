/**
 * The topic tagger: which of the canonical topics a kept story is about. Keywords live in
 * data/vocabulary/topics.json; the rules are written out in docs/relevance.md.
 */
import { tokenizeForMatching } from "./text.js";
import type { TopicId } from "./topicIds.js";
import { type TopicsVocabulary, topicsVocabulary } from "./vocabulary.js";

/** What {@link tagTopics} reads. */
export type TopicInput = {
  title: string;
  summary: string;
  /** The feed's own <category> values: coarse section names, a weak signal. */
  categories: string[];
  /** Topics the feed leans to (from its config): the weakest signal. */
  defaultTopics: TopicId[];
};

/** A topic with the evidence behind it, for explanations. */
export type TopicScore = { topic: TopicId; score: number; words: string[] };

/** How the topics were chosen: keyword scores, or which fallback applied. */
export type TopicExplanation = {
  topics: TopicId[];
  scores: TopicScore[];
  basis: "keywords" | "categories" | "state-relations" | "feed-defaults" | "none";
};

// A headline states what the story is about; the lead adds context, so its words weigh less.
const TITLE_WEIGHT = 2;
const LEAD_WEIGHT = 1;
// Categories and feed defaults only break ties between keyword scores, never outweigh a keyword.
const CATEGORY_TIEBREAK = 0.5;
const DEFAULT_TIEBREAK = 0.25;
// A secondary topic must carry at least this share of the best score to be listed.
const SECONDARY_SHARE = 0.5;
const MAX_TOPICS = 3;

/**
 * Scores every topic over title, lead and feed categories, and explains the choice. The result's
 * `topics` is what {@link tagTopics} returns.
 */
export function explainTopics(
  input: TopicInput,
  vocabulary: TopicsVocabulary = topicsVocabulary(),
): TopicExplanation {
  const scores = new Map<TopicId, { score: number; words: Set<string> }>();
  const counted = new Set<string>();
  const parts = [
    { text: input.title, weight: TITLE_WEIGHT, name: "t" },
    { text: input.summary, weight: LEAD_WEIGHT, name: "s" },
  ];
  for (const part of parts) {
    for (const m of vocabulary.keywords.match(tokenizeForMatching(part.text))) {
      // One word counts once per topic, however many of the topic's patterns it matches.
      const key = `${m.label}:${part.name}:${m.start}`;
      if (counted.has(key)) continue;
      counted.add(key);
      const entry = scores.get(m.label) ?? { score: 0, words: new Set<string>() };
      entry.score += part.weight;
      entry.words.add(m.text);
      scores.set(m.label, entry);
    }
  }

  const hinted = categoryTopics(input.categories, vocabulary);
  const list: TopicScore[] = [...scores].map(([topic, { score, words }]) => ({
    topic,
    score,
    words: [...words],
  }));
  if (list.length > 0) {
    const tiebreak = (t: TopicId) =>
      (hinted.has(t) ? CATEGORY_TIEBREAK : 0) + (input.defaultTopics.includes(t) ? DEFAULT_TIEBREAK : 0);
    list.sort((a, b) => b.score + tiebreak(b.topic) - (a.score + tiebreak(a.topic)));
    const best = list[0]?.score ?? 0;
    const chosen = list.filter((s) => s.score >= best * SECONDARY_SHARE).slice(0, MAX_TOPICS);
    // Diplomacy describes the form (a visit, a call) more often than the substance, so the specific
    // topics of the same story come first.
    const ordered = [
      ...chosen.filter((s) => s.topic !== "diplomacy"),
      ...chosen.filter((s) => s.topic === "diplomacy"),
    ];
    return { topics: ordered.map((s) => s.topic), scores: list, basis: "keywords" };
  }

  if (hinted.size > 0) return { topics: [...hinted].slice(0, MAX_TOPICS), scores: [], basis: "categories" };
  const text = `${input.title} ${input.summary}`;
  if (vocabulary.stateRelations.match(tokenizeForMatching(text)).length > 0) {
    return { topics: ["diplomacy"], scores: [], basis: "state-relations" };
  }
  const defaults = input.defaultTopics.filter((t) => t !== "other");
  if (defaults.length > 0)
    return { topics: defaults.slice(0, MAX_TOPICS), scores: [], basis: "feed-defaults" };
  return { topics: ["other"], scores: [], basis: "none" };
}

function categoryTopics(categories: readonly string[], vocabulary: TopicsVocabulary): Set<TopicId> {
  const found = new Set<TopicId>();
  for (const category of categories) {
    for (const m of vocabulary.categoryHints.match(tokenizeForMatching(category))) found.add(m.label);
  }
  return found;
}

/**
 * Tags a kept story with one to three topics, most specific first. Never returns an empty list:
 * a story with no topic keyword falls back to the feed categories, then to `diplomacy` when it is
 * about state relations (leaders, governments, visits, talks, agreements, parliaments, ambassadors),
 * then to the feed's default topics, and finally to `other`.
 */
export function tagTopics(input: TopicInput, vocabulary?: TopicsVocabulary): TopicId[] {
  return explainTopics(input, vocabulary).topics;
}
