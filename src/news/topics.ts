/**
 * The topic tagger: which of the canonical topics a kept story is about. Users filter by topic, so a
 * topic the story gives substance to but the tagger misses is a story that subscriber never gets;
 * the tagger therefore lists every such topic, with a guard against words that only set the scene.
 * Keywords live in data/vocabulary/topics.json; the rules are written out in docs/relevance.md.
 */
import { type MatchToken, tokenizeForMatching } from "./text.js";
import type { TopicId } from "./topicIds.js";
import { type TopicsVocabulary, topicsVocabulary } from "./vocabulary.js";

/** What {@link tagTopics} reads. */
export type TopicInput = {
  title: string;
  summary: string;
  /**
   * The story's full text when the feed carries it (RSS content:encoded, Atom content) or the article
   * page was read; plain text. Optional: most feeds give only a lead.
   */
  content?: string;
  /** The feed's own <category> values: coarse section names, a weak signal. */
  categories: string[];
  /** Topics the feed leans to (from its config): the weakest signal. */
  defaultTopics: TopicId[];
};

/** Where a keyword was found. */
export type TextPart = "title" | "lead" | "content";

/** One word that counted for a topic: as written, and the vocabulary pattern it matched. */
export type TopicEvidence = { text: string; pattern: string; part: TextPart; weak: boolean };

/** A topic with the evidence behind it, for explanations. */
export type TopicScore = {
  topic: TopicId;
  score: number;
  /** The words that counted, headline first, each once. */
  words: string[];
  evidence: TopicEvidence[];
  /** Whether the evidence passed the guard of {@link earnsTopic} and the topic was listed. */
  kept: boolean;
};

/** How the topics were chosen: keyword evidence, or which fallback applied. */
export type TopicExplanation = {
  topics: TopicId[];
  scores: TopicScore[];
  basis: "keywords" | "categories" | "state-relations" | "feed-defaults" | "none";
};

// The headline states what the story is about, the lead adds the substance, an article body mentions
// much in passing; the score only orders the listed topics.
const PART_WEIGHT: Record<TextPart, number> = { title: 2, lead: 1, content: 0.5 };
// Categories and feed defaults only break ties between keyword scores, never outweigh a keyword.
const CATEGORY_TIEBREAK = 0.5;
const DEFAULT_TIEBREAK = 0.25;
/** A story about everything is about nothing: past this many topics the tag list stops helping a reader. */
export const MAX_TOPICS = 6;
// Article bodies run to thousands of words; the opening carries the story, and the cap bounds the CPU
// (about 4 ms per story at this length, paid only for the few stories that pass the relevance filter).
const CONTENT_MAX_CHARS = 8_000;

/**
 * The precision guard. A topic is listed when the headline or the lead names it with a strong word,
 * or when two different words (two patterns) of the topic appear anywhere: a weak word alone ("инвестиции",
 * "border", "президент") sets the scene more often than it names the substance. The full text alone
 * needs two different strong words, because an article body mentions many things once.
 */
function earnsTopic(evidence: readonly TopicEvidence[]): boolean {
  const shown = evidence.filter((e) => e.part !== "content");
  if (shown.some((e) => !e.weak)) return true;
  // Two forms of one pattern ("границе", "границы") are one word said twice, not two words.
  const distinct = (list: readonly TopicEvidence[]) => new Set(list.map((e) => e.pattern)).size;
  if (shown.length > 0) return distinct(evidence) >= 2;
  return distinct(evidence.filter((e) => !e.weak)) >= 2;
}

type Found = { topic: TopicId; evidence: TopicEvidence; start: number; end: number };

function findKeywords(tokens: readonly MatchToken[], part: TextPart, vocabulary: TopicsVocabulary): Found[] {
  const hidden = vocabulary.exceptions.match(tokens);
  const candidates: Found[] = [];
  for (const m of vocabulary.keywords.match(tokens)) {
    const { topic, weak } = m.label;
    if (hidden.some((h) => h.label === topic && m.start < h.end && h.start < m.end)) continue;
    candidates.push({
      topic,
      start: m.start,
      end: m.end,
      evidence: { text: m.text, pattern: m.source, part, weak },
    });
  }
  // One stretch of words counts once per topic, however many of the topic's patterns it matches
  // ("temir yo'l" is not also "yo'l", so it cannot pass as two words): strong readings first, then
  // the longest.
  candidates.sort(
    (a, b) => Number(a.evidence.weak) - Number(b.evidence.weak) || b.end - b.start - (a.end - a.start),
  );
  const kept: Found[] = [];
  for (const c of candidates) {
    if (!kept.some((k) => k.topic === c.topic && c.start < k.end && k.start < c.end)) kept.push(c);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/**
 * Finds every topic the story gives substance to, over headline, lead and (when given) full text,
 * and explains the choice: each topic with the words that earned it. The result's `topics` is what
 * {@link tagTopics} returns. Pure and deterministic for a given vocabulary.
 */
export function explainTopics(
  input: TopicInput,
  vocabulary: TopicsVocabulary = topicsVocabulary(),
): TopicExplanation {
  const parts: Array<[TextPart, string]> = [
    ["title", input.title],
    ["lead", input.summary],
    ["content", (input.content ?? "").slice(0, CONTENT_MAX_CHARS)],
  ];
  const byTopic = new Map<TopicId, { score: number; evidence: TopicEvidence[] }>();
  for (const [part, text] of parts) {
    if (text.length === 0) continue;
    for (const found of findKeywords(tokenizeForMatching(text), part, vocabulary)) {
      const entry = byTopic.get(found.topic) ?? { score: 0, evidence: [] };
      entry.score += PART_WEIGHT[part];
      entry.evidence.push(found.evidence);
      byTopic.set(found.topic, entry);
    }
  }

  const hinted = categoryTopics(input.categories, vocabulary);
  const tiebreak = (t: TopicId) =>
    (hinted.has(t) ? CATEGORY_TIEBREAK : 0) + (input.defaultTopics.includes(t) ? DEFAULT_TIEBREAK : 0);
  const scores: TopicScore[] = [...byTopic].map(([topic, { score, evidence }]) => ({
    topic,
    score,
    words: [...new Set(evidence.map((e) => e.text))],
    evidence,
    kept: earnsTopic(evidence),
  }));
  scores.sort((a, b) => b.score + tiebreak(b.topic) - (a.score + tiebreak(a.topic)));
  // Diplomacy describes the form (a visit, a call) more often than the substance, so it is listed
  // after the specific topics of the same story, never instead of them.
  const kept = scores.filter((s) => s.kept);
  const ordered = [
    ...kept.filter((s) => s.topic !== "diplomacy"),
    ...kept.filter((s) => s.topic === "diplomacy"),
  ];
  const topics = ordered.slice(0, MAX_TOPICS).map((s) => s.topic);
  for (const s of scores) s.kept = topics.includes(s.topic);
  if (topics.length > 0) return { topics, scores, basis: "keywords" };

  if (hinted.size > 0) return { topics: [...hinted].slice(0, MAX_TOPICS), scores, basis: "categories" };
  const text = `${input.title} ${input.summary}`;
  if (vocabulary.stateRelations.match(tokenizeForMatching(text)).length > 0) {
    return { topics: ["diplomacy"], scores, basis: "state-relations" };
  }
  const defaults = input.defaultTopics.filter((t) => t !== "other");
  if (defaults.length > 0) return { topics: defaults.slice(0, MAX_TOPICS), scores, basis: "feed-defaults" };
  return { topics: ["other"], scores, basis: "none" };
}

function categoryTopics(categories: readonly string[], vocabulary: TopicsVocabulary): Set<TopicId> {
  const found = new Set<TopicId>();
  for (const category of categories) {
    for (const m of vocabulary.categoryHints.match(tokenizeForMatching(category))) found.add(m.label);
  }
  return found;
}

const PART_MARK: Record<TextPart, string> = { title: "", lead: " (lead)", content: " (text)" };

/**
 * One line naming each listed topic with the words that earned it, for `preview --explain` and the
 * classification reason: `energy: «газа», «гэс» (lead); diplomacy: «визит»`. Fallbacks say which
 * one applied (`diplomacy from state-relations`).
 */
export function describeTopics(explanation: TopicExplanation, maxWords = 3): string {
  if (explanation.basis !== "keywords") {
    return `${explanation.topics.join(", ")} from ${explanation.basis}`;
  }
  return explanation.topics
    .map((topic) => {
      const score = explanation.scores.find((s) => s.topic === topic);
      const seen = new Set<string>();
      const words = (score?.evidence ?? [])
        .filter((e) => !seen.has(e.text) && seen.add(e.text))
        .slice(0, maxWords)
        .map((e) => `«${e.text}»${PART_MARK[e.part]}`);
      return `${topic}: ${words.join(", ")}`;
    })
    .join("; ");
}

/**
 * The explanation line of {@link describeTopics} for a stored story, as `preview --explain` prints it
 * under each story: the tagger run again on the story's own text, with the defaults of its feed.
 */
export function explainStoryTopics(
  story: Pick<TopicInput, "title" | "summary" | "content" | "categories">,
  defaultTopics: TopicId[] = [],
): string {
  return describeTopics(explainTopics({ ...story, defaultTopics }));
}

/**
 * Tags a kept story with every topic it gives substance to (at most {@link MAX_TOPICS}), specific
 * topics first and diplomacy last. Never returns an empty list: a story with no topic keyword falls
 * back to the feed categories, then to `diplomacy` when it is about state relations (leaders,
 * governments, visits, talks, agreements, parliaments, ambassadors), then to the feed's default
 * topics, and finally to `other`.
 */
export function tagTopics(input: TopicInput, vocabulary?: TopicsVocabulary): TopicId[] {
  return explainTopics(input, vocabulary).topics;
}
