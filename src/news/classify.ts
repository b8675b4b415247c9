/**
 * The one entry point the pipeline calls to judge an item: relevance first, then topics.
 */
import { judgeRelevance } from "./relevance.js";
import type { TopicId } from "./topicIds.js";
import { describeTopics, explainTopics } from "./topics.js";
import type { Classification, FeedLanguage } from "./types.js";

/** The parts of a normalised item that classification reads. */
export type ClassifiableItem = {
  title: string;
  summary: string;
  /**
   * The story's full plain text when the feed carries it (content:encoded, Atom content) or the
   * article page was read. Topics read it; relevance does not, because RELEVANCE.md judges a story
   * by its headline and lead, and a body that mentions the other country once is not a bilateral story.
   */
  content?: string;
  categories: string[];
  language: FeedLanguage;
  defaultTopics: TopicId[];
};

/**
 * Classifies one item. A relevant item always carries at least one topic; both outcomes carry a
 * one-line reason naming the rule and the words that decided it (for topics: each topic with the
 * words that earned it). Pure: vocabularies are loaded once per process on first call.
 */
export function classifyItem(item: ClassifiableItem): Classification {
  const judgement = judgeRelevance({ title: item.title, summary: item.summary }, { language: item.language });
  if (!judgement.relevant) return { relevant: false, reason: judgement.reason };
  const topics = explainTopics(item);
  return {
    relevant: true,
    topics: topics.topics,
    reason: `${judgement.reason}; topics: ${describeTopics(topics, 2)}`,
  };
}
