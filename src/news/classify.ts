/**
 * The one entry point the pipeline calls to judge an item: relevance first, then topics.
 */
import { judgeRelevance } from "./relevance.js";
import type { TopicId } from "./topicIds.js";
import { explainTopics } from "./topics.js";
import type { Classification, FeedLanguage } from "./types.js";

/** The parts of a normalised item that classification reads. */
export type ClassifiableItem = {
  title: string;
  summary: string;
  categories: string[];
  language: FeedLanguage;
  defaultTopics: TopicId[];
};

/**
 * Classifies one item. A relevant item always carries at least one topic; both outcomes carry a
 * one-line reason naming the rule and the words that decided it. Pure: vocabularies are loaded once
 * per process on first call.
 */
export function classifyItem(item: ClassifiableItem): Classification {
  const judgement = judgeRelevance({ title: item.title, summary: item.summary }, { language: item.language });
  if (!judgement.relevant) return { relevant: false, reason: judgement.reason };
  const topics = explainTopics(item);
  const evidence = topics.scores
    .filter((s) => topics.topics.includes(s.topic))
    .map((s) => `${s.topic} (${s.words.slice(0, 2).join(", ")})`)
    .join(", ");
  const topicReason =
    topics.basis === "keywords" ? evidence : `${topics.topics.join(", ")} from ${topics.basis}`;
  return { relevant: true, topics: topics.topics, reason: `${judgement.reason}; topics: ${topicReason}` };
}
